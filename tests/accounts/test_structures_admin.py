"""The structures' administration by attack: who may open the pages, create, edit, link to the
directory, close and reopen a structure; what closing does to its members and tokens."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from tests.accounts.conftest import bearer, csrf_from, login
from virage.accounts import storage
from virage.app import create_app
from virage.db import connect
from virage.directory.seeding import insert_structure


@pytest.fixture
def db(world):
    conn = connect(world.settings.db_path)
    yield conn
    conn.close()


def as_user(world, name):
    client = TestClient(create_app(world.settings))
    client.__enter__()
    login(client, name)
    return client


@pytest.fixture
def clients(world):
    opened = {}

    def get(name):
        if name not in opened:
            opened[name] = as_user(world, name)
        return opened[name]

    yield get
    for c in opened.values():
        c.__exit__(None, None, None)


def post(client, page: str, action: str, data: dict):
    csrf = csrf_from(client.get(page).text)
    return client.post(action, data={**data, "_csrf_token": csrf}, follow_redirects=False)


def audit_actions(db, structure_id):
    rows = db.execute(
        "SELECT action FROM audit_log WHERE structure_id = ? ORDER BY id", [structure_id]
    ).fetchall()
    return [r[0] for r in rows]


# --------------------------------------------------------------------------- who opens what


def test_index_by_role(world, clients):
    admin = clients("admin").get("/administration")
    assert admin.status_code == 200
    assert "SSIAD A" in admin.text and "EHPAD B" in admin.text
    assert "/administration/comptes" in admin.text
    assert "Importer le fichier FINESS" in admin.text
    director = clients("director_a").get("/administration")
    assert director.status_code == 200
    assert "SSIAD A" in director.text and "EHPAD B" not in director.text
    assert "Importer le fichier FINESS" not in director.text
    for name in ("nurse_a", "secretary_a", "coord_b", "dpo_a"):
        assert clients(name).get("/administration").status_code == 403, name
        assert clients(name).get("/administration/structures").status_code == 403, name


def test_anonymous_is_sent_to_log_in(world):
    with TestClient(create_app(world.settings)) as anonymous:
        for path in ("/administration", "/administration/structures", "/structures/1"):
            response = anonymous.get(path, follow_redirects=False)
            assert response.status_code in (302, 303, 401), path


def test_structure_page_for_the_network_admin_shows_no_person(world, clients):
    a = world.structures["a"]
    page = clients("admin").get(f"/structures/{a}")
    assert page.status_code == 200
    assert "SSIAD A" in page.text and "membres" in page.text
    assert "Durand" not in page.text and "Diabète" not in page.text
    # Still no way into the persons of the structure.
    assert clients("admin").get(f"/structures/{a}/personnes").status_code == 404
    # A member sees it; another structure's worker does not even learn it exists.
    assert clients("nurse_a").get(f"/structures/{a}").status_code == 200
    assert clients("nurse_b").get(f"/structures/{a}").status_code == 404


# --------------------------------------------------------------------------- create and edit


def test_create_is_for_the_network_admin_only(world, clients, db):
    admin = clients("admin")
    response = post(
        admin,
        "/administration/structures",
        "/administration/structures",
        {"name": "SAAD du Plateau", "kind": "SAAD", "commune": "Chaumont"},
    )
    assert response.status_code == 303
    created = storage.find_structure(db, "SAAD du Plateau")
    assert created["kind"] == "SAAD" and created["commune"] == "Chaumont"
    assert "structures.created" in audit_actions(db, created["id"])
    # Same name again: a French message, nothing stored.
    again = post(
        admin,
        "/administration/structures",
        "/administration/structures",
        {"name": "saad du plateau", "kind": "SAAD"},
    )
    assert again.status_code == 400 and "déjà" in again.text
    blank = post(
        admin, "/administration/structures", "/administration/structures", {"name": "", "kind": ""}
    )
    assert blank.status_code == 400 and "nom de la structure" in blank.text
    # A director cannot create one, even with a well-formed post.
    director = post(
        clients("director_a"),
        "/administration/structures",
        "/administration/structures",
        {"name": "Pirate", "kind": "SSIAD"},
    )
    assert director.status_code == 403
    assert storage.find_structure(db, "Pirate") is None


def test_forged_post_without_csrf_is_refused(world, clients, db):
    response = clients("admin").post(
        "/administration/structures", data={"name": "Sans jeton", "kind": "SSIAD"}
    )
    assert response.status_code == 403
    assert storage.find_structure(db, "Sans jeton") is None


def test_director_edits_her_structure_but_not_its_kind_nor_another(world, clients, db):
    a, b = world.structures["a"], world.structures["b"]
    director = clients("director_a")
    page = f"/administration/structures/{a}"
    response = post(
        director, page, page, {"name": "SSIAD A du Val", "kind": "EHPAD", "commune": "Loue"}
    )
    assert response.status_code == 303
    row = storage.get_structure(db, a)
    assert (row["name"], row["kind"], row["commune"]) == ("SSIAD A du Val", "SSIAD", "Loue")
    assert "structures.updated" in audit_actions(db, a)
    assert director.get(f"/administration/structures/{b}").status_code == 404
    csrf = csrf_from(director.get(page).text)
    forged = director.post(
        f"/administration/structures/{b}",
        data={"name": "Pris", "kind": "EHPAD", "_csrf_token": csrf},
        follow_redirects=False,
    )
    assert forged.status_code == 404
    assert storage.get_structure(db, b)["name"] == "EHPAD B"
    # Nurses and coordinators do not administer.
    assert clients("nurse_a").get(page).status_code == 403
    assert clients("coord_b").get(page).status_code == 404


def test_link_to_the_directory_through_its_search(world, clients, db):
    a = world.structures["a"]
    entry = insert_structure(
        db,
        {
            "kind": "ET",
            "finess": "390001234",
            "name": "SSIAD du Val de Loue",
            "city": "Loue",
            "postcode": "39600",
            "departement": "39",
            "status": "open",
            "source": "test",
        },
    )
    admin = clients("admin")
    found = admin.get(f"/administration/structures/{a}?q=val+de+loue")
    assert found.status_code == 200 and "390001234" in found.text
    page = f"/administration/structures/{a}"
    bad = post(admin, page, f"{page}/annuaire", {"directory_id": "999999"})
    assert bad.status_code == 400 and "annuaire" in bad.text
    assert storage.get_structure(db, a)["directory_structure_id"] is None
    ok = post(admin, page, f"{page}/annuaire", {"directory_id": str(entry)})
    assert ok.status_code == 303
    row = storage.get_structure(db, a)
    assert (row["directory_structure_id"], row["finess"]) == (entry, "390001234")
    assert f'/annuaire/structures/{entry}"' in clients("nurse_a").get(f"/structures/{a}").text
    assert "structures.linked" in audit_actions(db, a)


# --------------------------------------------------------------------------- close and reopen


def test_closing_stops_members_and_tokens_and_keeps_data(world, clients, db):
    a = world.structures["a"]
    nurse = clients("nurse_a")
    assert nurse.get(f"/structures/{a}").status_code == 200
    page = f"/administration/structures/{a}"
    assert post(clients("director_a"), page, f"{page}/fermer", {}).status_code == 403
    assert post(clients("admin"), page, f"{page}/fermer", {}).status_code == 303
    assert storage.get_structure(db, a)["closed_at"]
    # The open session of a member: refused at the next click.
    assert nurse.get(f"/structures/{a}").status_code == 404
    assert nurse.get(f"/structures/{a}/personnes").status_code == 404
    # Her token for it: revoked.
    with TestClient(create_app(world.settings)) as api:
        assert api.get("/api/v1/me", headers=bearer(world, "nurse_a")).status_code == 401
    # Nothing deleted; shown as closed to the administrator.
    assert storage.get_person(db, world.persons["p1"]) is not None
    assert "fermée le" in clients("admin").get("/administration/structures").text
    assert post(clients("admin"), page, f"{page}/fermer", {}).status_code == 409
    assert post(clients("admin"), page, f"{page}/rouvrir", {}).status_code == 303
    assert nurse.get(f"/structures/{a}").status_code == 200
    assert {"structures.closed", "structures.reopened"} <= set(audit_actions(db, a))

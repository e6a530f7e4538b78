"""« Cibles et modèles de transmission » (/administration/transmissions), by attack: the network
administrator lists, adds, edits, retires and puts back targets and templates with the command
line's checks; everyone else is refused; every change is audited; nothing is ever deleted."""

# ruff: noqa: F811
from __future__ import annotations

from litestar.testing import TestClient

from tests.accounts.conftest import bearer
from tests.accounts.test_structures_admin import clients, db, post  # noqa: F401
from tests.transmissions.conftest import write
from virage.app import create_app
from virage.cli import main
from virage.transmissions import nomenclature_storage as names

PAGE = "/administration/transmissions"


def actions(db, prefix="transmissions."):
    rows = db.execute(
        "SELECT action, outcome FROM audit_log WHERE action LIKE ? ORDER BY id", [prefix + "%"]
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def test_the_network_administrator_manages_targets(world, clients, db):
    admin = clients("admin")
    assert "/administration/transmissions" in admin.get("/administration").text
    page = admin.get(PAGE)
    assert page.status_code == 200 and "Douleur" in page.text and "Chute à domicile" in page.text
    added = post(
        admin,
        PAGE,
        f"{PAGE}/cibles",
        {
            "code": "plaie_chir",
            "label": "Plaie chirurgicale",
            "category": "soins",
            "position": "55",
        },
    )
    assert added.status_code == 303
    target = names.get_target(db, "plaie_chir")
    assert target["label"] == "Plaie chirurgicale" and target["source"] == "réseau"
    edited = post(
        admin,
        PAGE,
        f"{PAGE}/cibles/plaie_chir",
        {"label": "Plaie opératoire", "category": "soins", "position": "5"},
    )
    assert edited.status_code == 303
    assert names.get_target(db, "plaie_chir")["position"] == 5
    assert post(admin, PAGE, f"{PAGE}/cibles/chute/retirer", {}).status_code == 303
    assert names.get_target(db, "chute")["active"] == 0
    assert "chute" not in {t["code"] for t in names.list_targets(db)}
    assert "retirée" in admin.get(PAGE).text
    assert post(admin, PAGE, f"{PAGE}/cibles/chute/remettre", {}).status_code == 303
    assert names.get_target(db, "chute")["active"] == 1
    assert [a for a, _ in actions(db)] == [
        "transmissions.targets.added",
        "transmissions.targets.updated",
        "transmissions.targets.retired",
        "transmissions.targets.enabled",
    ]


def test_bad_input_gives_a_french_message_and_stores_nothing(world, clients, db):
    admin = clients("admin")
    before = names.list_targets(db, active_only=False)
    cases = [
        ({"code": "Plaie chir!", "label": "X", "category": "soins"}, "Le code d'une cible", 400),
        ({"code": "douleur", "label": "Encore", "category": "soins"}, "existe déjà", 409),
        ({"code": "neuve", "label": "", "category": "soins"}, "Libellé", 400),
        ({"code": "neuve", "label": "Neuve", "category": "pirate"}, "Catégorie", 400),
        ({"code": "neuve", "label": "Neuve", "category": "soins", "position": "-3"}, "Ordre", 400),
    ]
    for form, message, status in cases:
        response = post(admin, PAGE, f"{PAGE}/cibles", form)
        assert response.status_code == status, form
        assert message in response.text.replace("&#39;", "'"), form
    assert names.list_targets(db, active_only=False) == before
    edit = post(admin, PAGE, f"{PAGE}/cibles/douleur", {"label": "", "category": "soins"})
    assert edit.status_code == 400 and names.get_target(db, "douleur")["label"] == "Douleur"
    assert post(admin, PAGE, f"{PAGE}/cibles/inconnue/retirer", {}).status_code == 404
    empty = post(admin, PAGE, f"{PAGE}/modeles", {"target": "douleur", "label": "Vide"})
    assert empty.status_code == 400 and "modèle vide" in empty.text
    assert not [a for a, _ in actions(db) if a != "transmissions.nomenclature.manage"]


def test_templates_added_edited_retired(world, clients, db):
    admin = clients("admin")
    added = post(
        admin,
        PAGE,
        f"{PAGE}/modeles",
        {"target": "douleur", "label": "Douleur au lever", "data": "EVA …/10 au lever"},
    )
    assert added.status_code == 303
    made = next(m for m in names.all_templates(db) if m["label"] == "Douleur au lever")
    same = post(
        admin,
        PAGE,
        f"{PAGE}/modeles",
        {"target": "douleur", "label": "Douleur au lever", "data": "x"},
    )
    assert same.status_code == 409
    url = f"{PAGE}/modeles/{made['id']}"
    assert post(admin, PAGE, url, {"label": "Lever", "actions": "Antalgique"}).status_code == 303
    changed = names.get_any_template(db, made["id"])
    assert changed["label"] == "Lever" and changed["actions"] == "Antalgique"
    assert post(admin, PAGE, f"{url}/retirer", {}).status_code == 303
    assert names.get_template(db, made["id"]) is None
    assert post(admin, PAGE, f"{url}/remettre", {}).status_code == 303
    assert names.get_template(db, made["id"]) is not None
    assert post(admin, PAGE, f"{PAGE}/modeles/999999/retirer", {}).status_code == 404
    assert [a for a, _ in actions(db, "transmissions.templates")] == [
        "transmissions.templates.added",
        "transmissions.templates.updated",
        "transmissions.templates.retired",
        "transmissions.templates.enabled",
    ]


def test_refused_to_everyone_but_the_network_administrator(world, clients, db):
    for name in ("director_a", "coord_a", "nurse_a", "secretary_a", "dpo_a", "coord_b"):
        client = clients(name)
        assert client.get(PAGE).status_code == 403, name
        client.get("/moi")
        forged = client.post(
            f"{PAGE}/cibles/douleur/retirer",
            data={"_csrf_token": client.cookies.get("virage_csrf", "")},
            follow_redirects=False,
        )
        assert forged.status_code == 403, name
        assert "/administration/transmissions" not in client.get("/administration").text
    assert names.get_target(db, "douleur")["active"] == 1
    denied = actions(db, "transmissions.nomenclature.manage")
    assert denied and all(outcome == "denied" for _, outcome in denied)
    # Without the CSRF token, even the network administrator is refused.
    admin = clients("admin")
    admin.get(PAGE)
    assert admin.post(f"{PAGE}/cibles/douleur/retirer", follow_redirects=False).status_code == 403
    # Anonymous: sent to the log-in page; a token (API) never manages the network.
    with TestClient(create_app(world.settings)) as anonymous:
        response = anonymous.get(PAGE, follow_redirects=False)
        assert response.status_code in (302, 303, 401)
        assert anonymous.post(f"{PAGE}/cibles/douleur/retirer").status_code in (401, 403)
    assert names.get_target(db, "douleur")["active"] == 1


def test_a_retired_target_stays_readable_on_old_transmissions(world, client, clients, db):
    written = write(client, world, "nurse_a", target="sommeil", data="Nuit agitée")
    assert written.status_code == 201, written.text
    tid = written.json()["id"]
    assert post(clients("admin"), PAGE, f"{PAGE}/cibles/sommeil/retirer", {}).status_code == 303
    refused = write(client, world, "nurse_a", target="sommeil", data="Encore")
    assert refused.status_code in (400, 422)
    read = client.get(f"/api/v1/transmissions/{tid}", headers=bearer(world, "nurse_a"))
    assert read.status_code == 200 and read.json()["target"] == "sommeil"
    assert "Nuit agitée" in read.text


def test_the_command_line_uses_the_same_checks(world, monkeypatch, capsys, db):
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    assert main(["transmissions", "targets", "edit", "douleur", "--position", "1"]) == 0
    assert names.get_target(db, "douleur")["position"] == 1
    assert main(["transmissions", "targets", "edit", "douleur", "--label", ""]) == 1
    assert "Libellé" in capsys.readouterr().err
    assert main(["transmissions", "templates", "retire", "1"]) == 0
    assert main(["transmissions", "templates", "list", "--all"]) == 0
    assert "[retiré]" in capsys.readouterr().out
    assert main(["transmissions", "templates", "restore", "1"]) == 0
    entry = db.execute(
        "SELECT actor_label FROM audit_log WHERE action = 'transmissions.templates.enabled'"
    ).fetchone()
    assert entry[0] == "ligne de commande"

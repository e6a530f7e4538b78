"""Identity vigilance (RNIV): status from the document checked and the INS retrieved, qualified
only with both; strict traits changed → provisional; EHPAD-only documents; no copy kept; possible
duplicates (accents, case, hyphens set aside) for the roles that manage persons."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import bearer, csrf_from, login
from tests.accounts.sql import query
from virage.accounts.identity_vigilance import duplicate_groups, normalise
from virage.db import connect


def _nir(body: str) -> str:
    return body + f"{97 - int(body) % 97:02d}"


def create(client, world, user, **fields):
    body = {
        "family_name": "Martin",
        "given_names": "Marie-Hélène Louise",
        "birth_date": "1938-04-02",
        "sex": "F",
        **fields,
    }
    r = client.post("/api/v1/persons", json=body, headers=bearer(world, user))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def post(client, url, data=None):
    page = client.get("/moi")
    return client.post(
        url, data={**(data or {}), "_csrf_token": csrf_from(page.text)}, follow_redirects=False
    )


def status(client, pid):
    html = client.get(f"/personnes/{pid}/identite").text
    return next(
        s
        for s in ("provisoire", "récupérée", "validée", "qualifiée")
        if f"Identité {s}</strong>" in html
    )


def test_validated_then_qualified_then_provisional_again(client, world):
    pid = create(client, world, "secretary_a", ins_nir=_nir("2380439123456"))
    login(client, "secretary_a")
    assert status(client, pid) == "provisoire"
    assert (
        post(client, f"/personnes/{pid}/identite/validation", {"document": "passeport"}).status_code
        == 303
    )
    assert status(client, pid) == "validée"
    assert post(client, f"/personnes/{pid}/identite/ins").status_code == 303
    assert status(client, pid) == "qualifiée"
    assert "INS qualifiée" in client.get(f"/personnes/{pid}").text
    r = client.patch(
        f"/api/v1/persons/{pid}",
        json={"given_names": "Marie Hélène"},
        headers=bearer(world, "secretary_a"),
    )
    assert r.status_code == 200
    assert status(client, pid) == "provisoire"
    actions = [
        a
        for (a,) in query(
            world.settings.db_path,
            "SELECT action FROM audit_log WHERE person_id = ? ORDER BY id",
            [pid],
        )
    ]
    for code in (
        "persons.identity.validated",
        "persons.identity.ins_retrieved",
        "persons.identity.reset",
    ):
        assert code in actions
    # Only the type of document is stored: no column could hold a copy.
    db = connect(world.settings.db_path)
    try:
        row = db.fetch_one("SELECT * FROM identity_vigilance WHERE person_id = ?", [pid])
    finally:
        db.close()
    assert row is None  # back to provisional: nothing kept
    db = connect(world.settings.db_path)
    try:
        db.execute(
            "INSERT INTO identity_vigilance (person_id, structure_id) VALUES (?, ?)",
            [pid, world.structures["a"]],
        )
        columns = set(db.fetch_one("SELECT * FROM identity_vigilance WHERE person_id = ?", [pid]))
    finally:
        db.close()
    assert columns == {
        "person_id",
        "structure_id",
        "document",
        "validated_by_label",
        "validated_at",
        "ins_retrieved_by_label",
        "ins_retrieved_at",
    }


def test_retrieved_without_document_is_not_qualified_and_needs_the_ins(client, world):
    login(client, "coord_a")
    p1 = world.persons["p1"]  # no INS recorded
    r = post(client, f"/personnes/{p1}/identite/ins")
    assert r.status_code == 400 and "matricule INS" in r.text
    pid = create(client, world, "coord_a", ins_nir=_nir("2380439123456"))
    assert post(client, f"/personnes/{pid}/identite/ins").status_code == 303
    assert status(client, pid) == "récupérée"


def test_ehpad_documents_only_in_an_ehpad(client, world):
    login(client, "coord_a")
    pid = create(client, world, "coord_a")
    r = post(client, f"/personnes/{pid}/identite/validation", {"document": "livret_famille_vitale"})
    assert r.status_code == 400 and "ne valent qu&#39;en EHPAD" in r.text
    assert (
        post(client, f"/personnes/{pid}/identite/validation", {"document": "photo"}).status_code
        == 400
    )
    client.cookies.clear()
    login(client, "coord_b")
    pid_b = create(client, world, "coord_b")
    r = post(
        client, f"/personnes/{pid_b}/identite/validation", {"document": "livret_famille_vitale"}
    )
    assert r.status_code == 303 and status(client, pid_b) == "validée"


@pytest.mark.parametrize(("user", "code"), [("nurse_a", 403), ("care_a", 403), ("coord_b", 404)])
def test_who_may_not_validate(client, world, user, code):
    pid = create(client, world, "secretary_a")
    login(client, user)
    assert (
        post(client, f"/personnes/{pid}/identite/validation", {"document": "passeport"}).status_code
        == code
    )
    assert query(world.settings.db_path, "SELECT count(*) FROM identity_vigilance") == [(0,)]


def test_normalisation_and_groups():
    assert normalise("  Marie-Hélène  D'ARC ") == "marie helene d arc"
    rows = [
        {
            "id": 1,
            "family_name": "Durand",
            "birth_name": None,
            "given_names": "Jeanne",
            "birth_date": "1930-01-01",
            "sex": "F",
        },
        {
            "id": 2,
            "family_name": "Petit",
            "birth_name": "DURAND",
            "given_names": "jeanne marie",
            "birth_date": "1930-01-01",
            "sex": "F",
        },
        {
            "id": 3,
            "family_name": "Durand",
            "birth_name": None,
            "given_names": "Jeanne",
            "birth_date": "1930-01-02",
            "sex": "F",
        },
    ]
    assert [[p["id"] for p in g] for g in duplicate_groups(rows)] == [[1, 2]]


def test_possible_duplicates_page_and_on_the_new_record(client, world):
    first = create(client, world, "secretary_a")
    second = create(client, world, "secretary_a", family_name="MARTIN", given_names="marie helene")
    create(client, world, "coord_b")  # same traits, another structure: never shown
    login(client, "secretary_a")
    record = client.get(f"/personnes/{second}").text
    assert "Doublons possibles" in record and f"dossier n° {first}" in record
    page = client.get(f"/structures/{world.structures['a']}/personnes/doublons")
    assert page.status_code == 200 and "1 groupe" in page.text
    assert f"dossier n° {first}" in page.text and f"dossier n° {second}" in page.text
    client.cookies.clear()
    login(client, "nurse_a")
    assert client.get(f"/structures/{world.structures['a']}/personnes/doublons").status_code == 403
    client.cookies.clear()
    login(client, "coord_b")
    assert client.get(f"/structures/{world.structures['a']}/personnes/doublons").status_code in (
        403,
        404,
    )


def merge(client, kept, merged, reason="Même carte d'identité vérifiée à l'accueil"):
    return post(
        client, f"/personnes/{kept}/identite/fusion", {"merged_id": merged, "reason": reason}
    )


def test_merge_moves_what_hangs_off_the_duplicate_and_closes_it(client, world):
    kept = create(client, world, "secretary_a")
    dup = create(client, world, "secretary_a", given_names="Marie Helene")
    entry = {"kind": "trusted_person", "name": "Paul Martin", "declared_on": "2026-01-05"}
    r = client.post(
        f"/api/v1/persons/{dup}/entourage", json=entry, headers=bearer(world, "secretary_a")
    )
    assert r.status_code == 201
    team = {"user_id": world.users["nurse_a"]}
    assert client.post(
        f"/api/v1/persons/{dup}/care-team", json=team, headers=bearer(world, "coord_a")
    ).is_success
    login(client, "coord_a")
    assert "Fusionner le dossier n°" in client.get(f"/personnes/{kept}/identite").text
    assert merge(client, kept, dup).status_code == 303
    db = world.settings.db_path
    assert query(db, "SELECT status, merged_into FROM persons WHERE id = ?", [dup]) == [
        ("closed", kept)
    ]
    assert query(db, "SELECT person_id FROM entourage_entries") == [(kept,)]
    assert query(db, "SELECT user_id FROM care_team WHERE person_id = ?", [kept]) == [
        (world.users["nurse_a"],)
    ]
    audit = query(
        db, "SELECT person_id, outcome FROM audit_log WHERE action = 'persons.merged' ORDER BY id"
    )
    assert audit == [(kept, "allowed"), (dup, "allowed")]
    pointer = f'fusionné dans <a href="/personnes/{kept}">le dossier n° {kept}</a>'
    assert pointer in client.get(f"/personnes/{dup}").text


@pytest.mark.parametrize(
    ("user", "code"), [("secretary_a", 403), ("nurse_a", 403), ("coord_b", 404)]
)
def test_merge_is_reserved(client, world, user, code):
    kept = create(client, world, "secretary_a")
    dup = create(client, world, "secretary_a")
    login(client, user)
    assert merge(client, kept, dup).status_code == code
    assert query(
        world.settings.db_path, "SELECT count(*) FROM persons WHERE merged_into IS NOT NULL"
    ) == [(0,)]


def test_merge_refuses_bad_requests(client, world):
    kept = create(client, world, "secretary_a")
    dup = create(client, world, "secretary_a")
    login(client, "coord_a")
    assert merge(client, kept, dup, reason="court").status_code == 400
    assert merge(client, kept, kept).status_code == 400
    assert merge(client, kept, world.persons["p2"]).status_code == 404  # another structure's
    assert post(client, f"/personnes/{kept}/identite/fusion", {"merged_id": "x"}).status_code == 400
    assert query(
        world.settings.db_path, "SELECT count(*) FROM persons WHERE status = 'closed'"
    ) == [(0,)]


def test_merge_keeps_what_was_typed_into_the_duplicate(client, world):
    kept = create(client, world, "secretary_a", phone="", contacts=[{"name": "Paul Martin"}])
    dup = create(
        client,
        world,
        "coord_a",  # the secretariat may not write health notes
        given_names="Marie Helene",
        address="3 rue des Lilas",
        phone="01 02 03 04 05",
        contacts=[
            {"name": "paul  martin"},  # the same contact, typed differently: not twice
            {"name": "Mme Roux", "relation": "voisine", "phone": "06 11 22 33 44"},
        ],
        health_notes="Allergie déclarée à la pénicilline.",
    )
    login(client, "coord_a")
    assert merge(client, kept, dup).status_code == 303
    person = client.get(f"/api/v1/persons/{kept}", headers=bearer(world, "coord_a"))
    assert person.status_code == 200, person.text
    body = person.json()
    assert body["address"] == "3 rue des Lilas" and body["phone"] == "01 02 03 04 05"
    assert [c["name"] for c in body["contacts"]] == ["Paul Martin", "Mme Roux"]
    assert "Allergie déclarée à la pénicilline." in body["health_notes"]
    assert f"Repris du dossier en double n° {dup}" in body["health_notes"]


def test_merge_refuses_rather_than_drop_contacts(client, world):
    many = [{"name": f"Contact {i}"} for i in range(6)]
    kept = create(client, world, "secretary_a", contacts=many)
    dup = create(client, world, "secretary_a", contacts=[{"name": f"Autre {i}"} for i in range(6)])
    login(client, "coord_a")
    refused = merge(client, kept, dup)
    assert refused.status_code == 409 and "plus de 10 contacts" in refused.text
    assert query(
        world.settings.db_path, "SELECT count(*) FROM persons WHERE status = 'closed'"
    ) == [(0,)]

"""The RGPD export follows the secrecy rules: role × export path × section.

Every export path (API GET and POST, web GET and POST) gives the same sections for the same role:
what the role may read through the pages and the API, nothing more. The complete export (health
included) needs ``persons.export.health`` (the DPO) and a stated reason; it is flagged in the audit
trail. A refusal is a 403/404 that writes nothing but one audit entry.
"""

from __future__ import annotations

import json

import pytest

from tests.accounts.conftest import bearer, csrf_from, login
from tests.accounts.sql import query
from tests.agenda.helpers import visit

HEALTH = "Diabète, insuline le matin"
NOTE = "Note de soins : pansement talon droit"
TRANSMISSION = "Retrouvée au sol, hématome au front."
MOTIF = "Demande écrite de Mme Durand reçue le 3 mars (droit d'accès)"

# Sections of p1 once an appointment with a care note and a transmission exist.
CORE = {"personne", "informations_de_sante", "equipe_de_soins", "journal_des_acces"}
AGENDA = "virage.agenda.plugin"
TRANS = "virage.transmissions.plugin"
ALL = CORE | {
    f"{AGENDA}:rendez_vous",
    f"{AGENDA}:notes_de_soins",
    f"{TRANS}:transmissions",
    f"{TRANS}:prises_de_connaissance",
}
NON_HEALTH = {"personne", "equipe_de_soins", "journal_des_acces"}
#: What each role exports without the complete export (the same as what it reads elsewhere).
LIMITED = {
    "director_a": NON_HEALTH | {f"{AGENDA}:rendez_vous"},  # the agenda, not the care notes
    "dpo_a": NON_HEALTH,  # no agenda, no health content
}
#: Roles that hold ``persons.export.health``: a reason gives them everything.
FULL = {"dpo_a"}
REFUSED = {
    "coord_a": 403,
    "nurse_a": 403,
    "nurse2_a": 403,
    "care_a": 403,
    "secretary_a": 403,
    "social_a": 403,
    "nurse_b": 404,
    "coord_b": 404,
}
PATHS = ("api_get", "api_get_motif", "api_post_motif", "web_get", "web_post_motif")


@pytest.fixture
def filled(client, world):
    """p1 with an appointment carrying a care note and a transmission acknowledged."""
    r = visit(client, world, start="2030-09-02T10:00", notes=NOTE)
    assert r.status_code == 201, r.text
    t = client.post(
        "/api/v1/transmissions",
        json={"person_id": world.persons["p1"], "target": "chute", "data": TRANSMISSION},
        headers=bearer(world, "nurse_a"),
    )
    assert t.status_code == 201, t.text
    ack = client.post(
        f"/api/v1/transmissions/{t.json()['id']}/acknowledgements",
        headers=bearer(world, "care_a"),
    )
    assert ack.status_code in (200, 201), ack.text
    return world


def export(client, world, user: str, path: str, person: str = "p1", motif: str = MOTIF):
    pid = world.persons[person]
    if path.startswith("api"):
        url, headers = f"/api/v1/persons/{pid}/export", bearer(world, user)
        if path == "api_get":
            return client.get(url, headers=headers)
        if path == "api_get_motif":
            return client.get(url, params={"motif": motif}, headers=headers)
        return client.post(url, json={"motif": motif}, headers=headers)
    assert login(client, user).status_code == 303
    url = f"/personnes/{pid}/export.json"
    if path == "web_get":
        return client.get(url)
    token = csrf_from(client.get("/moi").text)
    return client.post(url, data={"motif": motif, "_csrf_token": token})


def sections_of(body: dict) -> set[str]:
    found = {k for k in CORE if body[k] is not None}
    for module, parts in body["autres_donnees"].items():
        found |= {f"{module}:{key}" for key in parts}
    return found


def audit_rows(world):
    return query(
        world.settings.db_path,
        "SELECT action, outcome, emergency, details FROM audit_log ORDER BY id",
    )


CASES = [(user, path) for user in [*LIMITED, *REFUSED] for path in PATHS]


@pytest.mark.parametrize(("user", "path"), CASES)
def test_export_matrix(client, filled, user, path):
    world = filled
    before = audit_rows(world)
    response = export(client, world, user, path)
    new = audit_rows(world)[len(before) :]
    if user in REFUSED:
        assert response.status_code == REFUSED[user], response.text
        assert HEALTH not in response.text and TRANSMISSION not in response.text
        refusals = [r for r in new if r[0] == "persons.export"]
        assert [(r[1]) for r in refusals] == ["denied"]
        return
    assert response.status_code == 200, response.text
    body = response.json()
    full = user in FULL and path.endswith("motif")
    expected = ALL if full else LIMITED[user]
    # Nothing left out appears anywhere in the export (raw text of the whole file).
    assert (HEALTH in response.text) == ("informations_de_sante" in expected)
    assert (NOTE in response.text) == (f"{AGENDA}:notes_de_soins" in expected)
    assert (TRANSMISSION in response.text) == (f"{TRANS}:transmissions" in expected)
    assert sections_of(body) == expected
    # The export says what it left out and why, in French.
    omitted = {
        o["section"] if o["module"] == "virage" else f"{o['module']}:{o['section']}"
        for o in body["sections_omises"]
    }
    assert omitted == ALL - expected
    for o in body["sections_omises"]:
        assert o["titre"] and len(o["raison"]) > 20, o
    assert body["export"]["nature"] == ("complet" if full else "limité à ce que vous pouvez lire")
    # One allowed entry for the export, flagged (with its reason) only when complete.
    allowed = [r for r in new if r[0].startswith("persons.export") and r[1] == "allowed"]
    assert len(allowed) == 1
    action, _, flagged, details = allowed[0]
    assert (action, bool(flagged)) == (
        ("persons.export.health", True) if full else ("persons.export", False)
    )
    assert (json.loads(details).get("motif") == MOTIF) == full


def test_director_asking_for_the_complete_export_is_refused_audited_and_told(client, filled):
    world = filled
    before = len(audit_rows(world))
    r = export(client, world, "director_a", "api_post_motif")
    assert r.status_code == 200
    body = r.json()
    assert HEALTH not in r.text and body["informations_de_sante"] is None
    assert "Export complet refusé" in body["export"]["explication"]
    assert body["export"]["motif"] is None
    new = audit_rows(world)[before:]
    assert ("persons.export.health", "denied") in [(a, o) for a, o, _, _ in new]


def test_dpo_without_a_reason_is_told_how_to_get_the_complete_export(client, filled):
    body = export(client, filled, "dpo_a", "api_get").json()
    assert "indiquez-en le motif" in body["export"]["explication"]
    director = export(client, filled, "director_a", "api_get").json()
    assert "par le ou la DPO avec un motif" in director["export"]["explication"]


@pytest.mark.parametrize("motif", ["court", "x" * 501])
@pytest.mark.parametrize("path", ["api_get_motif", "api_post_motif", "web_post_motif"])
def test_a_bad_reason_is_a_clear_400_and_exports_nothing(client, filled, path, motif):
    before = len(audit_rows(filled))
    r = export(client, filled, "dpo_a", path, motif=motif)
    assert r.status_code == 400, r.text
    assert HEALTH not in r.text and "Durand" not in r.text
    assert "motif" in r.text.lower() or "500" in r.text
    exported = [a for a in audit_rows(filled)[before:] if a[0].startswith("persons.export")]
    assert not [a for a in exported if a[1] == "allowed"]


def test_a_director_in_the_care_team_exports_what_the_team_reads(client, filled):
    world = filled
    add = client.post(
        f"/api/v1/persons/{world.persons['p1']}/care-team",
        json={"user_id": world.users["director_a"]},
        headers=bearer(world, "coord_a"),
    )
    assert add.status_code == 201, add.text
    body = export(client, world, "director_a", "api_get").json()
    # Health notes and care notes, like the record page; transmissions stay with the field roles.
    assert sections_of(body) == LIMITED["director_a"] | {
        "informations_de_sante",
        f"{AGENDA}:notes_de_soins",
    }
    assert body["informations_de_sante"] == HEALTH


@pytest.mark.parametrize("user", ["director_a", "dpo_a"])
def test_export_and_reading_agree(client, filled, user):
    """The same decision everywhere: the export has a section iff the API reads it."""
    world, p1 = filled, filled.persons["p1"]
    headers = bearer(world, user)
    body = export(client, world, user, "api_get").json()
    record = client.get(f"/api/v1/persons/{p1}", headers=headers).json()
    assert (body["informations_de_sante"] is not None) == (record["health_notes"] is not None)
    thread = client.get("/api/v1/transmissions", params={"person_id": p1}, headers=headers)
    assert (f"{TRANS}:transmissions" in sections_of(body)) == (thread.status_code == 200)
    log = client.get(f"/api/v1/persons/{p1}/access-log", headers=headers)
    assert (body["journal_des_acces"] is not None) == (log.status_code == 200)


def test_complete_export_shows_in_who_consulted_and_the_journal(client, filled):
    world, p1 = filled, filled.persons["p1"]
    assert export(client, world, "dpo_a", "web_post_motif").status_code == 200
    assert login(client, "director_a").status_code == 303
    page = client.get(f"/personnes/{p1}")
    assert page.status_code == 200
    who = page.text.split('id="acces"')[1]
    assert "export complet motivé (droit d&#39;accès)" in who
    assert "Motif : Demande écrite de Mme Durand" in who
    journal = client.get(f"/structures/{world.structures['a']}/journal", params={"urgence": True})
    assert "persons.export.health" in journal.text and "Motif : Demande écrite" in journal.text
    # The director exports the entries about one person (the whole journal is the DPO's).
    csv = client.get(
        f"/structures/{world.structures['a']}/journal", params={"format": "csv", "personne": p1}
    )
    assert csv.status_code == 200 and "export complet motivé" in csv.text
    api_log = client.get(f"/api/v1/persons/{p1}/access-log", headers=bearer(world, "dpo_a"))
    flagged = [e for e in api_log.json() if e["action"] == "persons.export.health"]
    assert flagged and flagged[0]["emergency"] is True


def test_record_page_offers_the_complete_export_to_the_dpo_only(client, world):
    p1 = world.persons["p1"]
    pages = {}
    for user in ("dpo_a", "director_a"):
        assert login(client, user).status_code == 303
        pages[user] = client.get(f"/personnes/{p1}").text
    assert 'id="export-complet"' in pages["dpo_a"] and 'name="motif"' in pages["dpo_a"]
    assert 'id="export-complet"' not in pages["director_a"]
    assert f"/personnes/{p1}/export.json" in pages["director_a"]

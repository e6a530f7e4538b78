"""Who reads and writes each part of the file, for every role of the small world.

p1 (structure a) has nurse_a and care_a in her care team. The secretariat reads the identity and
the entourage, never the plan nor the assessments; the direction reads the plan's general items
(not the care items, nor the assessments, unless in the care team); another structure does not
even learn that the person exists (404).
"""

from __future__ import annotations

from tests.accounts.sql import query
from tests.dossier.conftest import PLAN, bearer, login, write_assessment, write_plan
from virage.accounts import lookups
from virage.db import connect

ROLES = [
    "director_a",
    "dpo_a",
    "coord_a",
    "nurse_a",
    "nurse2_a",
    "care_a",
    "secretary_a",
    "social_a",
    "nurse_b",
    "coord_b",
]
OTHER_STRUCTURE = {"nurse_b": 404, "coord_b": 404}


def _expect(allowed: set[str]) -> dict[str, int]:
    return {name: 200 if name in allowed else OTHER_STRUCTURE.get(name, 403) for name in ROLES}


def _statuses(client, world, method, path, body=None):
    out = {}
    for name in ROLES:
        response = client.request(method, path, json=body, headers=bearer(world, name))
        out[name] = 200 if response.status_code in (200, 201) else response.status_code
    return out


def test_reading_the_plan(client, world):
    assert write_plan(client, world).status_code == 201
    p1 = world.persons["p1"]
    path = f"/api/v1/persons/{p1}/dossier/plan"
    assert _statuses(client, world, "GET", path) == _expect(
        {"director_a", "coord_a", "nurse_a", "care_a"}
    )
    # care items: only those who read health content
    for name, shown in {"coord_a": 2, "nurse_a": 2, "care_a": 2, "director_a": 1}.items():
        body = client.get(path, headers=bearer(world, name)).json()
        assert len(body["objectives"]) == shown, name
        assert body["hidden_care_objectives"] == 2 - shown
        if shown == 1:
            assert "pansements" not in str(body)
    # every read is in the journal, refusals too
    rows = query(
        world.settings.db_path, "SELECT outcome FROM audit_log WHERE action = 'dossier.plan.read'"
    )
    assert {r[0] for r in rows} == {"allowed", "denied"}


def test_writing_the_plan(client, world):
    p1 = world.persons["p1"]
    path = f"/api/v1/persons/{p1}/dossier/plan"
    assert _statuses(client, world, "POST", path, PLAN) == _expect({"coord_a", "nurse_a"})
    versions = client.get(path, headers=bearer(world, "coord_a")).json()["versions"]
    assert [v["version"] for v in versions] == [2, 1]


def test_a_care_objective_needs_a_health_writer(client, world):
    # the social worker of the team may write the plan, not a care item
    p1 = world.persons["p1"]
    db = connect(world.settings.db_path)
    lookups.add_to_care_team(db, p1, world.users["social_a"], world.users["coord_a"])
    db.commit()
    db.close()
    response = write_plan(client, world, name="social_a")
    assert response.status_code == 400
    assert "objectif de soins" in response.json()["detail"]
    general = {**PLAN, "objectives": PLAN["objectives"][:1]}
    assert write_plan(client, world, name="social_a", body=general).status_code == 201
    assert (
        client.get(f"/api/v1/persons/{p1}/dossier/plan", headers=bearer(world, "coord_a")).json()[
            "objectives"
        ][0]["care"]
        == 0
    )


def test_reading_and_writing_assessments(client, world):
    p1 = world.persons["p1"]
    body = {
        "questionnaire": "chutes",
        "answers": {
            "chutes_12_mois": "2",
            "chute_grave": "non",
            "medicaments": "3",
            "psychotropes": "oui",
            "peur_de_tomber": "non",
            "troubles_vue": "non",
            "logement": "non",
        },
        "answered_on": "2026-12-01",
        "respondent": "proche",
        "respondent_name": "sa fille",
    }
    path = f"/api/v1/persons/{p1}/dossier/assessments"
    assert _statuses(client, world, "POST", path, body) == _expect({"coord_a", "nurse_a", "care_a"})
    assert _statuses(client, world, "GET", path) == _expect({"coord_a", "nurse_a", "care_a"})
    rows = client.get(path, headers=bearer(world, "nurse_a")).json()
    assert rows[0]["result"] == "2 facteurs de risque repérés"
    assert rows[0]["respondent"] == "proche" and rows[0]["respondent_name"] == "sa fille"
    assert rows[0]["filled_by_label"]


def test_exporting_and_importing(client, world):
    p1 = world.persons["p1"]
    assert _statuses(client, world, "GET", f"/api/v1/persons/{p1}/dossier/fhir") == _expect(
        {"coord_a"}
    )
    structure = _statuses(client, world, "GET", "/api/v1/dossiers/fhir")
    assert {n for n, s in structure.items() if s == 200} == {"coord_a", "coord_b"}
    bundle = client.get(f"/api/v1/persons/{p1}/dossier/fhir", headers=bearer(world, "coord_a"))
    imported = {}
    for name in ROLES:
        response = client.post(
            "/api/v1/dossiers/fhir", content=bundle.content, headers=bearer(world, name)
        )
        imported[name] = response.status_code
    assert {n for n, s in imported.items() if s == 201} == {"coord_a", "coord_b"}
    assert all(s == 403 for n, s in imported.items() if n not in ("coord_a", "coord_b"))


def test_the_file_page_for_every_role(client, world):
    assert write_plan(client, world).status_code == 201
    assert write_assessment(client, world).status_code == 201
    p1 = world.persons["p1"]
    seen = {}
    for name in ROLES:
        client.cookies.clear()
        login(client, name)
        page = client.get(f"/personnes/{p1}/dossier")
        seen[name] = (
            page.status_code,
            "Rester chez moi" in page.text,
            "pansements" in page.text,
            "GIR 2" in page.text,
        )
    assert seen["coord_a"] == seen["nurse_a"] == seen["care_a"] == (200, True, True, True)
    assert seen["director_a"] == (200, True, False, False)
    assert seen["secretary_a"] == (200, False, False, False)
    assert seen["dpo_a"] == (200, False, False, False)
    assert seen["nurse2_a"][0] == seen["social_a"][0] == 403
    assert seen["nurse_b"][0] == seen["coord_b"][0] == 404


def test_reviews_to_plan(client, world):
    assert write_plan(client, world).status_code == 201
    for name in ROLES:
        client.cookies.clear()
        login(client, name)
        page = client.get("/dossier/revisions")
        if name in ("director_a", "coord_a"):
            assert page.status_code == 200
            assert "Jeanne DURAND" in page.text and "15 janvier 2027" in page.text
        else:
            assert page.status_code == 403 or "Jeanne DURAND" not in page.text, name

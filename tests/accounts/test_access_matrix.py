"""The access matrix, over HTTP: users × actions × targets, each expected allowed or refused.

Every refusal must be a 403/404 with a clear French message, and write nothing but an audit entry.
"""

from __future__ import annotations

import pytest

from tests.accounts.conftest import bearer
from tests.accounts.sql import query
from virage.db import connect

OK, FORBIDDEN, NOT_FOUND = 200, 403, 404

# (action name, method, path template, json body)
ACTIONS = {
    "read_record": ("GET", "/api/v1/persons/{p}", None),
    "update_identity": ("PATCH", "/api/v1/persons/{p}", {"city": "Nouvelle-Ville"}),
    "update_health": ("PATCH", "/api/v1/persons/{p}", {"health_notes": "modifié"}),
    "add_to_team": ("POST", "/api/v1/persons/{p}/care-team", {"user_id": "{nurse2_a}"}),
    "export": ("GET", "/api/v1/persons/{p}/export", None),
    "access_log": ("GET", "/api/v1/persons/{p}/access-log", None),
}

# Expected status for p1 (structure A, care team: nurse_a, care_a).
MATRIX_P1 = {
    #             read  upd_id upd_health add_team export access_log
    "director_a": (OK, OK, FORBIDDEN, OK, OK, OK),
    "dpo_a": (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
    "coord_a": (OK, OK, OK, OK, FORBIDDEN, OK),
    "nurse_a": (OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "care_a": (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "nurse2_a": (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "secretary_a": (OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "social_a": (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "nurse_b": (NOT_FOUND,) * 6,  # another structure: its existence is not revealed
    "coord_b": (NOT_FOUND,) * 6,
}

CASES = [
    (user, action, expected)
    for user, row in MATRIX_P1.items()
    for action, expected in zip(ACTIONS, row, strict=True)
]


def _snapshot(path):
    persons = query(path, "SELECT * FROM persons ORDER BY id")
    team = query(path, "SELECT person_id, user_id FROM care_team ORDER BY 1, 2")
    [audit] = query(
        path,
        "SELECT count(*), sum(CASE WHEN outcome = 'denied' THEN 1 ELSE 0 END) FROM audit_log",
    )
    return persons, team, audit


def _call(client, world, user, action, person="p1"):
    method, path, body = ACTIONS[action]
    path = path.format(p=world.persons[person])
    if isinstance(body, dict):
        body = {k: (world.users["nurse2_a"] if v == "{nurse2_a}" else v) for k, v in body.items()}
    return client.request(method, path, json=body, headers=bearer(world, user))


@pytest.mark.parametrize(("user", "action", "expected"), CASES)
def test_matrix_on_a_person_of_structure_a(client, world, user, action, expected):
    before = _snapshot(world.settings.db_path)
    response = _call(client, world, user, action)
    assert response.status_code in ((200, 201) if expected == OK else (expected,)), response.text
    after = _snapshot(world.settings.db_path)
    if expected != OK:
        detail = response.json()["detail"]
        assert len(detail) > 20 and "Traceback" not in detail
        # nothing changed but one more audit entry, a refusal
        assert after[0] == before[0] and after[1] == before[1]
        assert after[2][0] == before[2][0] + 1
        assert after[2][1] == (before[2][1] or 0) + 1
    else:
        assert after[2][0] > before[2][0], "an allowed access to personal data must be audited"


def test_health_content_hidden_from_the_secretary(client, world):
    body = client.get(
        f"/api/v1/persons/{world.persons['p1']}", headers=bearer(world, "secretary_a")
    ).json()
    assert body["family_name"] == "Durand"
    assert body["health_notes"] is None
    nurse = client.get(
        f"/api/v1/persons/{world.persons['p1']}", headers=bearer(world, "nurse_a")
    ).json()
    assert nurse["health_notes"] == "Diabète, insuline le matin"


def test_director_sees_activity_not_content(client, world):
    body = client.get(
        f"/api/v1/persons/{world.persons['p1']}", headers=bearer(world, "director_a")
    ).json()
    assert body["health_notes"] is None


def test_lists_are_scoped(client, world):
    def names(user):
        r = client.get("/api/v1/persons", headers=bearer(world, user))
        assert r.status_code == 200
        return {p["family_name"] for p in r.json()}

    assert names("secretary_a") == {"Durand"}
    assert names("nurse_a") == {"Durand"}  # her care team
    assert names("nurse2_a") == set()  # in no care team
    assert names("nurse_b") == {"Petit"}  # never another structure's persons


def test_removed_team_member_loses_access(client, world):
    p1 = world.persons["p1"]
    assert client.get(f"/api/v1/persons/{p1}", headers=bearer(world, "care_a")).status_code == 200
    r = client.delete(
        f"/api/v1/persons/{p1}/care-team/{world.users['care_a']}", headers=bearer(world, "coord_a")
    )
    assert r.status_code == 204
    r = client.get(f"/api/v1/persons/{p1}", headers=bearer(world, "care_a"))
    assert r.status_code == 403 and "équipe de soins" in r.json()["detail"]


def test_emergency_access_is_reasoned_time_limited_and_flagged(client, world):
    p1 = world.persons["p1"]
    r = client.post(
        f"/api/v1/persons/{p1}/emergency-access",
        json={"reason": "court"},
        headers=bearer(world, "nurse2_a"),
    )
    assert r.status_code == 400
    r = client.post(
        f"/api/v1/persons/{p1}/emergency-access",
        json={"reason": "Appel de la famille : chute, la titulaire est absente"},
        headers=bearer(world, "nurse2_a"),
    )
    assert r.status_code == 201, r.text
    assert r.json()["health_notes"] == "Diabète, insuline le matin"
    log = client.get(f"/api/v1/persons/{p1}/access-log", headers=bearer(world, "director_a")).json()
    flagged = [e for e in log if e["emergency"]]
    assert flagged and flagged[0]["actor_label"].startswith("nurse2 a")
    opened = [e for e in log if e["action"] == "emergency_access.open"]
    assert opened and "titulaire" in opened[0]["details"]
    # a secretary cannot break the glass
    r = client.post(
        f"/api/v1/persons/{p1}/emergency-access",
        json={"reason": "Je voudrais voir le dossier médical"},
        headers=bearer(world, "secretary_a"),
    )
    assert r.status_code == 403


def test_closed_record_is_read_only(client, world):
    p1 = world.persons["p1"]
    assert (
        client.post(f"/api/v1/persons/{p1}/close", headers=bearer(world, "coord_a")).status_code
        == 200
    )
    r = client.patch(
        f"/api/v1/persons/{p1}", json={"city": "Ailleurs"}, headers=bearer(world, "coord_a")
    )
    assert r.status_code == 409 and "clos" in r.json()["detail"]
    assert (
        client.get(f"/api/v1/persons/{p1}", headers=bearer(world, "coord_a")).json()["city"]
        == "Loue"
    )


def test_export_follows_secrecy_unless_complete_and_reasoned(client, world):
    p1 = world.persons["p1"]
    limited = client.get(f"/api/v1/persons/{p1}/export", headers=bearer(world, "dpo_a")).json()
    assert limited["informations_de_sante"] is None
    assert "Diabète" not in str(limited)
    assert {m["display_name"] for m in limited["equipe_de_soins"]} == {"nurse a", "care a"}
    complete = client.post(
        f"/api/v1/persons/{p1}/export",
        json={"motif": "Demande écrite de la personne (droit d'accès)"},
        headers=bearer(world, "dpo_a"),
    ).json()
    assert complete["informations_de_sante"] == "Diabète, insuline le matin"
    db = connect(world.settings.db_path)
    rows = db.execute(
        "SELECT action, emergency FROM audit_log WHERE person_id = ? AND action LIKE 'persons.export%'",
        [p1],
    ).fetchall()
    assert rows == [("persons.export", 0), ("persons.export.health", 1)]


def test_audit_log_is_append_only(world, client):
    client.get(f"/api/v1/persons/{world.persons['p1']}", headers=bearer(world, "nurse_a"))
    db = connect(world.settings.db_path)
    with pytest.raises(db.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET actor_label = 'personne'")
    with pytest.raises(db.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit_log")


def test_structure_audit_api_for_director_only(client, world):
    who_read_p1 = {"person_id": world.persons["p1"]}
    director = bearer(world, "director_a")
    assert client.get("/api/v1/audit", params=who_read_p1, headers=director).status_code == 200
    # The whole journal, every line with its author: the DPO's, with a reason (POST).
    assert client.get("/api/v1/audit", headers=director).status_code == 403
    assert client.get("/api/v1/audit", headers=bearer(world, "nurse_a")).status_code == 403


@pytest.mark.parametrize(
    "payload",
    [
        {"family_name": "", "given_names": "Ana"},
        {"family_name": "X", "given_names": "Ana", "postcode": "7500"},
        {"family_name": "X", "given_names": "Ana", "birth_date": "2090-01-01"},
        {"family_name": "X", "given_names": "Ana", "ins_nir": "123"},
        {"family_name": "X", "given_names": "Ana", "sex": "Z"},
    ],
)
def test_bad_person_input_is_a_clear_french_400(client, world, payload):
    r = client.post("/api/v1/persons", json=payload, headers=bearer(world, "secretary_a"))
    assert r.status_code == 400
    body = r.json()
    assert body["detail"].startswith("Certaines données")
    assert body["errors"] and all(e["message"] for e in body["errors"])
    assert not any("should" in e["message"] for e in body["errors"]), body["errors"]

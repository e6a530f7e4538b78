"""The entourage through the API: every role, both parts (social and declared health), audit,
bad input bounded, another structure's person unknown."""

from __future__ import annotations

import json

import pytest

from tests.accounts.sql import query
from tests.entourage.conftest import ALLERGY, TREATMENT, TRUSTED, add, bearer, read


def rows(world, sql, params=()):
    return query(world.settings.db_path, sql, params)


def kinds(response):
    return sorted(e["kind"] for e in response.json()["entries"])


def test_secretariat_records_the_trusted_person_and_a_nurse_of_the_team_the_allergy(client, world):
    r = add(client, world, "secretary_a", TRUSTED)
    assert r.status_code == 201, r.text
    assert kinds(r) == ["trusted_person"] and r.json()["health_included"] is False
    r = add(client, world, "nurse_a", ALLERGY)
    assert r.status_code == 201, r.text
    assert kinds(r) == ["allergy", "trusted_person"] and r.json()["health_included"] is True
    audit = rows(
        world,
        "SELECT action, outcome, details FROM audit_log WHERE action LIKE 'entourage.%'"
        " AND action LIKE '%added' ORDER BY id",
    )
    assert [(a, o) for a, o, _ in audit] == [
        ("entourage.added", "allowed"),
        ("entourage.health.added", "allowed"),
    ]
    assert json.loads(audit[0][2]) == {"nature": "trusted_person"}


@pytest.mark.parametrize(
    ("user", "status", "health"),
    [
        ("secretary_a", 200, False),
        ("director_a", 200, False),  # not in the care team
        ("dpo_a", 200, False),
        ("coord_a", 200, True),
        ("nurse_a", 200, True),
        ("care_a", 200, True),
        ("nurse2_a", 403, None),  # a nurse outside the team: nothing
        ("social_a", 403, None),
        ("nurse_b", 404, None),  # another structure: not even known
        ("coord_b", 404, None),
    ],
)
def test_who_reads_what(client, world, user, status, health):
    assert add(client, world, "secretary_a", TRUSTED).status_code == 201
    assert add(client, world, "nurse_a", ALLERGY).status_code == 201
    r = read(client, world, user)
    assert r.status_code == status, r.text
    if status == 200:
        assert r.json()["health_included"] is health
        assert kinds(r) == (["allergy", "trusted_person"] if health else ["trusted_person"])
        assert "Pénicilline" not in r.text or health


@pytest.mark.parametrize(
    ("user", "body", "status"),
    [
        ("secretary_a", ALLERGY, 403),  # the secretariat writes no health
        ("care_a", ALLERGY, 403),  # health.write: coordinator, nurse of the team
        ("nurse2_a", ALLERGY, 403),  # outside the team
        ("nurse_a", TRUSTED, 403),  # identity is managed by the secretariat, coordination
        ("coord_b", TRUSTED, 404),
    ],
)
def test_who_may_not_write(client, world, user, body, status):
    assert add(client, world, user, body).status_code == status
    assert rows(world, "SELECT count(*) FROM entourage_entries") == [(0,)]


def test_another_structures_person_is_unknown(client, world):
    assert add(client, world, "coord_b", TRUSTED, person="p2").status_code == 201
    assert read(client, world, "coord_a", person="p2").status_code == 404
    assert add(client, world, "coord_a", TRUSTED, person="p2").status_code == 404
    entry = rows(world, "SELECT id FROM entourage_entries")[0][0]
    pid = world.persons["p1"]  # an entry of p2 reached through p1: unknown
    r = client.delete(f"/api/v1/persons/{pid}/entourage/{entry}", headers=bearer(world, "coord_a"))
    assert r.status_code == 404
    assert rows(world, "SELECT count(*) FROM entourage_entries") == [(1,)]


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "trusted_person", "name": "", "declared_on": "2026-01-01"},
        {"kind": "trusted_person", "name": "X", "declared_on": "2999-01-01"},
        {"kind": "trusted_person", "name": "X" * 500, "declared_on": "2026-01-01"},
        {"kind": "relative", "name": "Paul", "may_know": "tout", "declared_on": "2026-01-01"},
        {"kind": "protection", "name": "UDAF", "detail": "prison"},
        {"kind": "allergy", "detail": "Iode", "source": "voisin", "declared_on": "2026-01-01"},
        {"kind": "nope", "name": "X"},
        {"kind": "trusted_person", "name": "X", "declared_on": "2026-01-01", "sql": "1"},
    ],
)
def test_bad_input_is_a_french_400_and_nothing_stored(client, world, body):
    r = add(client, world, "coord_a", body)
    assert r.status_code == 400, r.text
    assert rows(world, "SELECT count(*) FROM entourage_entries") == [(0,)]


def test_one_trusted_person_at_a_time_and_removal(client, world):
    assert add(client, world, "secretary_a", TRUSTED).status_code == 201
    again = add(client, world, "secretary_a", {**TRUSTED, "name": "Paul Durand"})
    assert again.status_code == 409 and "existe déjà" in again.json()["detail"]
    entry = read(client, world, "secretary_a").json()["entries"][0]["id"]
    pid = world.persons["p1"]
    assert (
        client.delete(
            f"/api/v1/persons/{pid}/entourage/{entry}", headers=bearer(world, "nurse_a")
        ).status_code
        == 403
    )
    r = client.delete(
        f"/api/v1/persons/{pid}/entourage/{entry}", headers=bearer(world, "secretary_a")
    )
    assert r.status_code == 204
    assert rows(world, "SELECT count(*) FROM entourage_entries") == [(0,)]
    assert ("entourage.removed",) in rows(world, "SELECT action FROM audit_log")


def test_health_reads_are_audited_separately(client, world):
    add(client, world, "nurse_a", TREATMENT)
    read(client, world, "secretary_a")
    read(client, world, "nurse_a")
    audit = rows(
        world,
        "SELECT u.username, a.action FROM audit_log a JOIN users u ON u.id = a.actor_user_id"
        " WHERE a.action IN ('entourage.read', 'entourage.health.read') ORDER BY a.id",
    )
    assert audit[-3:] == [
        ("secretary_a", "entourage.read"),
        ("nurse_a", "entourage.read"),
        ("nurse_a", "entourage.health.read"),
    ]

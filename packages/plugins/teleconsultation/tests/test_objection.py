"""A person who objected to the sharing of her health information outside her care team
(art. L1110-4 CSP) is not put in a video session with a doctor outside it: the request, the
booking and the start are refused with the reason, and audited. A doctor of her team is not
concerned."""

from __future__ import annotations

import json

import pytest
from tc_helpers import API, PREPARED, request_tc, soon, step

from tests.accounts.conftest import bearer
from virage.sdk import AccessContext, accounts
from virage.sdk.testing import connect, core_registry


def _object(world, scope: str) -> None:
    db = connect(world.settings.db_path)
    try:
        user = accounts.user_by_username(db, "coord_a")
        access = AccessContext(db, core_registry(), accounts.actor_for_user(db, user), "t")
        accounts.record_objection(access, world.persons["p1"], scope, "2026-03-03", None)
    finally:
        db.close()


def _refusals(world) -> list[tuple[str, dict]]:
    db = connect(world.settings.db_path)
    try:
        return [
            (action, json.loads(details))
            for action, details in db.execute(
                "SELECT action, details FROM audit_log WHERE outcome = 'denied'"
                " AND action LIKE 'teleconsultation.%' ORDER BY id"
            ).fetchall()
        ]
    finally:
        db.close()


@pytest.mark.parametrize("scope", ["sante", "tout"])
def test_no_request_with_an_outside_doctor(client, world, doctors, scope):
    _object(world, scope)
    r = client.post(
        API,
        json={
            "person_id": world.persons["p1"],
            "doctor_professional_id": doctors["external"],
            "reason": "Avis sur une plaie",
        },
        headers=bearer(world, "nurse_a"),
    )
    assert r.status_code == 403
    said = r.json()["detail"]
    assert "s'est opposé·e le 3 mars 2026" in said and "hors de son équipe de soins" in said
    assert _refusals(world) == [
        ("teleconsultation.request", {"raison": "opposition au partage", "portee": scope})
    ]
    listed = client.get(API, headers=bearer(world, "nurse_a"))
    assert listed.status_code == 200 and listed.json() == []


def test_a_doctor_of_her_care_team_is_not_concerned(client, world, doctors):
    _object(world, "sante")
    tc = request_tc(client, world, doctors["account"])  # nurse2_a's account, in p1's team
    step(client, world, tc["id"], "planifier", json={"start": soon()})
    step(client, world, tc["id"], "preparer", json=PREPARED)
    assert step(client, world, tc["id"], "commencer")["status"] == "in_progress"
    assert _refusals(world) == []


def test_an_objection_recorded_later_stops_the_booking_and_the_start(client, world, doctors):
    booked = request_tc(client, world, doctors["external"])
    ready = request_tc(client, world, doctors["external"])
    step(client, world, ready["id"], "planifier", json={"start": soon()})
    step(client, world, ready["id"], "preparer", json=PREPARED)
    _object(world, "sante")
    r = client.post(
        f"{API}/{booked['id']}/planifier",
        json={"start": soon(30)},
        headers=bearer(world, "nurse_a"),
    )
    assert r.status_code == 403 and "opposé·e" in r.json()["detail"]
    r = client.post(f"{API}/{ready['id']}/commencer", json={}, headers=bearer(world, "nurse_a"))
    assert r.status_code == 403 and "opposé·e" in r.json()["detail"]
    states = {
        t["id"]: t["status"] for t in client.get(API, headers=bearer(world, "nurse_a")).json()
    }
    assert states == {booked["id"]: "requested", ready["id"]: "ready"}
    assert [a for a, _ in _refusals(world)] == [
        "teleconsultation.schedule",
        "teleconsultation.start",
    ]

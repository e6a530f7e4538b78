"""Conflicts: a busy professional is refused with the clashing appointment named (409), unless a
coordinator forces it; on-call duty and cancelled appointments do not block; absences do."""

from __future__ import annotations

from tests.accounts.conftest import bearer
from tests.agenda.helpers import API, book, visit
from virage.db import connect


def _count(world) -> int:
    conn = connect(world.settings.db_path)
    try:
        return conn.execute("SELECT count(*) FROM agenda_appointments").fetchone()[0]
    finally:
        conn.close()


def test_busy_professional_is_refused_with_the_clash_named(client, world):
    first = visit(client, world, start="2030-05-06T09:00", duration_minutes=60, title="Toilette")
    assert first.status_code == 201
    before = _count(world)
    r = book(client, world, "secretary_a", start="2030-05-06T09:30", duration_minutes=30)
    assert r.status_code == 409
    body = r.json()
    assert "nurse a est déjà occupé·e lundi 6 mai 2030 de 9 h 00 à 10 h 00" in body["detail"]
    assert f"rendez-vous n° {first.json()['id']}" in body["detail"]
    assert "seule la coordination" in body["detail"]
    assert body["errors"][0]["rendez_vous"] == first.json()["id"]
    assert body["errors"][0]["intitule"] == "Toilette"
    assert _count(world) == before


def test_touching_appointments_do_not_clash(client, world):
    assert visit(client, world, start="2030-05-06T09:00", duration_minutes=30).status_code == 201
    assert (
        book(client, world, "coord_a", start="2030-05-06T09:30", duration_minutes=30).status_code
        == 201
    )
    assert (
        book(client, world, "coord_a", start="2030-05-06T08:30", duration_minutes=30).status_code
        == 201
    )


def test_coordinator_may_force_and_it_is_recorded(client, world):
    visit(client, world, start="2030-05-06T09:00", duration_minutes=60)
    r = book(client, world, "coord_a", start="2030-05-06T09:30", force=True)
    assert r.status_code == 201, r.text
    assert r.json()["forced"] is True
    conn = connect(world.settings.db_path)
    actions = [a for (a,) in conn.execute("SELECT action FROM audit_log ORDER BY id")]
    conn.close()
    assert "agenda.forced" in actions


def test_secretary_cannot_force(client, world):
    visit(client, world, start="2030-05-06T09:00", duration_minutes=60)
    r = book(client, world, "secretary_a", start="2030-05-06T09:30", force=True)
    assert r.status_code == 403
    assert "conflit" in r.json()["detail"]


def test_conflict_detection_for_a_series(client, world):
    visit(client, world, start="2030-05-09T08:10", duration_minutes=20)  # a Thursday
    r = visit(
        client,
        world,
        start="2030-05-06T08:00",
        duration_minutes=30,
        recurrence={"rrule": "FREQ=DAILY;COUNT=7"},
    )
    assert r.status_code == 409
    assert "jeudi 9 mai 2030" in r.json()["detail"]


def test_on_call_duty_does_not_block(client, world):
    r = book(
        client,
        world,
        "coord_a",
        kind="on_call",
        title="Astreinte du week-end",
        start="2030-05-11T08:00",
        duration_minutes=48 * 60,
    )
    assert r.status_code == 201, r.text
    assert visit(client, world, start="2030-05-11T10:00").status_code == 201


def test_cancelled_appointments_free_the_time(client, world):
    first = visit(client, world, start="2030-05-06T09:00", duration_minutes=60).json()
    r = client.post(
        f"{API}/appointments/{first['id']}/cancel",
        json={"reason": "reporté"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200
    assert book(client, world, "secretary_a", start="2030-05-06T09:15").status_code == 201
    # reinstating the cancelled one now clashes
    r = client.post(
        f"{API}/appointments/{first['id']}/status",
        json={"status": "planned"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 409


def test_moving_onto_a_busy_slot_is_refused(client, world):
    visit(client, world, start="2030-05-06T09:00", duration_minutes=60)
    other = book(client, world, "coord_a", start="2030-05-06T14:00").json()
    r = client.patch(
        f"{API}/appointments/{other['id']}",
        json={"start": "2030-05-06T09:30", "end": "2030-05-06T10:30"},
        headers=bearer(world, "secretary_a"),
    )
    assert r.status_code == 409 and "déjà occupé" in r.json()["detail"]
    # moving it within its own slot is not a conflict with itself
    r = client.patch(
        f"{API}/appointments/{other['id']}",
        json={"start": "2030-05-06T14:15", "end": "2030-05-06T15:15"},
        headers=bearer(world, "secretary_a"),
    )
    assert r.status_code == 200, r.text


def test_absence_is_a_conflict(client, world):
    r = client.post(
        f"{API}/professionals/{world.users['nurse_a']}/absences",
        json={"kind": "leave", "start": "2030-05-06", "end": "2030-05-10"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 201, r.text
    r = visit(client, world, "secretary_a", start="2030-05-08T09:00")
    assert r.status_code == 409
    assert "absent·e (congé)" in r.json()["detail"]
    assert r.json()["errors"][0]["motif"] == "absence"


def test_outside_working_hours_is_a_warning_only(client, world):
    r = client.put(
        f"{API}/professionals/{world.users['nurse_a']}/working-hours",
        json={"slots": [{"weekday": d, "start": "08:00", "end": "12:00"} for d in range(5)]},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200, r.text
    r = visit(client, world, start="2030-05-06T15:00")
    assert r.status_code == 201
    assert r.json()["warnings"] == ["nurse a ne travaille pas sur ce créneau d'après ses horaires."]


def test_another_structures_clash_is_not_described(client, world):
    # nurse_a also works for structure B (two memberships): B's visit blocks her time in A,
    # but A's secretary does not learn what it is.
    from virage.accounts import storage
    from virage.db import connect

    db = connect(world.settings.db_path)
    storage.add_membership(db, world.users["nurse_a"], world.structures["b"], "nurse")
    db.conn.close()
    r = client.post(
        f"{API}/appointments",
        json={
            "kind": "home_visit",
            "person_id": world.persons["p2"],
            "professional_ids": [world.users["nurse_a"]],
            "start": "2030-05-06T09:00",
            "title": "Pansement jambe gauche",
        },
        headers=bearer(world, "coord_b"),
    )
    assert r.status_code == 201, r.text
    r = book(client, world, "secretary_a", start="2030-05-06T09:15")
    assert r.status_code == 409
    assert "rendez-vous d'une autre structure" in r.json()["detail"]
    assert "Pansement" not in r.text
    assert r.json()["errors"][0]["rendez_vous"] is None

"""The access model in the agenda: the secretariat books and sees identities but never care notes;
care notes follow the care team; another structure sees nothing; field workers book their own."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import bearer
from tests.agenda.helpers import API, book, visit
from virage.db import connect

NOTES = "Glycémie avant l'insuline"


@pytest.fixture
def appointment(client, world):
    r = visit(
        client,
        world,
        "coord_a",
        start="2030-06-03T08:00",
        notes=NOTES,
        to_bring="Lecteur de glycémie",
        title="Soins du matin",
    )
    assert r.status_code == 201, r.text
    return r.json()


def _get(client, world, who, appointment_id):
    return client.get(f"{API}/appointments/{appointment_id}", headers=bearer(world, who))


def test_secretary_books_but_never_reads_care_notes(client, world, appointment):
    r = _get(client, world, "secretary_a", appointment["id"])
    assert r.status_code == 200
    data = r.json()
    assert data["notes"] is None and data["has_notes"] is True
    assert data["person"]["display"] == "Jeanne DURAND" and data["person"]["identity"] is True
    assert data["to_bring"] == "Lecteur de glycémie"
    assert NOTES not in r.text
    # she books for the person, but cannot write care notes
    r = visit(client, world, "secretary_a", start="2030-06-04T08:00")
    assert r.status_code == 201
    r = visit(client, world, "secretary_a", start="2030-06-05T08:00", notes="tension")
    assert r.status_code == 403
    r = client.patch(
        f"{API}/appointments/{appointment['id']}",
        json={"notes": "effacé"},
        headers=bearer(world, "secretary_a"),
    )
    assert r.status_code == 403


def test_care_team_reads_notes_and_the_read_is_audited(client, world, appointment):
    for who in ("nurse_a", "care_a", "coord_a"):
        r = _get(client, world, who, appointment["id"])
        assert r.status_code == 200 and r.json()["notes"] == NOTES, who
    conn = connect(world.settings.db_path)
    rows = conn.execute(
        "SELECT a.action, u.username FROM audit_log a JOIN users u ON u.id = a.actor_user_id"
        " WHERE a.action = 'agenda.notes.read' AND a.person_id = ?",
        [world.persons["p1"]],
    ).fetchall()
    conn.close()
    assert {u for _, u in rows} == {"nurse_a", "care_a", "coord_a"}


def test_colleague_outside_the_care_team_sees_initials_and_no_notes(client, world, appointment):
    r = _get(client, world, "nurse2_a", appointment["id"])
    assert r.status_code == 200
    data = r.json()
    assert data["person"] == {
        "id": world.persons["p1"],
        "display": "J. D.",
        "identity": False,
        "address": None,
        "postcode": None,
        "city": "Loue",
        "phone": None,
    }
    assert data["notes"] is None and "Jeanne" not in r.text and "Durand" not in r.text


def test_another_structure_sees_nothing(client, world, appointment):
    for who in ("nurse_b", "coord_b"):
        r = _get(client, world, who, appointment["id"])
        assert r.status_code == 404, who
        assert "n'existe pas" in r.json()["detail"]
        r = client.post(
            f"{API}/appointments/{appointment['id']}/cancel",
            json={"reason": "tentative"},
            headers=bearer(world, who),
        )
        assert r.status_code == 404
    # nor can B book A's professionals or persons
    r = client.post(
        f"{API}/appointments",
        json={
            "kind": "home_visit",
            "person_id": world.persons["p1"],
            "professional_ids": [world.users["nurse_b"]],
            "start": "2030-06-03T10:00",
        },
        headers=bearer(world, "coord_b"),
    )
    assert r.status_code == 404
    r = book(client, world, "coord_b", start="2030-06-03T10:00")  # nurse_a is not in B
    assert r.status_code == 400 and "n'appartiennent pas" in r.json()["detail"]
    # and A's week does not leak through B's listing
    r = client.get(
        f"{API}/appointments",
        params={"start": "2030-06-03", "end": "2030-06-03"},
        headers=bearer(world, "coord_b"),
    )
    assert r.status_code == 200 and r.json() == []


def test_field_worker_books_their_own_appointments_only(client, world):
    own = book(
        client,
        world,
        "social_a",
        professional_ids=[world.users["social_a"]],
        kind="structure_appointment",
        start="2030-06-03T14:00",
    )
    assert own.status_code == 201, own.text
    other = book(
        client,
        world,
        "social_a",
        professional_ids=[world.users["nurse_a"]],
        start="2030-06-03T15:00",
    )
    assert other.status_code == 403
    # a nurse outside p1's care team cannot book a visit to p1 for herself
    r = visit(
        client,
        world,
        "nurse2_a",
        professional_ids=[world.users["nurse2_a"]],
        start="2030-06-03T16:00",
    )
    assert r.status_code == 403 and "équipe de soins" in r.json()["detail"]
    # but the care team's nurse can
    r = visit(
        client,
        world,
        "nurse_a",
        professional_ids=[world.users["nurse_a"]],
        start="2030-06-03T16:00",
    )
    assert r.status_code == 201, r.text


def test_dpo_has_no_agenda(client, world, appointment):
    r = _get(client, world, "dpo_a", appointment["id"])
    assert r.status_code == 403
    r = client.get(f"{API}/week", headers=bearer(world, "dpo_a"))
    assert r.status_code == 403


def test_only_the_worker_checks_in(client, world, appointment):
    r = client.post(
        f"{API}/appointments/{appointment['id']}/check-in", headers=bearer(world, "coord_a")
    )
    assert r.status_code == 403
    r = client.post(
        f"{API}/appointments/{appointment['id']}/check-out", headers=bearer(world, "nurse_a")
    )
    assert r.status_code == 409 and "arrivée" in r.json()["detail"]
    r = client.post(
        f"{API}/appointments/{appointment['id']}/check-in", headers=bearer(world, "nurse_a")
    )
    assert r.status_code == 200, r.text
    assert r.json()["checkins"][0]["checked_in_at"]
    r = client.post(
        f"{API}/appointments/{appointment['id']}/check-in", headers=bearer(world, "nurse_a")
    )
    assert r.status_code == 409 and "déjà enregistrée" in r.json()["detail"]
    r = client.post(
        f"{API}/appointments/{appointment['id']}/check-out", headers=bearer(world, "nurse_a")
    )
    assert r.status_code == 200 and r.json()["status"] == "done"
    # the coordinator sees the check-ins, the secretary does not
    assert len(_get(client, world, "coord_a", appointment["id"]).json()["checkins"]) == 1
    assert _get(client, world, "secretary_a", appointment["id"]).json()["checkins"] == []


def test_no_position_is_ever_stored(world):
    conn = connect(world.settings.db_path)
    tables = ("agenda_checkins", "agenda_appointments", "agenda_attendees")
    if conn.dialect == "postgresql":
        columns = {
            row[0]
            for row in conn.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name IN (?, ?, ?)",
                list(tables),
            )
        }
    else:
        columns = {
            row[1] for table in tables for row in conn.execute(f"PRAGMA table_info({table})")
        }
    conn.close()
    assert {"start_utc", "checked_in_at", "user_id"} <= columns
    assert not {c for c in columns if any(w in c for w in ("lat", "lon", "geo", "position", "ip"))}


def test_refusals_are_audited_and_write_nothing(client, world, appointment):
    conn = connect(world.settings.db_path)
    before = conn.execute("SELECT count(*) FROM audit_log WHERE outcome = 'denied'").fetchone()[0]
    r = client.post(
        f"{API}/appointments/{appointment['id']}/cancel",
        json={"reason": "tentative"},
        headers=bearer(world, "dpo_a"),
    )
    assert r.status_code == 403
    after = conn.execute("SELECT count(*) FROM audit_log WHERE outcome = 'denied'").fetchone()[0]
    status = conn.execute(
        "SELECT status FROM agenda_appointments WHERE id = ?", [appointment["id"]]
    ).fetchone()[0]
    conn.close()
    assert after == before + 1 and status == "planned"

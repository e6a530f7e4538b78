"""A reception device records the person's arrival (SDK 1.6, ``virage.sdk.agenda.mark_arrived``):
only an appointment of that structure and that day, once; the appointment page shows it and the
audit trail names the device."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from tests.accounts.conftest import login
from virage.agenda.kinds import registry
from virage.db import connect
from virage.errors import Conflict, NotFound
from virage.plugins import PluginHost
from virage.sdk import agenda, today_paris


def _appointment(world, day, structure="a", person="p1", status="planned") -> int:
    db = connect(world.settings.db_path)
    try:
        return agenda.seed_appointment(
            db,
            registry(PluginHost(world.settings)),
            structure_id=world.structures[structure],
            kind="meeting",
            title="Consultation",
            professional_ids=[world.users["nurse_a" if structure == "a" else "nurse_b"]],
            start_local=datetime.combine(day, time(11, 0)),
            duration_minutes=30,
            person_id=world.persons[person],
            status=status,
        )
    finally:
        db.close()


def test_arrival_is_recorded_once_shown_and_audited(world, client):
    today = today_paris()
    aid = _appointment(world, today)
    db = connect(world.settings.db_path)
    try:
        facts = agenda.appointment_for_arrival(
            db, aid, structure_id=world.structures["a"], day=today
        )
        assert set(facts) == set(agenda.ARRIVAL_FIELDS)
        row = agenda.mark_arrived(
            db, aid, structure_id=world.structures["a"], day=today, by="Borne « Hall »"
        )
        assert row["arrived_at"]
        with pytest.raises(Conflict):
            agenda.mark_arrived(
                db, aid, structure_id=world.structures["a"], day=today, by="Borne « Hall »"
            )
        entry = db.fetch_one(
            "SELECT * FROM audit_log WHERE action = 'agenda.arrival' ORDER BY id DESC"
        )
    finally:
        db.close()
    assert entry["actor_label"] == "Borne « Hall »"
    assert entry["actor_user_id"] is None
    assert entry["person_id"] == world.persons["p1"]
    login(client, "coord_a")
    page = client.get(f"/agenda/rendez-vous/{aid}")
    assert "signalée à l'accueil à" in page.text


def test_another_day_structure_or_a_cancelled_appointment_is_not_found(world):
    today = today_paris()
    tomorrow = _appointment(world, today + timedelta(days=1))
    other = _appointment(world, today, structure="b", person="p2")
    cancelled = _appointment(world, today, status="cancelled")
    db = connect(world.settings.db_path)
    try:
        for aid, sid in ((tomorrow, "a"), (other, "a"), (cancelled, "a")):
            with pytest.raises(NotFound):
                agenda.mark_arrived(
                    db, aid, structure_id=world.structures[sid], day=today, by="Borne"
                )
    finally:
        db.close()

"""Two coordinators schedule the same session at once, each on her own connection: one wins, the
other gets 409, and only one slot stays booked in the agenda (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import datetime

from tc_helpers import later, request_tc
from virage_teleconsultation import service

from virage.sdk import AccessContext, Conflict, PluginHost, accounts
from virage.sdk.testing import build_registry, connect


def _schedule(world, tc_id: int, start: str, results: dict, barrier: threading.Barrier) -> None:
    db = connect(world.settings.db_path)
    try:
        plugins = PluginHost(world.settings)
        user = accounts.user(db, world.users["nurse_a"])
        access = AccessContext(db, build_registry(plugins), accounts.actor_for_user(db, user))
        barrier.wait()
        try:
            results[start] = service.schedule(
                access, plugins, tc_id, datetime.fromisoformat(start)
            )["status"]
        except Conflict as exc:
            results[start] = exc
    finally:
        db.close()


def test_two_concurrent_schedulings_book_one_slot(client, world, doctors):
    tc = request_tc(client, world, doctors["account"])
    starts = [later(2, "10:00"), later(2, "14:00")]
    results: dict = {}
    barrier = threading.Barrier(len(starts))
    threads = [
        threading.Thread(target=_schedule, args=(world, tc["id"], s, results, barrier))
        for s in starts
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(type(r).__name__ for r in results.values()) == ["Conflict", "str"], results
    assert "scheduled" in results.values()
    db = connect(world.settings.db_path)
    try:
        booked = db.execute(
            "SELECT count(*) FROM agenda_appointments WHERE kind = 'teleconsultation'"
            " AND status != 'cancelled'"
        ).fetchone()[0]
        row = db.execute(
            "SELECT status, appointment_id FROM teleconsultations WHERE id = ?", [tc["id"]]
        ).fetchone()
    finally:
        db.close()
    assert booked == 1  # the loser's slot was rolled back with its step
    assert row[0] == "scheduled" and row[1] is not None

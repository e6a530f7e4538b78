"""Real concurrency, each request on its own connection and thread (SQLite and PostgreSQL): two
bookings of the same professional's slot checked at the same moment give one appointment and one
409; the same ``.ics`` file imported twice at the same moment creates its events once.

The checks are made to meet: each thread waits, after reading, for the other to have read too
(a barrier with a timeout). Where the database serialises the writers (SQLite's write lock,
PostgreSQL's lock on the professionals' busy time), the second reader is held before it reads and
the barrier gives up; where it does not, both have read before either writes.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import datetime

from tests.agenda.helpers import ics
from virage.accounts import service as accounts_service
from virage.accounts import storage as accounts_storage
from virage.accounts.context import AccessContext
from virage.agenda import booking, importing, storage_appointments, storage_imports
from virage.app import build_registry
from virage.db import connect
from virage.errors import Conflict
from virage.plugins import PluginHost

START = "2030-06-03T09:00:00+02:00"


def _meet_after(monkeypatch, module, name: str, parties: int = 2) -> None:
    """Make ``module.name`` wait, once per thread, until every party has called it (or 3 s)."""
    barrier = threading.Barrier(parties, timeout=3)
    waited = threading.local()
    original = getattr(module, name)

    def read_then_wait(*args, **kwargs):
        result = original(*args, **kwargs)
        if not getattr(waited, "done", False):
            waited.done = True
            # the other party may be held by the database: it then reads after our commit
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        return result

    monkeypatch.setattr(module, name, read_then_wait)


def _in_threads(world, who: str, work, count: int = 2) -> tuple[list, list]:
    registry = build_registry(PluginHost(world.settings))
    results, errors = [], []

    def run(index: int) -> None:
        db = connect(world.settings.db_path)
        try:
            user = accounts_storage.get_user(db, world.users[who])
            actor = accounts_service.actor_for_user(db, user, via="session")
            access = AccessContext(db, registry, actor, route="test")
            results.append(work(access, PluginHost(world.settings), index))
        except Exception as exc:
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def _scalar(world, sql: str, params=()) -> int:
    db = connect(world.settings.db_path)
    try:
        return db.execute(sql, list(params)).fetchone()[0]
    finally:
        db.close()


def test_two_bookings_of_one_slot_at_once_give_one_appointment_and_one_409(world, monkeypatch):
    _meet_after(monkeypatch, storage_appointments, "busy_intervals")
    nurse = world.users["nurse_a"]

    def book(access, plugins, index):
        data = {
            "kind": "meeting",
            "title": f"Réunion {index}",
            "professional_ids": [nurse],
            "start": datetime.fromisoformat(START),
            "duration_minutes": 60,
        }
        return booking.book(access, plugins, world.structures["a"], data)["id"]

    booked, errors = _in_threads(world, "secretary_a", book)
    assert len(booked) == 1, (booked, errors)
    assert [type(e) for e in errors] == [Conflict], errors
    assert "déjà occupé" in errors[0].message
    busy = _scalar(
        world, "SELECT count(*) FROM agenda_attendees WHERE user_id = ? AND busy = 1", [nurse]
    )
    assert busy == 1


def test_one_file_imported_twice_at_once_creates_its_events_once(world, monkeypatch):
    # Forced: the conflict check lets the second import through, the UID alone must stop it.
    _meet_after(monkeypatch, storage_imports, "uid_imported")
    content = ics(
        "UID:tournee@agenda\r\nSUMMARY:Tournée\r\nDTSTART:20300603T070000Z\r\n"
        "DTEND:20300603T080000Z\r\nRRULE:FREQ=WEEKLY;COUNT=4",
        "UID:reunion@agenda\r\nSUMMARY:Réunion\r\nDTSTART:20300604T120000Z\r\n"
        "DTEND:20300604T130000Z",
    )

    def run_import(access, plugins, index):
        return importing.import_calendar(
            access,
            plugins,
            world.structures["a"],
            content,
            professional_ids=[world.users["nurse_a"]],
            kind="meeting",
            force=True,
        )

    reports, errors = _in_threads(world, "coord_a", run_import)
    assert errors == []
    created = sorted(line["uid"] for r in reports for line in r["created"])
    rejected = sorted(line["uid"] for r in reports for line in r["rejected"])
    assert created == ["reunion@agenda", "tournee@agenda"]
    assert rejected == ["reunion@agenda", "tournee@agenda"]
    assert all("déjà importé" in line["reason"] for r in reports for line in r["rejected"])
    assert _scalar(world, "SELECT count(*) FROM agenda_series WHERE ical_uid IS NOT NULL") == 1
    assert _scalar(world, "SELECT count(*) FROM agenda_appointments") == 5
    assert _scalar(world, "SELECT count(*) FROM agenda_ical_imports") == 2

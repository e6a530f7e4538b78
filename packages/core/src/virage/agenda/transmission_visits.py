"""The agenda answers the transmissions: a worker's visits of a day, one visit by id.

Implements the hooks ``transmission_visits`` and ``transmission_visit`` declared by
:mod:`virage.transmissions.hookspecs`, so that a transmission can be linked to the visit it comes
from without the transmissions reading the agenda's tables. Registered as a built-in plugin.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from virage.agenda import storage
from virage.agenda.timeutil import MAX_DURATION, day_bounds, iso
from virage.db import Database
from virage.plugins import hookimpl

VISIT_KEYS = ("id", "person_id", "title", "start_utc", "end_utc", "status")


def _visit(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row.get(key) for key in VISIT_KEYS}


@hookimpl
def transmission_visits(db: Database, user_id: int, day: date) -> list[dict[str, Any]]:
    start, end = day_bounds(day)
    rows = storage.day_of_user(db, user_id, iso(start), iso(end), iso(start - MAX_DURATION))
    return [_visit(row) for row in rows]


@hookimpl
def transmission_visit(db: Database, appointment_id: int) -> dict[str, Any] | None:
    row = storage.get_appointment(db, appointment_id)
    return _visit(row) if row else None

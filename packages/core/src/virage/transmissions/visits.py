"""The optional link between a transmission and the agenda visit it comes from.

The agenda is another domain (``virage.agenda``): the transmissions never import it at import
time and store only a nullable ``appointment_id`` (no foreign key). When the agenda is there, the
form offers the worker's visits of the day to that person and the cards say which visit a
transmission comes from; when it is not (or its tables are missing), nothing is offered and no
visit can be linked. The agenda's pages can open the form with ``?visite=<appointment id>``.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

from virage.db import Database
from virage.transmissions import timefmt

log = logging.getLogger("virage.transmissions")


def _agenda_storage():
    try:
        if importlib.util.find_spec("virage.agenda") is None:
            return None
        return importlib.import_module("virage.agenda.storage")
    except ImportError:
        return None


def available() -> bool:
    return _agenda_storage() is not None


def _label(row: dict[str, Any]) -> str:
    start = timefmt.local(row["start_utc"])
    return f"{start:%H:%M} — {row.get('title') or 'visite'}"


def visits_of_day(db: Database, user_id: int, person_id: int) -> list[dict[str, Any]]:
    """The worker's visits to this person today (Paris), as ``{"id", "label"}``; [] without agenda."""
    agenda = _agenda_storage()
    if agenda is None:
        return []
    today = timefmt.local(timefmt.to_iso(datetime.now(UTC))).date()
    start = timefmt.day_start(today)
    end = timefmt.day_start(today + timedelta(days=1))
    try:
        rows = agenda.day_of_user(
            db,
            user_id,
            timefmt.to_iso(start),
            timefmt.to_iso(end),
            timefmt.to_iso(start - timedelta(days=7)),
        )
    except (AttributeError, TypeError, sqlite3.Error) as exc:
        log.warning("agenda unavailable for the transmission form: %s", exc)
        return []
    return [
        {"id": r["id"], "label": _label(r)}
        for r in rows
        if r.get("person_id") == person_id and r.get("status") != "cancelled"
    ]


def appointment_belongs_to(db: Database, appointment_id: int, person_id: int) -> bool:
    """True when the appointment exists and concerns this person (False without agenda)."""
    row = _appointment(db, appointment_id)
    return bool(row and row.get("person_id") == person_id)


def _appointment(db: Database, appointment_id: int) -> dict[str, Any] | None:
    agenda = _agenda_storage()
    if agenda is None:
        return None
    try:
        return agenda.get_appointment(db, appointment_id)
    except (AttributeError, TypeError, sqlite3.Error):
        return None


def describe(db: Database, appointment_ids: list[int]) -> dict[int, str]:
    """``{appointment id: "visite du 12/03 à 08:30"}`` for the cards ({} without agenda)."""
    out = {}
    for appointment_id in dict.fromkeys(appointment_ids):
        row = _appointment(db, appointment_id)
        if row and row.get("start_utc"):
            out[appointment_id] = f"visite du {timefmt.full(row['start_utc'])}"
    return out

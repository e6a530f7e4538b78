"""What the agenda tells other domains: a worker's records, the visits of a day to a person."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from virage.agenda import (
    storage_appointments,
    storage_availability,
    storage_feeds,
    storage_views,
)
from virage.agenda.availability import describe_absence
from virage.agenda.timeutil import (
    MAX_DURATION,
    PARIS,
    day_bounds,
    hhmm,
    iso,
)


def worker_records(db, user_id: int) -> dict[str, Any]:
    """What the agenda records about a worker (shown on /moi/enregistrements)."""
    return {
        "checkins": storage_appointments.checkins_of_user(db, user_id),
        "hours": storage_availability.working_hours(db, [user_id])[user_id],
        "absences": [
            describe_absence(r) for r in storage_availability.absences_of_user(db, user_id)
        ],
        "feeds": storage_feeds.feeds_of_user(db, user_id),
    }


def visits_of_day(db, user_id: int, person_id: int, day: date | None = None) -> list[dict]:
    """A worker's appointments with a person on a day (id, label), latest first.

    For the transmissions domain, which links a transmission to the visit it comes from: the
    caller has already checked its own access to the person.
    """
    day = day or datetime.now(PARIS).date()
    start, end = day_bounds(day)
    rows = storage_views.day_of_user(db, user_id, iso(start), iso(end), iso(start - MAX_DURATION))
    out = []
    for row in reversed(rows):
        if row["person_id"] == person_id and row["status"] != "cancelled":
            out.append(
                {
                    "id": row["id"],
                    "label": f"{row['title']} de {hhmm(row['start_utc'])} à {hhmm(row['end_utc'])}",
                    "start": row["start_utc"],
                }
            )
    return out


def appointment_person(db, appointment_id: int) -> int | None:
    """The person an appointment concerns (``None`` if none, or if it does not exist)."""
    row = storage_appointments.get_appointment(db, appointment_id)
    return row["person_id"] if row else None

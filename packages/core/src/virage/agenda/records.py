"""What the agenda tells other domains: a worker's records, the visits of a day to a person."""

from __future__ import annotations

from typing import Any

from virage.agenda import (
    storage_appointments,
    storage_availability,
    storage_feeds,
)
from virage.agenda.availability import describe_absence


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

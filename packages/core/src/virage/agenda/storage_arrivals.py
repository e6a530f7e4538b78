"""Storage of a person's arrival at the reception (``agenda_appointments.arrived_at``)."""

from __future__ import annotations

from virage.db import Database
from virage.db import fetch_one as _row

#: What a reception device may learn of an appointment: never its title, notes nor professionals.
ARRIVAL_FIELDS = ("id", "structure_id", "person_id", "start_utc", "status", "arrived_at")


def add_arrived_column(db: Database) -> None:
    """Migration 0131: ``arrived_at`` is when the person said at the reception she had arrived."""
    db.execute("ALTER TABLE agenda_appointments ADD COLUMN arrived_at TEXT")


def of_day(
    db: Database, appointment_id: int, structure_id: int, start_utc: str, end_utc: str
) -> dict | None:
    """The appointment if it is of ``structure_id``, starts in [start, end) and is not cancelled."""
    return _row(
        db,
        f"SELECT {', '.join(ARRIVAL_FIELDS)} FROM agenda_appointments"
        " WHERE id = ? AND structure_id = ? AND start_utc >= ? AND start_utc < ?"
        " AND status != 'cancelled'",
        [appointment_id, structure_id, start_utc, end_utc],
    )


def set_arrived(db: Database, appointment_id: int, at: str) -> bool:
    """Record the arrival once; ``False`` when it was already recorded."""
    cursor = db.execute(
        "UPDATE agenda_appointments SET arrived_at = ? WHERE id = ? AND arrived_at IS NULL",
        [at, appointment_id],
    )
    return cursor.rowcount == 1

"""Storage of the agenda's part of a merge of duplicate records (``persons_merged``): the
duplicate's appointments and series follow the record kept. SQL lives here only."""

from __future__ import annotations

from virage.db import Database


def move_person(db: Database, kept_id: int, merged_id: int) -> int:
    """Re-attach the duplicate's series and appointments; return the appointments moved."""
    db.execute("UPDATE agenda_series SET person_id = ? WHERE person_id = ?", [kept_id, merged_id])
    cur = db.execute(
        "UPDATE agenda_appointments SET person_id = ? WHERE person_id = ?", [kept_id, merged_id]
    )
    return cur.rowcount

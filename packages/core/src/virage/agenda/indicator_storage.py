"""Read-only counts of the agenda for the indicators (never a worker, never a person's name)."""

from __future__ import annotations

from virage.db import Database, fetch_all


def _minutes(db: Database) -> str:
    if db.dialect == "postgresql":
        return "EXTRACT(EPOCH FROM (end_utc::timestamptz - start_utc::timestamptz)) / 60"
    return "(julianday(end_utc) - julianday(start_utc)) * 1440"


def visits_of_month(db: Database, structure_id: int, start_utc: str, end_utc: str) -> list[dict]:
    """Per kind: visits planned (not cancelled) and done, their distinct persons, minutes done."""
    return fetch_all(
        db,
        "SELECT kind,"
        " SUM(CASE WHEN status != 'cancelled' THEN 1 ELSE 0 END) AS planned,"
        " SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS done,"
        " COUNT(DISTINCT CASE WHEN status != 'cancelled' THEN person_id END) AS planned_persons,"
        " COUNT(DISTINCT CASE WHEN status = 'done' THEN person_id END) AS done_persons,"
        f" SUM(CASE WHEN status = 'done' THEN {_minutes(db)} ELSE 0 END) AS done_minutes"
        " FROM agenda_appointments WHERE structure_id = ? AND person_id IS NOT NULL"
        " AND start_utc >= ? AND start_utc < ? GROUP BY kind",
        [structure_id, start_utc, end_utc],
    )


def persons_served(db: Database, structure_id: int, start_utc: str, end_utc: str) -> dict:
    """Distinct persons with a visit done in the month, and the minutes done."""
    rows = fetch_all(
        db,
        f"SELECT COUNT(DISTINCT person_id) AS persons, SUM({_minutes(db)}) AS minutes"
        " FROM agenda_appointments WHERE structure_id = ? AND person_id IS NOT NULL"
        " AND status = 'done' AND start_utc >= ? AND start_utc < ?",
        [structure_id, start_utc, end_utc],
    )
    return rows[0] if rows else {"persons": 0, "minutes": 0}

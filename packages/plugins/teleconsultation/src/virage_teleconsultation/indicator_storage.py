"""Read-only counts of teleconsultations for the indicators (by state; never by doctor, never a
reason: reasons are free text that may hold health content)."""

from __future__ import annotations

from virage.sdk import Database, fetch_all


def by_status(db: Database, structure_id: int, start_utc: str, end_utc: str) -> list[dict]:
    return fetch_all(
        db,
        "SELECT status, COUNT(*) AS n, COUNT(DISTINCT person_id) AS persons FROM teleconsultations"
        " WHERE structure_id = ? AND created_at >= ? AND created_at < ? GROUP BY status",
        [structure_id, start_utc, end_utc],
    )

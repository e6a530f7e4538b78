"""Read-only counts of the transmissions for the indicators: written and acknowledged, by month
and category (never by author, never a content)."""

from __future__ import annotations

from virage.db import Database, fetch_all


def written_of_month(db: Database, structure_id: int, start_utc: str, end_utc: str) -> list[dict]:
    """Per category: transmissions written (entries), acknowledged by at least one reader, and
    the distinct persons they concern."""
    return fetch_all(
        db,
        "SELECT t.category AS category, COUNT(*) AS written,"
        " COUNT(DISTINCT t.person_id) AS persons,"
        " SUM(CASE WHEN EXISTS (SELECT 1 FROM transmissions_acks a"
        " WHERE a.transmission_id = t.id) THEN 1 ELSE 0 END) AS acknowledged"
        " FROM transmissions t WHERE t.structure_id = ? AND t.kind = 'entry'"
        " AND t.created_at >= ? AND t.created_at < ? GROUP BY t.category",
        [structure_id, start_utc, end_utc],
    )

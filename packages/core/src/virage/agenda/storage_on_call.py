"""Storage of the on-call lookup: the on-call appointments of a structure covering a moment."""

from __future__ import annotations

from virage.db import Database
from virage.db import fetch_all as _rows


def covering(
    db: Database, structure_id: int, kind: str, at_iso: str, lower_iso: str, limit: int
) -> list[dict]:
    """Appointments of ``kind`` in the structure, not cancelled, with ``start <= at < end``
    (``lower_iso`` bounds the search: the longest appointment)."""
    return _rows(
        db,
        "SELECT id, start_utc, end_utc FROM agenda_appointments"
        " WHERE structure_id = ? AND kind = ? AND status != 'cancelled'"
        " AND start_utc >= ? AND start_utc <= ? AND end_utc > ?"
        " ORDER BY start_utc, id LIMIT ?",
        [structure_id, kind, lower_iso, at_iso, at_iso, limit],
    )

"""SQL of the visit cards: the urgent transmissions a reader has not acknowledged yet, for the
persons of her day (the agenda's « Ma journée » asks :mod:`virage.transmissions.cards`)."""

from __future__ import annotations

from collections.abc import Sequence

from virage.db import Database
from virage.db import fetch_all as _rows
from virage.transmissions.storage import SELECT, _marks


def urgent_unacknowledged_by(
    db: Database, person_ids: Sequence[int], reader_id: int, since: str, limit: int = 200
) -> list[dict]:
    """Urgent entries and corrections about these persons, written by others since ``since``,
    that ``reader_id`` has not acknowledged; newest first."""
    if not person_ids:
        return []
    return _rows(
        db,
        f"{SELECT} WHERE t.person_id IN ({_marks(person_ids)}) AND t.priority = 'urgent'"
        " AND t.kind <> 'result' AND t.author_id <> ? AND t.created_at >= ?"
        " AND NOT EXISTS (SELECT 1 FROM transmissions_acks a"
        "  WHERE a.transmission_id = t.id AND a.user_id = ?)"
        " ORDER BY t.created_at DESC, t.id DESC LIMIT ?",
        [*person_ids, reader_id, since, reader_id, limit],
    )

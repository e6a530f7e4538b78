"""Read-only facts of the organisational inboxes for the indicators: the items received in a
month, with their inbox's kind, whether they went up a level and whether they are closed, and the
person they name. Never a subject, a text, a sender, nor who was on call, took, answered or closed
an item (no column of a worker is read), nor any time of an answer."""

from __future__ import annotations

from virage.db import Database
from virage.db import fetch_all as _rows

#: A month of one structure's inboxes is small; bounded anyway.
MAX_ROWS = 20000


def items_received(db: Database, structure_id: int, start_utc: str, end_utc: str) -> list[dict]:
    """Items received in [start, end): messages from outside and from colleagues, not the messages
    a worker wrote from the inbox to an outside professional (``source = 'outgoing'``)."""
    return _rows(
        db,
        "SELECT b.kind, i.person_id, i.status, i.escalation_level FROM inbox_items i"
        " JOIN inboxes b ON b.id = i.inbox_id"
        " WHERE i.structure_id = ? AND i.received_at >= ? AND i.received_at < ?"
        " AND i.source != 'outgoing' ORDER BY i.id LIMIT ?",
        [structure_id, start_utc, end_utc, MAX_ROWS],
    )


def on_call_people(db: Database, structure_id: int, start_utc: str, end_utc: str) -> int:
    """How many different people the month's items were routed to on call (a count, never who)."""
    row = db.fetch_one(
        "SELECT count(DISTINCT on_call_user_id) AS n FROM inbox_items WHERE structure_id = ?"
        " AND received_at >= ? AND received_at < ? AND source != 'outgoing'"
        " AND on_call_user_id IS NOT NULL",
        [structure_id, start_utc, end_utc],
    )
    return int(row["n"]) if row else 0

"""Storage of calendar subscriptions (feeds) and of what they show of a person (the calendar
privacy of a structure, a setting of the agenda kept in its own table)."""

from __future__ import annotations

from collections.abc import Iterable

from virage.agenda.storage_util import FEED_LOCK, xact_lock
from virage.agenda.storage_util import marks as _marks
from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row


def create_feed(db: Database, user_id: int, token_hash: str) -> int:
    """A new subscription replacing the user's others (inside a transaction: two created at the
    same moment leave one active)."""
    xact_lock(db, FEED_LOCK, user_id)
    now = utcnow_iso()
    db.execute(
        "UPDATE agenda_feeds SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
        [now, user_id],
    )
    cur = db.execute(
        "INSERT INTO agenda_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?) RETURNING id",
        [user_id, token_hash, now],
    )
    return cur.fetchone()[0]


def feed_by_hash(db: Database, token_hash: str) -> dict | None:
    return _row(db, "SELECT * FROM agenda_feeds WHERE token_hash = ?", [token_hash])


def revoke_feeds(db: Database, user_id: int) -> int:
    cur = db.execute(
        "UPDATE agenda_feeds SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
        [utcnow_iso(), user_id],
    )
    return cur.rowcount


def touch_feed(db: Database, feed_id: int, at: str) -> None:
    db.execute("UPDATE agenda_feeds SET last_used_at = ? WHERE id = ?", [at, feed_id])


def feeds_of_user(db: Database, user_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT id, created_at, revoked_at, last_used_at FROM agenda_feeds WHERE user_id = ?"
        " ORDER BY id DESC",
        [user_id],
    )


# --------------------------------------------------------------------------- calendar privacy


def structure_privacy(db: Database, structure_ids: Iterable[int]) -> dict[int, str]:
    """``{structure id: privacy}`` for the structures that have set one (others: the default)."""
    ids = sorted(set(structure_ids))
    if not ids:
        return {}
    return dict(
        db.execute(
            "SELECT structure_id, calendar_privacy FROM agenda_structure_settings"
            f" WHERE structure_id IN ({_marks(ids)})",
            ids,
        ).fetchall()
    )


def set_structure_privacy(db: Database, structure_id: int, value: str) -> None:
    db.execute(
        "INSERT INTO agenda_structure_settings (structure_id, calendar_privacy) VALUES (?, ?)"
        " ON CONFLICT (structure_id) DO UPDATE SET calendar_privacy = excluded.calendar_privacy",
        [structure_id, value],
    )

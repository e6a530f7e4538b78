"""The SQL of device-storage keys (table ``device_keys``, and the trigger that deletes a key with
its session closed before its term). Used by :mod:`.device_keys` only."""

from __future__ import annotations

from virage.accounts import schema_storage
from virage.db import Database, fetch_all, fetch_one

create_table = (
    schema_storage.create_device_keys_table
)  # the migration 0008, defined with the domain's other tables


def key_of_session(db: Database, session_id: str, user_id: int) -> dict | None:
    return fetch_one(
        db,
        "SELECT id, secret FROM device_keys WHERE session_id = ? AND user_id = ?",
        [session_id, user_id],
    )


def session_expiry(db: Database, session_id: str) -> str | None:
    row = fetch_one(db, "SELECT expires_at FROM sessions WHERE id = ?", [session_id])
    return row["expires_at"] if row else None


def add_key(db: Database, values: dict) -> None:
    """Delete the keys past their grace period, then add this one (unless the session has one)."""
    db.execute("DELETE FROM device_keys WHERE expires_at < ?", [values["created_at"]])
    db.execute(
        "INSERT INTO device_keys (id, session_id, user_id, secret, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [
            values["id"],
            values["session_id"],
            values["user_id"],
            values["secret"],
            values["created_at"],
            values["expires_at"],
        ],
    )


def previous_keys(db: Database, user_id: int, session_id: str, now: str, limit: int) -> list[dict]:
    """Keys of the user's other sessions that ended by expiry, still valid at ``now``."""
    return fetch_all(
        db,
        "SELECT id, secret FROM device_keys WHERE user_id = ? AND session_id <> ?"
        " AND expires_at >= ? AND session_id NOT IN (SELECT id FROM sessions)"
        " ORDER BY created_at DESC LIMIT ?",
        [user_id, session_id, now, limit],
    )

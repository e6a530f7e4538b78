"""Device-storage keys: what the browser keeps of a session (drafts, outbox) is encrypted with them.

Each web session gets one random key, created the first time a page asks for it and handed only to
the signed-in user (``GET /moi/cle-appareil``, never cached). The page encrypts what it keeps on the
device (AES-GCM) with it, so that what stays in the browser's storage is unreadable without the
session.

- A session closed before its term (log-out, password reset) takes its key with it, in the same
  statement (a trigger on ``sessions``, whoever deletes the row): whatever the browser kept is then
  unreadable.
- A session that runs out (10 hours) leaves its key for a grace period (:data:`GRACE`), offered to
  the same user at her next log-in as a *previous* key: an entry written offline at the end of a
  shift is then sent, not lost. Nobody else ever gets it.

The only SQL of device keys (storage module of its own, next to ``accounts/storage.py``).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from virage.db import Database, fetch_all, fetch_one, utcnow, utcnow_iso

GRACE = timedelta(hours=24)
"""How long the key of a session that expired stays available to its own user."""

MAX_PREVIOUS = 10
"""At most this many previous keys are offered (newest first)."""


def create_table(db: Database) -> None:
    """Migration ``core/0008_device_keys``."""
    # No foreign key to sessions: the key of an expired session outlives it for GRACE.
    db.execute(
        """CREATE TABLE device_keys (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            secret TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX device_keys_user ON device_keys (user_id, created_at)")
    # Closed before its term (log-out, password reset): the key goes with the session. Run out: kept.
    db.execute(
        """CREATE TRIGGER device_keys_session_closed AFTER DELETE ON sessions
        WHEN OLD.expires_at > strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
        BEGIN
            DELETE FROM device_keys WHERE session_id = OLD.id;
        END"""
    )


def _public(row: dict) -> dict:
    return {"id": row["id"], "secret": row["secret"]}


def for_session(db: Database, session_id: str, user_id: int) -> dict:
    """The key of this session (created on first use): ``{"id", "secret"}``, secret in base64url."""
    row = fetch_one(
        db,
        "SELECT id, secret FROM device_keys WHERE session_id = ? AND user_id = ?",
        [session_id, user_id],
    )
    if row:
        return _public(row)
    session = fetch_one(db, "SELECT expires_at FROM sessions WHERE id = ?", [session_id])
    ends = datetime.fromisoformat(session["expires_at"]) if session else utcnow()
    now = utcnow_iso()
    db.execute("DELETE FROM device_keys WHERE expires_at < ?", [now])
    db.execute(
        "INSERT OR IGNORE INTO device_keys (id, session_id, user_id, secret, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            secrets.token_urlsafe(12),
            session_id,
            user_id,
            secrets.token_urlsafe(32),  # 256 bits for AES-GCM
            now,
            (ends + GRACE).replace(microsecond=0).isoformat(),
        ],
    )
    row = fetch_one(
        db,
        "SELECT id, secret FROM device_keys WHERE session_id = ? AND user_id = ?",
        [session_id, user_id],
    )
    return _public(row)


def previous(db: Database, session_id: str, user_id: int) -> list[dict]:
    """Keys of this user's sessions that ended by expiry, still within their grace period."""
    rows = fetch_all(
        db,
        "SELECT id, secret FROM device_keys WHERE user_id = ? AND session_id <> ?"
        " AND expires_at >= ? AND session_id NOT IN (SELECT id FROM sessions)"
        " ORDER BY created_at DESC LIMIT ?",
        [user_id, session_id, utcnow_iso(), MAX_PREVIOUS],
    )
    return [_public(r) for r in rows]

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

The SQL is in :mod:`.device_key_storage`.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from virage.accounts import device_key_storage as store
from virage.db import Database, utcnow, utcnow_iso

#: The migration (``core/0008_device_keys``).
create_table = store.create_table

GRACE = timedelta(hours=24)
"""How long the key of a session that expired stays available to its own user."""

MAX_PREVIOUS = 10
"""At most this many previous keys are offered (newest first)."""


def _public(row: dict) -> dict:
    return {"id": row["id"], "secret": row["secret"]}


def for_session(db: Database, session_id: str, user_id: int) -> dict:
    """The key of this session (created on first use): ``{"id", "secret"}``, secret in base64url."""
    row = store.key_of_session(db, session_id, user_id)
    if row:
        return _public(row)
    expiry = store.session_expiry(db, session_id)
    ends = datetime.fromisoformat(expiry) if expiry else utcnow()
    store.add_key(
        db,
        {
            "id": secrets.token_urlsafe(12),
            "session_id": session_id,
            "user_id": user_id,
            "secret": secrets.token_urlsafe(32),  # 256 bits for AES-GCM
            "created_at": utcnow_iso(),
            "expires_at": (ends + GRACE).replace(microsecond=0).isoformat(),
        },
    )
    return _public(store.key_of_session(db, session_id, user_id))


def previous(db: Database, session_id: str, user_id: int) -> list[dict]:
    """Keys of this user's sessions that ended by expiry, still within their grace period."""
    rows = store.previous_keys(db, user_id, session_id, utcnow_iso(), MAX_PREVIOUS)
    return [_public(r) for r in rows]

"""The only module of the plugin with SQL, on its own table ``mssante_cursors``: for each bridged
inbox, the mailbox's ``UIDVALIDITY`` and the highest UID already stored as an inbox item.

The cursor moves only after the item is stored, message by message: a crash in between fetches
that message again on the next round, and the inbox's idempotency on ``Message-ID`` keeps it
once. It holds no personal data (numbers and the address); on PostgreSQL it is still seen and
written only for the inbox's structure, like the items themselves.
"""

from __future__ import annotations

from virage.sdk import Database, structure_policy, transaction, utcnow_iso


def create_tables(db: Database) -> None:
    db.execute(
        """CREATE TABLE mssante_cursors (
            inbox_id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            address TEXT NOT NULL,
            uidvalidity BIGINT NOT NULL,
            last_uid BIGINT NOT NULL,
            last_fetch_at TEXT,
            updated_at TEXT NOT NULL
        )"""
    )
    structure_policy(db, "mssante_cursors")


def cursor(db: Database, inbox_id: int) -> dict | None:
    return db.fetch_one("SELECT * FROM mssante_cursors WHERE inbox_id = ?", (inbox_id,))


def save_cursor(db: Database, inbox: dict, address: str, uidvalidity: int, last_uid: int) -> None:
    """Remember where this inbox's mailbox was read up to (insert or update, one statement)."""
    now = utcnow_iso()
    with transaction(db):
        db.execute(
            "INSERT INTO mssante_cursors"
            " (inbox_id, structure_id, address, uidvalidity, last_uid, last_fetch_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (inbox_id) DO UPDATE SET address = excluded.address,"
            " uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid,"
            " last_fetch_at = excluded.last_fetch_at, updated_at = excluded.updated_at",
            (inbox["id"], inbox["structure_id"], address, uidvalidity, last_uid, now, now),
        )


def forget_inbox(db: Database, inbox_id: int) -> None:
    with transaction(db):
        db.execute("DELETE FROM mssante_cursors WHERE inbox_id = ?", (inbox_id,))

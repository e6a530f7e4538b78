"""Storage of the receipts of the round's writes sent by a device (check-in, check-out, status).

A write made offline is sent later with a client identifier chosen by the page; if the answer is
lost and the page sends it again, the receipt (unique per user and client identifier) gives back
the first outcome instead of writing twice or answering with a confusing « déjà enregistrée »
(migration ``core/0125_agenda_sync_receipts``). A refusal is kept too: the same entry sent again is
refused the same way.
"""

from __future__ import annotations

from virage.db import Database, fetch_one
from virage.db_policies import structure_policy


def create_receipts_table(db: Database) -> None:
    """Migration 0125: one receipt per (user, client identifier)."""
    db.execute(
        """CREATE TABLE agenda_sync_receipts (
            user_id INTEGER NOT NULL REFERENCES users(id),
            client_id TEXT NOT NULL,
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            appointment_id INTEGER NOT NULL REFERENCES agenda_appointments(id) ON DELETE CASCADE,
            action TEXT NOT NULL,
            outcome TEXT NOT NULL,
            detail TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY (user_id, client_id)
        )"""
    )
    db.execute(
        "CREATE INDEX agenda_sync_receipts_appointment ON agenda_sync_receipts (appointment_id)"
    )
    structure_policy(db, "agenda_sync_receipts")


def find(db: Database, user_id: int, client_id: str) -> dict | None:
    return fetch_one(
        db,
        "SELECT appointment_id, action, outcome, detail, received_at FROM agenda_sync_receipts"
        " WHERE user_id = ? AND client_id = ?",
        [user_id, client_id],
    )


def add(db: Database, receipt: dict) -> bool:
    """Keep the receipt; ``False`` when this client identifier already had one (the key decides)."""
    cur = db.execute(
        "INSERT INTO agenda_sync_receipts (user_id, client_id, structure_id, appointment_id,"
        " action, outcome, detail, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (user_id, client_id) DO NOTHING",
        [
            receipt["user_id"],
            receipt["client_id"],
            receipt["structure_id"],
            receipt["appointment_id"],
            receipt["action"],
            receipt["outcome"],
            receipt["detail"],
            receipt["received_at"],
        ],
    )
    return cur.rowcount == 1

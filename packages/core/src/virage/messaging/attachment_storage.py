"""Storage of the attachments: a message points to a document of the person's file (the
documents domain keeps the file; here only its number). Row security follows the person's
structure, like the messages."""

from __future__ import annotations

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db_policies import structure_policy


def create_table(db: Database) -> None:
    """Migration ``core/0172_messaging_attachments``."""
    db.execute(
        """CREATE TABLE message_attachments (
            id INTEGER PRIMARY KEY,
            post_id INTEGER NOT NULL REFERENCES message_posts(id) ON DELETE CASCADE,
            thread_id INTEGER NOT NULL,
            structure_id INTEGER NOT NULL,
            person_id INTEGER NOT NULL,
            document_id INTEGER NOT NULL,
            added_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX message_attachments_thread ON message_attachments (thread_id)")


def create_row_security(db: Database) -> None:
    """Migration ``core/0173_row_security_messaging_attachments`` (PostgreSQL only)."""
    structure_policy(db, "message_attachments")


def add(db: Database, thread: dict, post_id: int, document_id: int) -> None:
    db.execute(
        "INSERT INTO message_attachments (post_id, thread_id, structure_id, person_id,"
        " document_id, added_at) VALUES (?, ?, ?, ?, ?, ?)",
        [
            post_id,
            thread["id"],
            thread["structure_id"],
            thread["person_id"],
            document_id,
            utcnow_iso(),
        ],
    )


def of_thread(db: Database, thread_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT post_id, document_id FROM message_attachments WHERE thread_id = ? ORDER BY id",
        [thread_id],
    )


def all_for_person(db: Database, person_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT post_id, thread_id, document_id, added_at FROM message_attachments"
        " WHERE person_id = ? ORDER BY id",
        [person_id],
    )


def delete_for_person(db: Database, person_id: int) -> None:
    db.execute("DELETE FROM message_attachments WHERE person_id = ?", [person_id])


def move_person(db: Database, kept_id: int, merged_id: int) -> None:
    db.execute(
        "UPDATE message_attachments SET person_id = ? WHERE person_id = ?", [kept_id, merged_id]
    )

"""Storage of identity vigilance (accounts domain): one row per person whose identity was
validated with a document or whose INS was retrieved; no row is a provisional identity.

No copy of an identity document is ever stored: only its type, who checked it and when.
"""

from __future__ import annotations

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row
from virage.db_policies import structure_policy

#: Persons compared when looking for duplicates, per structure (bounded).
MAX_COMPARED = 20000


def create_table(db: Database) -> None:
    """Migration ``core/0147_identity_vigilance``."""
    db.execute(
        """CREATE TABLE identity_vigilance (
            person_id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            document TEXT,
            validated_by_label TEXT,
            validated_at TEXT,
            ins_retrieved_by_label TEXT,
            ins_retrieved_at TEXT
        )"""
    )


def create_row_security(db: Database) -> None:
    """Migration ``core/0148_row_security_identity_vigilance`` (PostgreSQL only)."""
    structure_policy(db, "identity_vigilance")


def get(db: Database, person_id: int) -> dict | None:
    return _row(db, "SELECT * FROM identity_vigilance WHERE person_id = ?", [person_id])


def _ensure(db: Database, person_id: int, structure_id: int) -> None:
    if get(db, person_id) is None:
        db.execute(
            "INSERT INTO identity_vigilance (person_id, structure_id) VALUES (?, ?)",
            [person_id, structure_id],
        )


def set_validated(
    db: Database, person_id: int, structure_id: int, document: str, by_label: str
) -> None:
    _ensure(db, person_id, structure_id)
    db.execute(
        "UPDATE identity_vigilance SET document = ?, validated_by_label = ?, validated_at = ?"
        " WHERE person_id = ?",
        [document, by_label, utcnow_iso(), person_id],
    )


def set_ins_retrieved(db: Database, person_id: int, structure_id: int, by_label: str) -> None:
    _ensure(db, person_id, structure_id)
    db.execute(
        "UPDATE identity_vigilance SET ins_retrieved_by_label = ?, ins_retrieved_at = ?"
        " WHERE person_id = ?",
        [by_label, utcnow_iso(), person_id],
    )


def reset(db: Database, person_id: int) -> bool:
    """Back to a provisional identity; ``True`` when there was something to drop."""
    cur = db.execute("DELETE FROM identity_vigilance WHERE person_id = ?", [person_id])
    return cur.rowcount > 0


def identity_traits(db: Database, structure_id: int) -> list[dict]:
    """The strict identity traits of the structure's active persons, for duplicate detection."""
    return _rows(
        db,
        "SELECT id, family_name, birth_name, given_names, birth_date, sex FROM persons"
        " WHERE structure_id = ? AND status = 'active' ORDER BY id LIMIT ?",
        [structure_id, MAX_COMPARED],
    )

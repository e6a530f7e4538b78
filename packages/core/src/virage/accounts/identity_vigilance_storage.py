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
    db: Database,
    person_id: int,
    structure_id: int,
    document: str,
    by_label: str,
    at: str | None = None,
) -> None:
    """``at``: when it was checked (now unless given: the demo dates its checks in the past)."""
    _ensure(db, person_id, structure_id)
    db.execute(
        "UPDATE identity_vigilance SET document = ?, validated_by_label = ?, validated_at = ?"
        " WHERE person_id = ?",
        [document, by_label, at or utcnow_iso(), person_id],
    )


def set_ins_retrieved(
    db: Database, person_id: int, structure_id: int, by_label: str, at: str | None = None
) -> None:
    _ensure(db, person_id, structure_id)
    db.execute(
        "UPDATE identity_vigilance SET ins_retrieved_by_label = ?, ins_retrieved_at = ?"
        " WHERE person_id = ?",
        [by_label, at or utcnow_iso(), person_id],
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


def add_merged_into(db: Database) -> None:
    """Migration ``core/0149_persons_merged_into``: a merged duplicate points to the record kept."""
    db.execute("ALTER TABLE persons ADD COLUMN merged_into INTEGER")


def move_person_rows(db: Database, kept_id: int, merged_id: int) -> None:
    """The accounts domain's rows of the duplicate go to the record kept: care team (without
    double membership), objections to sharing; then the duplicate points to the record kept."""
    db.execute(
        "INSERT INTO care_team (person_id, user_id, added_by, added_at)"
        " SELECT ?, user_id, added_by, added_at FROM care_team c WHERE c.person_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM care_team k WHERE k.person_id = ? AND k.user_id = c.user_id)",
        [kept_id, merged_id, kept_id],
    )
    db.execute("DELETE FROM care_team WHERE person_id = ?", [merged_id])
    db.execute(
        "UPDATE sharing_objections SET person_id = ? WHERE person_id = ?", [kept_id, merged_id]
    )
    db.execute("DELETE FROM identity_vigilance WHERE person_id = ?", [merged_id])
    db.execute("UPDATE persons SET merged_into = ? WHERE id = ?", [kept_id, merged_id])

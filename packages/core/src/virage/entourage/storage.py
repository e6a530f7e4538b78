"""Storage of the entourage: one table, ``entourage_entries``, one row per declared entry.

Rows follow their person on PostgreSQL (row security keyed on the person and the structure).
"""

from __future__ import annotations

from typing import Any

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row
from virage.db_policies import structure_policy

FIELDS = (
    "kind",
    "name",
    "relation",
    "phone",
    "detail",
    "extra",
    "may_know",
    "source",
    "declared_on",
)
#: Entries kept per person: enough for a large family and a long list of treatments.
MAX_PER_PERSON = 200


def create_tables(db: Database) -> None:
    """Migration ``core/0145_entourage``."""
    db.execute(
        """CREATE TABLE entourage_entries (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            person_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            relation TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '',
            extra TEXT NOT NULL DEFAULT '',
            may_know TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            declared_on TEXT,
            recorded_by INTEGER,
            recorded_by_label TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX entourage_entries_person ON entourage_entries (person_id, kind)")


def create_row_security(db: Database) -> None:
    """Migration ``core/0146_row_security_entourage`` (PostgreSQL; nothing on SQLite)."""
    structure_policy(db, "entourage_entries")


def entries(db: Database, person_id: int, kinds: tuple[str, ...]) -> list[dict]:
    if not kinds:
        return []
    marks = ", ".join("?" * len(kinds))
    return _rows(
        db,
        f"SELECT * FROM entourage_entries WHERE person_id = ? AND kind IN ({marks})"
        " ORDER BY kind, id",
        [person_id, *kinds],
    )


def entry(db: Database, person_id: int, entry_id: int) -> dict | None:
    return _row(
        db,
        "SELECT * FROM entourage_entries WHERE id = ? AND person_id = ?",
        [entry_id, person_id],
    )


def count(db: Database, person_id: int, kind: str | None = None) -> int:
    sql = "SELECT count(*) AS n FROM entourage_entries WHERE person_id = ?"
    params: list[Any] = [person_id]
    if kind is not None:
        sql += " AND kind = ?"
        params.append(kind)
    return _row(db, sql, params)["n"]


def add(
    db: Database,
    structure_id: int,
    person_id: int,
    values: dict[str, Any],
    user_id: int | None,
    user_label: str,
) -> int:
    row = {k: values.get(k) or ("" if k != "declared_on" else None) for k in FIELDS}
    cols = ", ".join(row)
    marks = ", ".join("?" * len(row))
    cur = db.execute(
        f"INSERT INTO entourage_entries (structure_id, person_id, {cols}, recorded_by,"
        f" recorded_by_label, recorded_at) VALUES (?, ?, {marks}, ?, ?, ?) RETURNING id",
        [structure_id, person_id, *row.values(), user_id, user_label, utcnow_iso()],
    )
    return cur.fetchone()[0]


def remove(db: Database, person_id: int, entry_id: int) -> None:
    db.execute(
        "DELETE FROM entourage_entries WHERE id = ? AND person_id = ?", [entry_id, person_id]
    )


def all_for_person(db: Database, person_id: int) -> list[dict]:
    return _rows(
        db, "SELECT * FROM entourage_entries WHERE person_id = ? ORDER BY kind, id", [person_id]
    )


def delete_person_data(db: Database, person_id: int) -> None:
    db.execute("DELETE FROM entourage_entries WHERE person_id = ?", [person_id])


def move_person(db: Database, kept_id: int, merged_id: int) -> int:
    """A merged duplicate's entries go to the record kept; how many moved."""
    cur = db.execute(
        "UPDATE entourage_entries SET person_id = ? WHERE person_id = ?", [kept_id, merged_id]
    )
    return cur.rowcount

"""Storage of the persons' objections to the sharing of their data outside their care team
(code de la santé publique, article L1110-4). The only SQL of objections.

An objection is never deleted while the person's record exists: withdrawing it dates the
withdrawal and names who recorded it, so the record keeps its history.
"""

from __future__ import annotations

from virage.accounts import schema_storage
from virage.db import Database
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row

SCOPES = ("tout", "sante")


create_tables = (
    schema_storage.create_objection_tables
)  # the migration 0007, defined with the domain's other tables


def active(db: Database, person_id: int) -> dict | None:
    return _row(
        db,
        "SELECT * FROM sharing_objections WHERE person_id = ? AND withdrawn_at IS NULL",
        [person_id],
    )


def history(db: Database, person_id: int) -> list[dict]:
    return _rows(
        db, "SELECT * FROM sharing_objections WHERE person_id = ? ORDER BY id DESC", [person_id]
    )


def get(db: Database, objection_id: int) -> dict | None:
    return _row(db, "SELECT * FROM sharing_objections WHERE id = ?", [objection_id])


def add(
    db: Database,
    *,
    person_id: int,
    scope: str,
    expressed_on: str,
    note: str,
    user_id: int,
    label: str,
    at: str,
) -> int | None:
    """Record an objection; ``None`` when one is already in force for the person."""
    cur = db.execute(
        "INSERT INTO sharing_objections (person_id, scope, expressed_on, note,"
        " recorded_by, recorded_by_label, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
        " RETURNING id",
        [person_id, scope, expressed_on, note, user_id, label, at],
    )
    row = cur.fetchone()
    return row[0] if row else None


def withdraw(
    db: Database,
    objection_id: int,
    *,
    withdrawn_on: str,
    user_id: int,
    label: str,
    at: str,
) -> bool:
    cur = db.execute(
        "UPDATE sharing_objections SET withdrawn_on = ?, withdrawn_by = ?, withdrawn_by_label = ?,"
        " withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL",
        [withdrawn_on, user_id, label, at, objection_id],
    )
    return cur.rowcount == 1

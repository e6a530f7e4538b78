"""Storage of the workers' first-use notice: who acknowledged which version, when, and what each
structure had declared about its CSE then; and each structure's date of information-consultation
of its CSE. The only SQL of the notice."""

from __future__ import annotations

import json

from virage.accounts import schema_storage
from virage.db import Database
from virage.db import fetch_all as _rows

create_tables = (
    schema_storage.create_notice_tables
)  # the migration 0006, defined with the domain's other tables


def cse_dates(db: Database, structure_ids: list[int]) -> list[dict]:
    """``id``, ``name`` and ``cse_consulted_on`` (ISO date or ``None``) of these structures."""
    if not structure_ids:
        return []
    marks = ",".join("?" * len(structure_ids))
    return _rows(
        db,
        f"SELECT id, name, cse_consulted_on FROM structures WHERE id IN ({marks}) ORDER BY name",
        structure_ids,
    )


def set_cse_date(db: Database, structure_id: int, day: str | None) -> None:
    db.execute("UPDATE structures SET cse_consulted_on = ? WHERE id = ?", [day, structure_id])


def is_acknowledged(db: Database, user_id: int, version: int) -> bool:
    row = db.execute(
        "SELECT 1 FROM notice_acknowledgements WHERE user_id = ? AND version = ?",
        [user_id, version],
    ).fetchone()
    return row is not None


def acknowledge(db: Database, user_id: int, version: int, at: str, structures: list[dict]) -> bool:
    cur = db.execute(
        "INSERT INTO notice_acknowledgements (user_id, version, acknowledged_at,"
        " structures) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [user_id, version, at, json.dumps(structures, ensure_ascii=False)],
    )
    return cur.rowcount == 1


def acknowledgements_of(db: Database, user_id: int) -> list[dict]:
    rows = _rows(
        db,
        "SELECT version, acknowledged_at, structures FROM notice_acknowledgements"
        " WHERE user_id = ? ORDER BY version DESC",
        [user_id],
    )
    for row in rows:
        row["structures"] = json.loads(row["structures"] or "[]")
    return rows

"""Storage of the structures' administration: their description, their link to the directory
(FINESS), their closing, their retention period (table ``structures``, owned by the accounts
domain)."""

from __future__ import annotations

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row


def add_admin_columns(db: Database) -> None:
    """Migration ``core/0105_structures_admin``: the directory entry a structure is linked to, and
    the day it was closed (never deleted: its data is kept for the retention period)."""
    db.execute("ALTER TABLE structures ADD COLUMN directory_structure_id INTEGER")
    db.execute("ALTER TABLE structures ADD COLUMN closed_at TEXT")


def structures_with_counts(db: Database, ids: list[int] | None = None) -> list[dict]:
    """Structures by name (all, or those of ``ids``) with ``members``: their active accounts."""
    where, params = "", []
    if ids is not None:
        if not ids:
            return []
        where = f" WHERE s.id IN ({', '.join('?' * len(ids))})"
        params = list(ids)
    return _rows(
        db,
        "SELECT s.*, (SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id"
        " WHERE m.structure_id = s.id AND u.active = 1) AS members"
        f" FROM structures s{where} ORDER BY s.closed_at IS NOT NULL, s.name",
        params,
    )


def name_taken(db: Database, name: str, except_id: int | None = None) -> bool:
    row = _row(
        db,
        "SELECT id FROM structures WHERE lower(name) = lower(?) AND id <> ?",
        [name, except_id or 0],
    )
    return row is not None


def update_description(
    db: Database, structure_id: int, name: str, kind: str, commune: str | None
) -> None:
    db.execute(
        "UPDATE structures SET name = ?, kind = ?, commune = ? WHERE id = ?",
        [name, kind, commune, structure_id],
    )


def set_directory_link(
    db: Database, structure_id: int, directory_id: int | None, finess: str | None
) -> None:
    db.execute(
        "UPDATE structures SET directory_structure_id = ?, finess = ? WHERE id = ?",
        [directory_id, finess, structure_id],
    )


def set_closed(db: Database, structure_id: int, closed_at: str | None) -> None:
    db.execute("UPDATE structures SET closed_at = ? WHERE id = ?", [closed_at, structure_id])


def revoke_tokens_of_structure(db: Database, structure_id: int) -> int:
    """Revoke the structure's API tokens still valid; return how many."""
    cur = db.execute(
        "UPDATE api_tokens SET revoked_at = ? WHERE structure_id = ? AND revoked_at IS NULL",
        [utcnow_iso(), structure_id],
    )
    return cur.rowcount or 0


def set_retention_years(db: Database, structure_id: int, years: int) -> None:
    db.execute("UPDATE structures SET retention_years = ? WHERE id = ?", [years, structure_id])


def closed_ids(db: Database, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    marks = ", ".join("?" * len(ids))
    rows = db.execute(
        f"SELECT id FROM structures WHERE id IN ({marks}) AND closed_at IS NOT NULL", list(ids)
    ).fetchall()
    return {r[0] for r in rows}

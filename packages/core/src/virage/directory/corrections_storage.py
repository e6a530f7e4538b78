"""The SQL of the directory's correction reports (table ``directory_corrections``)."""

from __future__ import annotations

from typing import Any

from virage.db import Database, fetch_all, fetch_one
from virage.directory import schema

create_tables = schema.create_corrections_tables  # migration 0013, with the domain's tables


def open_count(db: Database, target_type: str, target_id: int, user_id: int) -> int:
    """Reports still open by this user on this entry."""
    (count,) = db.execute(
        "SELECT COUNT(*) FROM directory_corrections WHERE target_type = ? AND target_id = ?"
        " AND reported_by = ? AND status = 'open'",
        [target_type, target_id, user_id],
    ).fetchone()
    return count


def insert(db: Database, values: dict[str, Any]) -> int:
    return db.insert_row("directory_corrections", values)


def get(db: Database, report_id: int) -> dict | None:
    return fetch_one(db, "SELECT * FROM directory_corrections WHERE id = ?", [report_id])


def listed(db: Database, status: str | None, limit: int) -> list[dict]:
    """Reports (of one status, or all), open ones first, newest first."""
    sql, params = "SELECT * FROM directory_corrections", []
    if status:
        sql += " WHERE status = ?"
        params.append(status)
    return fetch_all(db, sql + " ORDER BY status = 'open' DESC, id DESC LIMIT ?", [*params, limit])


def confirmed(db: Database, target_type: str, target_id: int, limit: int = 20) -> list[dict]:
    return fetch_all(
        db,
        "SELECT * FROM directory_corrections WHERE target_type = ? AND target_id = ?"
        " AND status = 'accepted' ORDER BY id DESC LIMIT ?",
        [target_type, target_id, limit],
    )


def close(db: Database, report_id: int, values: dict[str, Any]) -> bool:
    """Record the review of a report still open; ``False`` when someone reviewed it first."""
    cur = db.execute(
        "UPDATE directory_corrections SET status = ?, review_note = ?, reviewed_by_label = ?,"
        " reviewed_at = ? WHERE id = ? AND status = 'open'",
        [
            values["status"],
            values["review_note"],
            values["reviewed_by_label"],
            values["reviewed_at"],
            report_id,
        ],
    )
    return cur.rowcount == 1

"""The indicators' tables (migrations ``core`` 0150 and 0151): monthly aggregates, the network's
threshold, the exports of the sas and their approvals."""

from __future__ import annotations

import json
from collections.abc import Iterable

from virage.db import Database, fetch_all, fetch_one
from virage.db_policies import structure_policy


def create_tables(db: Database) -> None:
    db.execute(
        """CREATE TABLE indicator_monthly (
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            indicator TEXT NOT NULL,
            month TEXT NOT NULL,
            category TEXT NOT NULL,
            value REAL NOT NULL,
            base INTEGER NOT NULL,
            PRIMARY KEY (structure_id, indicator, month, category)
        )"""
    )
    db.execute(
        """CREATE TABLE indicator_months (
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            month TEXT NOT NULL,
            computed_at TEXT NOT NULL,
            PRIMARY KEY (structure_id, month)
        )"""
    )
    db.execute(
        """CREATE TABLE indicator_settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE indicator_exports (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            period TEXT NOT NULL,
            content TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'prepared'
                CHECK (status IN ('prepared', 'approved', 'invalidated')),
            prepared_by INTEGER NOT NULL REFERENCES users(id),
            prepared_at TEXT NOT NULL,
            approved_at TEXT,
            first_download_at TEXT
        )"""
    )
    db.execute("CREATE INDEX indicator_exports_structure ON indicator_exports (structure_id, id)")
    db.execute(
        """CREATE TABLE indicator_approvals (
            export_id INTEGER NOT NULL REFERENCES indicator_exports(id),
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            role TEXT NOT NULL CHECK (role IN ('director', 'dpo')),
            user_id INTEGER NOT NULL REFERENCES users(id),
            at TEXT NOT NULL,
            PRIMARY KEY (export_id, role),
            UNIQUE (export_id, user_id)
        )"""
    )


def create_row_security(db: Database) -> None:
    for table in ("indicator_monthly", "indicator_months", "indicator_exports"):
        structure_policy(db, table)
    structure_policy(db, "indicator_approvals")


# --------------------------------------------------------------------------- monthly aggregates


def computed_months(db: Database, structure_id: int, months: list[str]) -> set[str]:
    rows = fetch_all(
        db,
        "SELECT month FROM indicator_months WHERE structure_id = ? AND month >= ? AND month <= ?",
        [structure_id, min(months), max(months)],
    )
    return {r["month"] for r in rows}


def replace_month(
    db: Database, structure_id: int, month: str, rows: Iterable[tuple], at: str
) -> None:
    """Replace a month's aggregates: ``rows`` are ``(indicator, category, value, base)``."""
    db.execute(
        "DELETE FROM indicator_monthly WHERE structure_id = ? AND month = ?", [structure_id, month]
    )
    db.executemany(
        "INSERT INTO indicator_monthly (structure_id, indicator, month, category, value, base)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(structure_id, key, month, cat, value, base) for key, cat, value, base in rows],
    )
    db.execute(
        "DELETE FROM indicator_months WHERE structure_id = ? AND month = ?", [structure_id, month]
    )
    db.execute(
        "INSERT INTO indicator_months (structure_id, month, computed_at) VALUES (?, ?, ?)",
        [structure_id, month, at],
    )


def monthly(db: Database, structure_ids: list[int], first: str, last: str) -> list[dict]:
    if not structure_ids:
        return []
    marks = ", ".join("?" for _ in structure_ids)
    return fetch_all(
        db,
        "SELECT structure_id, indicator, month, category, value, base FROM indicator_monthly"
        f" WHERE structure_id IN ({marks}) AND month >= ? AND month <= ?",
        [*structure_ids, first, last],
    )


# --------------------------------------------------------------------------- settings


def setting(db: Database, name: str) -> str | None:
    row = fetch_one(db, "SELECT value FROM indicator_settings WHERE name = ?", [name])
    return row["value"] if row else None


def set_setting(db: Database, name: str, value: str) -> None:
    db.execute("DELETE FROM indicator_settings WHERE name = ?", [name])
    db.execute("INSERT INTO indicator_settings (name, value) VALUES (?, ?)", [name, value])


# --------------------------------------------------------------------------- the sas


def insert_export(
    db: Database, structure_id: int, period: str, content: dict, digest: str, user_id: int, at: str
) -> int:
    cursor = db.execute(
        "INSERT INTO indicator_exports (structure_id, period, content, content_hash, prepared_by,"
        " prepared_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        [structure_id, period, json.dumps(content, ensure_ascii=False), digest, user_id, at],
    )
    return int(cursor.fetchone()[0])


def export(db: Database, export_id: int) -> dict | None:
    row = fetch_one(db, "SELECT * FROM indicator_exports WHERE id = ?", [export_id])
    if row:
        row["content"] = json.loads(row["content"])
    return row


def exports(db: Database, structure_id: int, limit: int = 50) -> list[dict]:
    return fetch_all(
        db,
        "SELECT id, structure_id, period, content_hash, status, prepared_by, prepared_at,"
        " approved_at, first_download_at FROM indicator_exports WHERE structure_id = ?"
        " ORDER BY id DESC LIMIT ?",
        [structure_id, limit],
    )


def sent_exports(db: Database, structure_id: int, limit: int = 50) -> list[dict]:
    rows = fetch_all(
        db,
        "SELECT id, period, content, first_download_at FROM indicator_exports"
        " WHERE structure_id = ? AND first_download_at IS NOT NULL ORDER BY id DESC LIMIT ?",
        [structure_id, limit],
    )
    for row in rows:
        row["content"] = json.loads(row["content"])
    return rows


def period_sent(db: Database, structure_id: int, period: str) -> bool:
    return (
        fetch_one(
            db,
            "SELECT 1 AS x FROM indicator_exports WHERE structure_id = ? AND period = ?"
            " AND first_download_at IS NOT NULL",
            [structure_id, period],
        )
        is not None
    )


def set_status(db: Database, export_id: int, status: str, at: str | None = None) -> None:
    db.execute(
        "UPDATE indicator_exports SET status = ?, approved_at = COALESCE(?, approved_at)"
        " WHERE id = ? AND status = 'prepared'",
        [status, at, export_id],
    )


def mark_downloaded(db: Database, export_id: int, at: str) -> None:
    db.execute(
        "UPDATE indicator_exports SET first_download_at = ? WHERE id = ?"
        " AND first_download_at IS NULL",
        [at, export_id],
    )


def approvals(db: Database, export_id: int) -> list[dict]:
    return fetch_all(
        db,
        "SELECT role, user_id, at FROM indicator_approvals WHERE export_id = ? ORDER BY at",
        [export_id],
    )


def add_approval(
    db: Database, export_id: int, structure_id: int, role: str, user_id: int, at: str
) -> None:
    db.execute(
        "INSERT INTO indicator_approvals (export_id, structure_id, role, user_id, at)"
        " VALUES (?, ?, ?, ?, ?)",
        [export_id, structure_id, role, user_id, at],
    )


def approved_export(db: Database, structure_id: int, period: str) -> dict | None:
    row = fetch_one(
        db,
        "SELECT id FROM indicator_exports WHERE structure_id = ? AND period = ?"
        " AND status = 'approved' ORDER BY id DESC LIMIT 1",
        [structure_id, period],
    )
    return row

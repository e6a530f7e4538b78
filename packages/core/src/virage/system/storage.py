"""Storage of the system domain: instance metadata and health check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from virage.db import Database, utcnow_iso


def create_instance_table(db: Database) -> None:
    db.execute("CREATE TABLE instance (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO instance (key, value) VALUES ('created_at', ?)", [utcnow_iso()])


def ping(db: Database) -> bool:
    return db.execute("SELECT 1").fetchone() == (1,)


def instance_info(db: Database) -> dict[str, str]:
    return dict(db.execute("SELECT key, value FROM instance").fetchall())


def set_instance_info(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO instance (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def is_demo_file(path: Path) -> bool:
    """The database file at ``path`` says it is a demonstration database (read only; ``False``
    if it cannot be read)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM instance WHERE key = 'demo'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return bool(row and row[0] == "1")

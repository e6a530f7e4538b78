"""Tests read and change the database behind the application through the seam, on either engine."""

from __future__ import annotations

from pathlib import Path

from virage.db import connect


def query(path: Path, sql: str, params=()) -> list[tuple]:
    """Run one statement on its own connection (committed at once); its rows, if any."""
    db = connect(path)
    try:
        cur = db.execute(sql, list(params))
        return [tuple(r) for r in cur.fetchall()] if cur.description else []
    finally:
        db.close()

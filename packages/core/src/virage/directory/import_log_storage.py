"""The history of directory imports (table ``directory_imports``)."""

from __future__ import annotations

import json
from typing import Any

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row


def start_import(
    db: Database, source: str, fmt: str, filename: str, actor: str, partial: bool
) -> int:
    cur = db.execute(
        "INSERT INTO directory_imports (source, format, filename, actor, partial, started_at,"
        " status) VALUES (?, ?, ?, ?, ?, ?, 'running') RETURNING id",
        [source, fmt, filename, actor, int(partial), utcnow_iso()],
    )
    return cur.fetchone()[0]


def finish_import(
    db: Database,
    import_id: int,
    status: str,
    report: dict[str, Any],
    generated_at: str | None,
) -> None:
    db.execute(
        "UPDATE directory_imports SET status = ?, finished_at = ?, report = ?, generated_at = ?"
        " WHERE id = ?",
        [status, utcnow_iso(), json.dumps(report, ensure_ascii=False), generated_at, import_id],
    )


def record_failed_import(
    db: Database,
    source: str,
    fmt: str | None,
    filename: str,
    actor: str,
    partial: bool,
    report: dict[str, Any],
) -> int:
    now = utcnow_iso()
    cur = db.execute(
        "INSERT INTO directory_imports (source, format, filename, actor, partial, started_at,"
        " finished_at, status, report) VALUES (?, ?, ?, ?, ?, ?, ?, 'failed', ?) RETURNING id",
        [
            source,
            fmt,
            filename,
            actor,
            int(partial),
            now,
            now,
            json.dumps(report, ensure_ascii=False),
        ],
    )
    return cur.fetchone()[0]


def list_imports(db: Database, limit: int = 50) -> list[dict]:
    rows = _rows(db, "SELECT * FROM directory_imports ORDER BY id DESC LIMIT ?", [limit])
    for r in rows:
        r["report"] = json.loads(r["report"] or "{}")
    return rows


def last_successful_import(db: Database, source: str) -> dict | None:
    return _row(
        db,
        "SELECT id, source, format, filename, finished_at, generated_at FROM directory_imports"
        " WHERE source = ? AND status = 'done' ORDER BY id DESC LIMIT 1",
        [source],
    )


def last_complete_import(db: Database, source: str, fmt: str) -> dict | None:
    """The last successful complete (not partial) import of ``source`` in format ``fmt``, with the
    size of its file in bytes (``size``, None for imports recorded before sizes were)."""
    size = "json_extract(report, '$.octets')"
    if db.dialect == "postgresql":
        size = "(report::jsonb ->> 'octets')::bigint"
    return _row(
        db,
        f"SELECT id, finished_at, {size} AS size FROM directory_imports"
        " WHERE source = ? AND format = ? AND status = 'done' AND partial = 0"
        " ORDER BY id DESC LIMIT 1",
        [source, fmt],
    )

"""Storage of the journal's searches: a structure's entries filtered by person, period, action,
and (for the DPO only, checked by the caller) by worker; the DPO's reads of a worker's activity.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from virage.audit.storage import COLUMNS
from virage.db import Database
from virage.db import fetch_all as _rows
from virage.groupcommit import flush_into

#: The action recorded when the DPO reads a worker's activity (target ``user:<id>``).
WORKER_ACTIVITY = "audit.worker_activity"


def create_target_index(db: Database) -> None:
    """Migration ``core/0115_audit_target_index``: a worker's page finds the DPO's reads of her
    activity (``target = 'user:<id>'``) without reading the whole trail."""
    db.execute("CREATE INDEX audit_target_action ON audit_log (target, action)")


@dataclass(frozen=True)
class Query:
    """What a journal search asks for. ``since``/``until``: UTC ISO bounds (``until`` excluded)."""

    structure_id: int
    person_id: int | None = None
    action: str | None = None
    actor_user_id: int | None = None
    since: str | None = None
    until: str | None = None
    emergency_only: bool = False


def _where(query: Query) -> tuple[str, list]:
    where, params = ["structure_id = ?"], [query.structure_id]
    for column, value in (
        ("person_id", query.person_id),
        ("action", query.action),
        ("actor_user_id", query.actor_user_id),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if query.since:
        where.append("at >= ?")
        params.append(query.since)
    if query.until:
        where.append("at < ?")
        params.append(query.until)
    if query.emergency_only:
        where.append("emergency = 1")
    return " AND ".join(where), params


def search(db: Database, query: Query, *, limit: int, offset: int = 0) -> list[dict]:
    """The entries matching ``query``, newest first."""
    where, params = _where(query)
    flush_into(db)  # the request's own entries are part of what it reads back
    return _rows(
        db,
        f"SELECT {COLUMNS} FROM audit_log WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )


def iter_matching(db: Database, query: Query) -> Iterator[dict]:
    """Every entry matching ``query``, oldest first (the CSV exports)."""
    where, params = _where(query)
    flush_into(db)
    cur = db.execute(f"SELECT {COLUMNS} FROM audit_log WHERE {where} ORDER BY id", params)
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row, strict=True))


def worker_activity_reads(db: Database, user_id: int, limit: int = 200) -> list[dict]:
    """When the DPO read this worker's activity (allowed reads only), newest first."""
    flush_into(db)
    return _rows(
        db,
        f"SELECT {COLUMNS} FROM audit_log WHERE target = ? AND action = ? AND outcome = 'allowed'"
        " ORDER BY id DESC LIMIT ?",
        [f"user:{user_id}", WORKER_ACTIVITY, limit],
    )

"""Storage of the audit trail: an append-only table (triggers refuse updates and deletes)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db_ddl import refuse
from virage.groupcommit import flush_into, write_soon
from virage.limits import MAX_INT


def create_audit_log(db: Database) -> None:
    # The ids an entry names are whatever a request asked for, up to SQLite's 64-bit integers:
    # PostgreSQL's INTEGER has 32 bits (a refusal for person 2**40 must still be recorded).
    ids = "BIGINT" if db.dialect == "postgresql" else "INTEGER"
    db.execute(
        f"""CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor_user_id {ids},
            actor_label TEXT NOT NULL,
            via TEXT NOT NULL,
            structure_id {ids},
            person_id {ids},
            action TEXT NOT NULL,
            target TEXT,
            route TEXT,
            outcome TEXT NOT NULL CHECK (outcome IN ('allowed', 'denied')),
            emergency INTEGER NOT NULL DEFAULT 0,
            details TEXT
        )"""
    )
    db.execute("CREATE INDEX audit_structure_at ON audit_log (structure_id, at)")
    db.execute("CREATE INDEX audit_person_at ON audit_log (person_id, at)")
    db.execute("CREATE INDEX audit_actor_at ON audit_log (actor_user_id, at)")
    for event in ("UPDATE", "DELETE"):
        refuse(
            db,
            f"audit_log_no_{event.lower()}",
            table="audit_log",
            event=event,
            message="audit_log is append-only",
        )


def append(
    db: Database,
    *,
    actor_user_id: int | None,
    actor_label: str,
    via: str,
    action: str,
    structure_id: int | None = None,
    person_id: int | None = None,
    target: str | None = None,
    route: str | None = None,
    outcome: str = "allowed",
    emergency: bool = False,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one entry; durable before the current answer leaves (``virage.groupcommit``).

    An id outside the 64-bit range (a request for person 10**30) names nothing the database can
    hold: the column stays empty and the value asked for is kept, as text, in the details, so the
    refusal is still recorded and the batch it is written with is not lost.
    """
    out_of_range = {
        name: str(value)
        for name, value in (
            ("actor_user_id", actor_user_id),
            ("structure_id", structure_id),
            ("person_id", person_id),
        )
        if isinstance(value, int) and not -MAX_INT - 1 <= value <= MAX_INT
    }
    if out_of_range:
        details = {**(details or {}), "identifiants_hors_limites": out_of_range}
        actor_user_id = None if "actor_user_id" in out_of_range else actor_user_id
        structure_id = None if "structure_id" in out_of_range else structure_id
        person_id = None if "person_id" in out_of_range else person_id
    # Texts come from the request (its path, a target typed in an address): a NUL character
    # cannot be stored by PostgreSQL, and the entry must be written whatever was asked.
    actor_label, action, target, route = (
        _printable(v) for v in (actor_label, action, target, route)
    )
    write_soon(
        db,
        "INSERT INTO audit_log (at, actor_user_id, actor_label, via, structure_id, person_id,"
        " action, target, route, outcome, emergency, details)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            utcnow_iso(),
            actor_user_id,
            actor_label,
            via,
            structure_id,
            person_id,
            action,
            target,
            route,
            outcome,
            int(emergency),
            json.dumps(details, ensure_ascii=False) if details else None,
        ],
    )


def _printable(value: str | None) -> str | None:
    return value.replace("\x00", "\ufffd") if isinstance(value, str) else value


COLUMNS = (
    "id, at, actor_user_id, actor_label, via, structure_id, person_id, action, target, route,"
    " outcome, emergency, details"
)


def for_structure(
    db: Database,
    structure_id: int,
    *,
    limit: int = 200,
    offset: int = 0,
    action: str | None = None,
    person_id: int | None = None,
    emergency_only: bool = False,
) -> list[dict]:
    where, params = ["structure_id = ?"], [structure_id]
    if action:
        where.append("action = ?")
        params.append(action)
    if person_id is not None:
        where.append("person_id = ?")
        params.append(person_id)
    if emergency_only:
        where.append("emergency = 1")
    flush_into(db)  # the request's own entries are part of what it reads back
    sql = (
        f"SELECT {COLUMNS} FROM audit_log WHERE {' AND '.join(where)}"
        " ORDER BY id DESC LIMIT ? OFFSET ?"
    )
    return _rows(db, sql, [*params, limit, offset])


def iter_structure(db: Database, structure_id: int) -> Iterator[dict]:
    flush_into(db)
    cur = db.execute(
        f"SELECT {COLUMNS} FROM audit_log WHERE structure_id = ? ORDER BY id", [structure_id]
    )
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row, strict=True))


def for_person(db: Database, person_id: int, limit: int = 500) -> list[dict]:
    flush_into(db)
    return _rows(
        db,
        f"SELECT {COLUMNS} FROM audit_log WHERE person_id = ? ORDER BY id DESC LIMIT ?",
        [person_id, limit],
    )


def for_actor(db: Database, user_id: int, limit: int = 500) -> list[dict]:
    flush_into(db)
    return _rows(
        db,
        f"SELECT {COLUMNS} FROM audit_log WHERE actor_user_id = ? ORDER BY id DESC LIMIT ?",
        [user_id, limit],
    )


def previous_login(db: Database, user_id: int) -> str | None:
    """The date of the worker's log-in before her latest one, or ``None``."""
    flush_into(db)
    row = db.execute(
        "SELECT at FROM audit_log WHERE actor_user_id = ? AND action = 'accounts.login'"
        " AND outcome = 'allowed' ORDER BY at DESC LIMIT 1 OFFSET 1",
        [user_id],
    ).fetchone()
    return row[0] if row else None


def count(db: Database) -> int:
    flush_into(db)
    return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]

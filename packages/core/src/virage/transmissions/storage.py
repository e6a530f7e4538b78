"""Storage of the transmissions domain: the only SQL of the domain, with ``schema_storage``
(tables, triggers, full-text index) and ``nomenclature_storage`` (targets, templates), whose
names are importable from here too.

Tables (prefix ``transmissions_``): the shared nomenclature (targets, templates), the
transmissions themselves (entries, results added later, corrections), read acknowledgements, the
workers' last "prise de poste", and a full-text index (accent-insensitive: FTS5 on SQLite, a
``tsvector`` column on PostgreSQL). Nothing here reads another domain's tables: names of persons
and workers come from ``virage.accounts.lookups``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from virage.db import Database
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row
from virage.transmissions.nomenclature_storage import (  # noqa: F401 (re-exported)
    get_target,
    get_template,
    list_targets,
    list_templates,
    set_target_active,
    upsert_target,
    upsert_template,
)
from virage.transmissions.schema_storage import (  # noqa: F401 (re-exported)
    FTS_BODY,
    FTS_SCOPE,
    IMMUTABLE,
    ISO_GLOB,
    LIGATURES,
    create_integrity_triggers,
    create_search_index,
    create_tables,
    seed_nomenclature,
)
from virage.transmissions.search_storage import search_ids

# --------------------------------------------------------------------------- helpers


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


# --------------------------------------------------------------------------- transmissions

COLUMNS = (
    "t.id, t.person_id, t.structure_id, t.author_id, t.author_label, t.kind, t.parent_id,"
    " t.target, t.category, t.priority, t.occurred_at, t.created_at, t.editable_until, t.data,"
    " t.actions, t.results, t.appointment_id, t.client_id, t.source"
)
SELECT = (
    f"SELECT {COLUMNS}, g.label AS target_label FROM transmissions t"
    " JOIN transmissions_targets g ON g.code = t.target"
)
INSERT_FIELDS = (
    "person_id",
    "structure_id",
    "author_id",
    "author_label",
    "kind",
    "parent_id",
    "target",
    "category",
    "priority",
    "occurred_at",
    "created_at",
    "editable_until",
    "data",
    "actions",
    "results",
    "appointment_id",
    "client_id",
    "source",
)
CONTENT_FIELDS = (
    "target",
    "category",
    "priority",
    "occurred_at",
    "data",
    "actions",
    "results",
    "appointment_id",
)


DEFAULTS = {
    "kind": "entry",
    "priority": "normal",
    "data": "",
    "actions": "",
    "results": "",
    "source": "web",
}


def insert(db: Database, values: dict[str, Any]) -> int | None:
    """Write one transmission; its id, or ``None`` when its author already sent this
    ``client_id`` (the unique key decides, even for two copies arriving at the same moment)."""
    cur = db.execute(
        f"INSERT INTO transmissions ({', '.join(INSERT_FIELDS)}) VALUES ({_marks(INSERT_FIELDS)})"
        " ON CONFLICT (author_id, client_id) DO NOTHING RETURNING id",
        [values.get(k, DEFAULTS.get(k)) for k in INSERT_FIELDS],
    )
    rows = cur.fetchall()
    return rows[0][0] if rows else None


def insert_many(db: Database, rows: Iterable[Sequence[Any]]) -> None:
    """Bulk insert (demo data, benchmark): tuples in the order of ``INSERT_FIELDS``."""
    db.executemany(
        f"INSERT INTO transmissions ({', '.join(INSERT_FIELDS)}) VALUES ({_marks(INSERT_FIELDS)})",
        rows,
    )


def get(db: Database, transmission_id: int) -> dict | None:
    return _row(db, f"{SELECT} WHERE t.id = ?", [transmission_id])


def find_by_client_id(db: Database, author_id: int, client_id: str) -> dict | None:
    return _row(db, f"{SELECT} WHERE t.author_id = ? AND t.client_id = ?", [author_id, client_id])


def update_content(db: Database, transmission_id: int, changes: dict) -> None:
    changes = {k: v for k, v in changes.items() if k in CONTENT_FIELDS}
    if changes:
        sets = ", ".join(f"{k} = ?" for k in changes)
        db.execute(
            f"UPDATE transmissions SET {sets} WHERE id = ?", [*changes.values(), transmission_id]
        )


def delete(db: Database, transmission_id: int) -> None:
    """Withdraw a transmission during its grace period (the triggers refuse it afterwards)."""
    db.execute("DELETE FROM transmissions_acks WHERE transmission_id = ?", [transmission_id])
    db.execute("DELETE FROM transmissions WHERE id = ?", [transmission_id])


def has_children(db: Database, transmission_id: int) -> bool:
    return bool(
        db.execute(
            "SELECT 1 FROM transmissions WHERE parent_id = ? LIMIT 1", [transmission_id]
        ).fetchone()
    )


def timeline(
    db: Database,
    person_id: int,
    *,
    target: str | None = None,
    category: str | None = None,
    author_id: int | None = None,
    since: str | None = None,
    until: str | None = None,
    before: tuple[str, int] | None = None,
    limit: int = 50,
    oldest_first: bool = False,
) -> list[dict]:
    """A person's entries and corrections (results come with ``children``), newest first."""
    where, params = ["t.person_id = ?", "t.kind <> 'result'"], [person_id]
    if target:
        where.append("t.target = ?")
        params.append(target)
    if category:
        where.append("t.category = ?")
        params.append(category)
    if author_id is not None:
        where.append("t.author_id = ?")
        params.append(author_id)
    if since:
        where.append("t.occurred_at >= ?")
        params.append(since)
    if until:
        where.append("t.occurred_at < ?")
        params.append(until)
    if before:
        where.append("(t.occurred_at, t.id) < (?, ?)")
        params.extend(before)
    order = "ASC" if oldest_first else "DESC"
    return _rows(
        db,
        f"{SELECT} WHERE {' AND '.join(where)}"
        f" ORDER BY t.occurred_at {order}, t.id {order} LIMIT ?",
        [*params, limit],
    )


def authors_for_person(db: Database, person_id: int) -> list[dict]:
    """Who wrote about this person (for the timeline's author filter)."""
    return _rows(
        db,
        "SELECT author_id, max(author_label) AS author_label FROM transmissions"
        " WHERE person_id = ? GROUP BY author_id ORDER BY 2",
        [person_id],
    )


def children(db: Database, parent_ids: Sequence[int]) -> list[dict]:
    """Results and corrections attached to these transmissions, oldest first."""
    if not parent_ids:
        return []
    return _rows(
        db,
        f"{SELECT} WHERE t.parent_id IN ({_marks(parent_ids)}) ORDER BY t.created_at, t.id",
        list(parent_ids),
    )


def acks_for(db: Database, transmission_ids: Sequence[int]) -> list[dict]:
    """Who acknowledged these transmissions, and when (names: ``virage.accounts.lookups``)."""
    if not transmission_ids:
        return []
    return _rows(
        db,
        "SELECT a.transmission_id, a.user_id, a.at FROM transmissions_acks a"
        f" WHERE a.transmission_id IN ({_marks(transmission_ids)}) ORDER BY a.at",
        list(transmission_ids),
    )


def acknowledge(db: Database, transmission_id: int, user_id: int, at: str) -> bool:
    cur = db.execute(
        "INSERT INTO transmissions_acks (transmission_id, user_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [transmission_id, user_id, at],
    )
    return cur.rowcount == 1


def acknowledge_many(db: Database, rows: Iterable[Sequence[Any]]) -> None:
    """Bulk (demo data, benchmark): (transmission id, user id, at) tuples."""
    db.executemany(
        "INSERT INTO transmissions_acks (transmission_id, user_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        rows,
    )


def new_since(
    db: Database,
    *,
    person_ids: Sequence[int],
    structure_ids: Sequence[int],
    since: str,
    reader_id: int,
    unacknowledged_since: str | None = None,
    limit: int = 200,
) -> list[dict]:
    """What others wrote since ``since`` about these persons (or anyone in these structures), and
    whatever they wrote since ``unacknowledged_since`` that the reader has not acknowledged yet.

    Urgent first, then important, then normal; newest first within a priority. Each row says
    whether the reader has acknowledged it (``acknowledged_at``).
    """
    parts, params = [], []
    if person_ids:
        parts.append(f"t.person_id IN ({_marks(person_ids)})")
        params.extend(person_ids)
    if structure_ids:
        parts.append(f"t.structure_id IN ({_marks(structure_ids)})")
        params.extend(structure_ids)
    if not parts:
        return []
    return _rows(
        db,
        f"SELECT {COLUMNS}, g.label AS target_label, a.at AS acknowledged_at"
        " FROM transmissions t JOIN transmissions_targets g ON g.code = t.target"
        " LEFT JOIN transmissions_acks a ON a.transmission_id = t.id AND a.user_id = ?"
        f" WHERE ({' OR '.join(parts)}) AND t.author_id <> ?"
        " AND (t.created_at > ? OR (a.at IS NULL AND t.created_at >= ?))"
        " ORDER BY CASE t.priority WHEN 'urgent' THEN 0 WHEN 'important' THEN 1 ELSE 2 END,"
        " t.created_at DESC, t.id DESC LIMIT ?",
        [reader_id, *params, reader_id, since, unacknowledged_since or since, limit],
    )


def unacknowledged_urgent(
    db: Database, structure_id: int, since: str, limit: int = 200
) -> list[dict]:
    """Urgent entries and corrections that nobody but their author has acknowledged yet."""
    return _rows(
        db,
        f"{SELECT} WHERE t.structure_id = ? AND t.priority = 'urgent' AND t.kind <> 'result'"
        " AND t.created_at >= ? AND NOT EXISTS (SELECT 1 FROM transmissions_acks a"
        "  WHERE a.transmission_id = t.id AND a.user_id <> t.author_id)"
        " ORDER BY t.created_at DESC LIMIT ?",
        [structure_id, since, limit],
    )


def search(
    db: Database,
    words: Sequence[tuple[str, bool]],
    persons: Iterable[int],
    structures: Iterable[int],
    limit: int = 50,
) -> list[dict]:
    """Transmissions matching every word (``(word, is a word start)``), accent-insensitive,
    inside the scope only (these persons, these whole structures), newest first.

    The one full-text function of the domain: the engine's syntax is built beside it
    (:func:`virage.transmissions.search_storage.search_ids`), nowhere else.
    """
    found = search_ids(db.dialect, words, persons, structures, limit)
    if found is None:
        return []
    sql, params = found
    return _rows(db, f"{SELECT} WHERE t.id IN ({sql}) ORDER BY t.id DESC", params)


# --------------------------------------------------------------------------- prises de poste


def last_shift(db: Database, user_id: int) -> str | None:
    row = db.execute(
        "SELECT started_at FROM transmissions_shifts WHERE user_id = ?", [user_id]
    ).fetchone()
    return row[0] if row else None


def set_shift(db: Database, user_id: int, at: str) -> None:
    db.execute(
        "INSERT INTO transmissions_shifts (user_id, started_at) VALUES (?, ?)"
        " ON CONFLICT(user_id) DO UPDATE SET started_at = excluded.started_at",
        [user_id, at],
    )


# --------------------------------------------------------------------------- worker's records


def authored_by(db: Database, user_id: int, limit: int = 30) -> list[dict]:
    return _rows(
        db,
        "SELECT t.id, t.person_id, t.kind, t.target, g.label AS target_label, t.priority,"
        " t.created_at FROM transmissions t JOIN transmissions_targets g ON g.code = t.target"
        " WHERE t.author_id = ? ORDER BY t.created_at DESC LIMIT ?",
        [user_id, limit],
    )


def acknowledged_by(db: Database, user_id: int, limit: int = 30) -> list[dict]:
    return _rows(
        db,
        "SELECT a.transmission_id, a.at, t.person_id FROM transmissions_acks a"
        " JOIN transmissions t ON t.id = a.transmission_id WHERE a.user_id = ?"
        " ORDER BY a.at DESC LIMIT ?",
        [user_id, limit],
    )


def counts_for_worker(db: Database, user_id: int) -> dict[str, int]:
    written = db.execute(
        "SELECT count(*) FROM transmissions WHERE author_id = ?", [user_id]
    ).fetchone()[0]
    acked = db.execute(
        "SELECT count(*) FROM transmissions_acks WHERE user_id = ?", [user_id]
    ).fetchone()[0]
    return {"written": written, "acknowledged": acked}


# --------------------------------------------------------------------------- a person's data


def all_for_person(db: Database, person_id: int) -> list[dict]:
    return _rows(db, f"{SELECT} WHERE t.person_id = ? ORDER BY t.id", [person_id])


def acks_for_person(db: Database, person_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT a.transmission_id, a.user_id, a.at FROM transmissions_acks a"
        " JOIN transmissions t ON t.id = a.transmission_id WHERE t.person_id = ? ORDER BY a.at",
        [person_id],
    )


def delete_for_person(db: Database, person_id: int) -> int:
    """Retention purge of a closed record: the triggers allow it only for a closed person."""
    # One savepoint: refused, nothing of it stays (the purge mark included), on both engines.
    with db.savepoint("transmissions_purge"):
        db.execute(
            "INSERT INTO transmissions_purge (person_id) VALUES (?) ON CONFLICT DO NOTHING",
            [person_id],
        )
        db.execute(
            "DELETE FROM transmissions_acks WHERE transmission_id IN"
            " (SELECT id FROM transmissions WHERE person_id = ?)",
            [person_id],
        )
        deleted = db.execute("DELETE FROM transmissions WHERE person_id = ?", [person_id]).rowcount
        db.execute("DELETE FROM transmissions_purge WHERE person_id = ?", [person_id])
    return deleted

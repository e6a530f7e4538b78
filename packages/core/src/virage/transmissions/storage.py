"""Storage of the transmissions domain: the only SQL of the domain.

Tables (prefix ``transmissions_``): the shared nomenclature (targets, templates), the
transmissions themselves (entries, results added later, corrections), read acknowledgements, the
workers' last "prise de poste", and a full-text index (FTS5, accent-insensitive).

Immutability is enforced by the database itself: SQLite triggers refuse any change of a
transmission's content once its grace period has passed, any change of its identity columns at
any time, and any deletion after the grace period, except the retention purge of a closed record
(``delete_for_person``). Acknowledgements are append-only in the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row
from virage.transmissions.targets import (
    CATEGORIES,
    CORE_TARGETS,
    CORE_TEMPLATES,
    PRIORITIES,
    TransmissionTarget,
    TransmissionTemplate,
)

#: The format of every timestamp of the domain (UTC, second precision), also used by the triggers.
SQL_NOW = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"
ISO_GLOB = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]+00:00'"

IMMUTABLE = "transmission immuable : le délai de correction est passé, écrivez une correction"

# --------------------------------------------------------------------------- migrations


def _in(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def create_tables(db: Database) -> None:
    """0030: the nomenclature, the transmissions, acknowledgements and prises de poste."""
    db.execute(
        f"""CREATE TABLE transmissions_targets (
            code TEXT PRIMARY KEY CHECK (code NOT GLOB '*[^a-z0-9_]*' AND length(code) BETWEEN 2 AND 40),
            label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 80),
            category TEXT NOT NULL CHECK (category IN ({_in(CATEGORIES)})),
            position INTEGER NOT NULL DEFAULT 100,
            source TEXT NOT NULL DEFAULT 'core',
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE transmissions_templates (
            id INTEGER PRIMARY KEY,
            target TEXT NOT NULL REFERENCES transmissions_targets(code),
            label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 80),
            data TEXT NOT NULL DEFAULT '',
            actions TEXT NOT NULL DEFAULT '',
            results TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'core',
            active INTEGER NOT NULL DEFAULT 1,
            UNIQUE (target, label)
        )"""
    )
    db.execute(
        f"""CREATE TABLE transmissions (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES persons(id),
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            author_id INTEGER NOT NULL REFERENCES users(id),
            author_label TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'entry' CHECK (kind IN ('entry', 'result', 'correction')),
            parent_id INTEGER REFERENCES transmissions(id),
            target TEXT NOT NULL REFERENCES transmissions_targets(code),
            category TEXT NOT NULL CHECK (category IN ({_in(CATEGORIES)})),
            priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ({_in(PRIORITIES)})),
            occurred_at TEXT NOT NULL CHECK (occurred_at GLOB {ISO_GLOB}),
            created_at TEXT NOT NULL CHECK (created_at GLOB {ISO_GLOB}),
            editable_until TEXT NOT NULL CHECK (editable_until GLOB {ISO_GLOB}),
            data TEXT NOT NULL DEFAULT '',
            actions TEXT NOT NULL DEFAULT '',
            results TEXT NOT NULL DEFAULT '',
            appointment_id INTEGER,
            client_id TEXT,
            source TEXT NOT NULL DEFAULT 'web',
            CHECK ((kind = 'entry') = (parent_id IS NULL)),
            CHECK (kind = 'result' OR length(trim(data)) > 0),
            CHECK (kind <> 'result' OR length(trim(results)) > 0),
            CHECK (editable_until >= created_at
                   AND editable_until <= strftime('%Y-%m-%dT%H:%M:%S+00:00', created_at, '+60 minutes')),
            UNIQUE (author_id, client_id)
        )"""
    )
    db.execute(
        "CREATE INDEX transmissions_person_occurred ON transmissions (person_id, occurred_at)"
    )
    db.execute("CREATE INDEX transmissions_person_created ON transmissions (person_id, created_at)")
    db.execute(
        "CREATE INDEX transmissions_structure_created ON transmissions (structure_id, created_at)"
    )
    db.execute("CREATE INDEX transmissions_author ON transmissions (author_id, created_at)")
    db.execute(
        "CREATE INDEX transmissions_parent ON transmissions (parent_id) WHERE parent_id IS NOT NULL"
    )
    db.execute(
        "CREATE INDEX transmissions_urgent ON transmissions (structure_id, created_at)"
        " WHERE priority = 'urgent' AND kind <> 'result'"
    )
    db.execute(
        """CREATE TABLE transmissions_acks (
            transmission_id INTEGER NOT NULL REFERENCES transmissions(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            at TEXT NOT NULL,
            PRIMARY KEY (transmission_id, user_id)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX transmissions_acks_user ON transmissions_acks (user_id, at)")
    db.execute(
        """CREATE TABLE transmissions_shifts (
            user_id INTEGER PRIMARY KEY REFERENCES users(id),
            started_at TEXT NOT NULL
        )"""
    )
    # Persons whose transmissions are being deleted by the retention purge (see the triggers).
    db.execute("CREATE TABLE transmissions_purge (person_id INTEGER PRIMARY KEY)")


def create_integrity_triggers(db: Database) -> None:
    """0031: the database refuses what the application refuses (direct SQL attempts included)."""
    purge = (
        "EXISTS (SELECT 1 FROM transmissions_purge pu JOIN persons p ON p.id = pu.person_id"
        " WHERE pu.person_id = {person} AND p.status = 'closed')"
    )
    db.execute(
        "CREATE TRIGGER transmissions_identity_frozen BEFORE UPDATE OF id, person_id,"
        " structure_id, author_id, author_label, kind, parent_id, created_at, editable_until,"
        " client_id, source ON transmissions"
        " BEGIN SELECT RAISE(ABORT, 'transmission : auteur, personne, date et lien ne"
        " se modifient jamais'); END"
    )
    db.execute(
        "CREATE TRIGGER transmissions_frozen_after_grace BEFORE UPDATE ON transmissions"
        f" WHEN {SQL_NOW} >= OLD.editable_until"
        f" BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END"
    )
    db.execute(
        "CREATE TRIGGER transmissions_kept_after_grace BEFORE DELETE ON transmissions"
        f" WHEN {SQL_NOW} >= OLD.editable_until AND NOT {purge.format(person='OLD.person_id')}"
        f" BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END"
    )
    db.execute(
        "CREATE TRIGGER transmissions_not_in_future BEFORE INSERT ON transmissions"
        " WHEN NEW.created_at > strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '+1 minute')"
        " BEGIN SELECT RAISE(ABORT, 'transmission : date d''écriture dans le futur'); END"
    )
    db.execute(
        "CREATE TRIGGER transmissions_acks_no_update BEFORE UPDATE ON transmissions_acks"
        " BEGIN SELECT RAISE(ABORT, 'prise de connaissance : jamais modifiée'); END"
    )
    db.execute(
        "CREATE TRIGGER transmissions_acks_kept BEFORE DELETE ON transmissions_acks"
        " WHEN NOT EXISTS (SELECT 1 FROM transmissions t WHERE t.id = OLD.transmission_id"
        f"  AND ({SQL_NOW} < t.editable_until OR {purge.format(person='t.person_id')}))"
        " BEGIN SELECT RAISE(ABORT, 'prise de connaissance : jamais supprimée'); END"
    )


# unicode61 removes accents but keeps the ligatures: "œdème" is also indexed as "oedeme".
LIGATURES = (("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE"))
FTS_BODY = "{row}.data || ' ' || {row}.actions || ' ' || {row}.results"
for _lig, _plain in LIGATURES:
    FTS_BODY = f"replace({FTS_BODY}, '{_lig}', '{_plain}')"
FTS_SCOPE = "'p' || {row}.person_id || ' s' || {row}.structure_id"


def create_search_index(db: Database) -> None:
    """0032: the full-text index, accent-insensitive, with scope tokens (person, structure).

    The ``scope`` column holds ``p<person id> s<structure id>``: a search is always intersected
    with the reader's scope inside FTS5 itself, so a result out of scope is never even read.
    """
    db.execute(
        "CREATE VIRTUAL TABLE transmissions_fts USING fts5(target, body, scope, content='',"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    new = {"row": "new"}
    old = {"row": "old"}
    insert = (
        "INSERT INTO transmissions_fts (rowid, target, body, scope) VALUES"
        f" (new.id, new.target, {FTS_BODY.format(**new)}, {FTS_SCOPE.format(**new)});"
    )
    delete = (
        "INSERT INTO transmissions_fts (transmissions_fts, rowid, target, body, scope) VALUES"
        f" ('delete', old.id, old.target, {FTS_BODY.format(**old)}, {FTS_SCOPE.format(**old)});"
    )
    db.execute(
        f"CREATE TRIGGER transmissions_fts_ai AFTER INSERT ON transmissions BEGIN {insert} END"
    )
    db.execute(
        f"CREATE TRIGGER transmissions_fts_ad AFTER DELETE ON transmissions BEGIN {delete} END"
    )
    db.execute(
        "CREATE TRIGGER transmissions_fts_au AFTER UPDATE OF target, data, actions, results"
        f" ON transmissions BEGIN {delete} {insert} END"
    )


def seed_nomenclature(db: Database) -> None:
    """0033: the core's shared nomenclature (targets and templates)."""
    for target in CORE_TARGETS:
        upsert_target(db, target, "core")
    for template in CORE_TEMPLATES:
        upsert_template(db, template, "core")


# --------------------------------------------------------------------------- helpers


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


# --------------------------------------------------------------------------- nomenclature


def upsert_target(db: Database, target: TransmissionTarget, source: str) -> bool:
    """Add a target if its code is new (an existing one, maybe retired by the network, is kept)."""
    cur = db.execute(
        "INSERT OR IGNORE INTO transmissions_targets (code, label, category, position, source,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [target.code, target.label, target.category, target.position, source, utcnow_iso()],
    )
    return cur.rowcount == 1


def upsert_template(db: Database, template: TransmissionTemplate, source: str) -> bool:
    cur = db.execute(
        "INSERT OR IGNORE INTO transmissions_templates (target, label, data, actions, results,"
        " source) VALUES (?, ?, ?, ?, ?, ?)",
        [
            template.target,
            template.label,
            template.data,
            template.actions,
            template.results,
            source,
        ],
    )
    return cur.rowcount == 1


def set_target_active(db: Database, code: str, active: bool) -> bool:
    cur = db.execute(
        "UPDATE transmissions_targets SET active = ? WHERE code = ?", [int(active), code]
    )
    return cur.rowcount == 1


def list_targets(db: Database, *, active_only: bool = True) -> list[dict]:
    where = "WHERE active = 1" if active_only else ""
    return _rows(
        db,
        "SELECT code, label, category, position, source, active FROM transmissions_targets"
        f" {where} ORDER BY position, label",
    )


def get_target(db: Database, code: str) -> dict | None:
    return _row(db, "SELECT * FROM transmissions_targets WHERE code = ?", [code])


def list_templates(db: Database) -> list[dict]:
    return _rows(
        db,
        "SELECT m.id, m.target, m.label, m.data, m.actions, m.results, m.source"
        " FROM transmissions_templates m JOIN transmissions_targets t ON t.code = m.target"
        " WHERE m.active = 1 AND t.active = 1 ORDER BY t.position, m.label",
    )


def get_template(db: Database, template_id: int) -> dict | None:
    return _row(
        db, "SELECT * FROM transmissions_templates WHERE id = ? AND active = 1", [template_id]
    )


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


def insert(db: Database, values: dict[str, Any]) -> int:
    cur = db.execute(
        f"INSERT INTO transmissions ({', '.join(INSERT_FIELDS)}) VALUES ({_marks(INSERT_FIELDS)})",
        [values.get(k, DEFAULTS.get(k)) for k in INSERT_FIELDS],
    )
    return cur.lastrowid


def insert_many(db: Database, rows: Iterable[Sequence[Any]]) -> None:
    """Bulk insert (demo data, benchmark): tuples in the order of ``INSERT_FIELDS``."""
    db.conn.executemany(
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
    if not transmission_ids:
        return []
    return _rows(
        db,
        "SELECT a.transmission_id, a.user_id, a.at, u.display_name, u.profession"
        " FROM transmissions_acks a JOIN users u ON u.id = a.user_id"
        f" WHERE a.transmission_id IN ({_marks(transmission_ids)}) ORDER BY a.at",
        list(transmission_ids),
    )


def acknowledge(db: Database, transmission_id: int, user_id: int, at: str) -> bool:
    cur = db.execute(
        "INSERT OR IGNORE INTO transmissions_acks (transmission_id, user_id, at) VALUES (?, ?, ?)",
        [transmission_id, user_id, at],
    )
    return cur.rowcount == 1


def acknowledge_many(db: Database, rows: Iterable[Sequence[Any]]) -> None:
    """Bulk (demo data, benchmark): (transmission id, user id, at) tuples."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO transmissions_acks (transmission_id, user_id, at) VALUES (?, ?, ?)",
        rows,
    )


def new_since(
    db: Database,
    *,
    person_ids: Sequence[int],
    structure_ids: Sequence[int],
    since: str,
    reader_id: int,
    limit: int = 200,
) -> list[dict]:
    """What others wrote since ``since`` about these persons (or anyone in these structures).

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
        f" WHERE ({' OR '.join(parts)}) AND t.created_at > ? AND t.author_id <> ?"
        " ORDER BY CASE t.priority WHEN 'urgent' THEN 0 WHEN 'important' THEN 1 ELSE 2 END,"
        " t.created_at DESC, t.id DESC LIMIT ?",
        [reader_id, *params, since, reader_id, limit],
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


def search(db: Database, match: str, limit: int = 50) -> list[dict]:
    """Rows whose full-text entry matches the FTS5 expression ``match``, newest first."""
    return _rows(
        db,
        f"{SELECT} WHERE t.id IN (SELECT rowid FROM transmissions_fts"
        "  WHERE transmissions_fts MATCH ? ORDER BY rowid DESC LIMIT ?)"
        " ORDER BY t.id DESC",
        [match, limit],
    )


def persons(db: Database, person_ids: Sequence[int]) -> dict[int, dict]:
    """Names of persons, to label lists that span several persons."""
    if not person_ids:
        return {}
    rows = _rows(
        db,
        "SELECT id, structure_id, given_names, family_name, status FROM persons"
        f" WHERE id IN ({_marks(person_ids)})",
        list(person_ids),
    )
    return {r["id"]: r for r in rows}


# --------------------------------------------------------------------------- scope


def care_team_persons(db: Database, user_id: int) -> list[tuple[int, int]]:
    """(person id, structure id) of the persons whose care team includes the user."""
    return [
        tuple(r)
        for r in db.execute(
            "SELECT p.id, p.structure_id FROM care_team c JOIN persons p ON p.id = c.person_id"
            " WHERE c.user_id = ?",
            [user_id],
        )
    ]


def emergency_persons(db: Database, user_id: int, now: str) -> list[tuple[int, int]]:
    """(person id, structure id) of the persons the user has an active emergency access to."""
    return [
        tuple(r)
        for r in db.execute(
            "SELECT DISTINCT p.id, p.structure_id FROM emergency_accesses e"
            " JOIN persons p ON p.id = e.person_id WHERE e.user_id = ? AND e.expires_at > ?",
            [user_id, now],
        )
    ]


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


def previous_login(db: Database, user_id: int) -> str | None:
    """The log-in before the current one, from the audit trail (which records every log-in)."""
    row = db.execute(
        "SELECT at FROM audit_log WHERE actor_user_id = ? AND action = 'accounts.login'"
        " AND outcome = 'allowed' ORDER BY at DESC LIMIT 1 OFFSET 1",
        [user_id],
    ).fetchone()
    return row[0] if row else None


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
    db.execute("INSERT OR IGNORE INTO transmissions_purge (person_id) VALUES (?)", [person_id])
    try:
        db.execute(
            "DELETE FROM transmissions_acks WHERE transmission_id IN"
            " (SELECT id FROM transmissions WHERE person_id = ?)",
            [person_id],
        )
        cur = db.execute("DELETE FROM transmissions WHERE person_id = ?", [person_id])
        return cur.rowcount
    finally:
        db.execute("DELETE FROM transmissions_purge WHERE person_id = ?", [person_id])

"""Schema of the transmissions domain: the tables, the integrity triggers and the full-text index
(the migrations ``0030`` to ``0033``, as released). Re-exported by ``virage.transmissions.storage``.

Immutability is enforced by the database itself: SQLite triggers refuse any change of a
transmission's content once its grace period has passed, any change of its identity columns at
any time, and any deletion after the grace period, except the retention purge of a closed record
(``delete_for_person``). Acknowledgements are append-only in the same way.

The triggers of ``0031`` read the person's status to allow that purge: a released migration, kept
as it is (the persons table is the accounts domain's).
"""

from __future__ import annotations

from collections.abc import Iterable

from virage.db import Database
from virage.db_ddl import now_text, refuse, without_rowid
from virage.transmissions.nomenclature_storage import upsert_target, upsert_template
from virage.transmissions.targets import CATEGORIES, CORE_TARGETS, CORE_TEMPLATES, PRIORITIES

#: The format of every timestamp of the domain (UTC, second precision), also used by the triggers.
ISO_GLOB = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]+00:00'"
ISO_REGEX = "'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+]00:00$'"


def _is_iso(db: Database, column: str) -> str:
    if db.dialect == "postgresql":
        return f"{column} ~ {ISO_REGEX}"
    return f"{column} GLOB {ISO_GLOB}"


def _is_code(db: Database, column: str) -> str:
    if db.dialect == "postgresql":
        return f"{column} ~ '^[a-z0-9_]*$'"
    return f"{column} NOT GLOB '*[^a-z0-9_]*'"


def _plus_an_hour(db: Database, column: str) -> str:
    if db.dialect == "postgresql":
        return (
            f"to_char(({column}::timestamptz + interval '60 minutes') AT TIME ZONE 'UTC',"
            ' \'YYYY-MM-DD"T"HH24:MI:SS"+00:00"\')'
        )
    return f"strftime('%Y-%m-%dT%H:%M:%S+00:00', {column}, '+60 minutes')"


IMMUTABLE = "transmission immuable : le délai de correction est passé, écrivez une correction"

# --------------------------------------------------------------------------- migrations


def _in(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def create_tables(db: Database) -> None:
    """0030: the nomenclature, the transmissions, acknowledgements and prises de poste."""
    db.execute(
        f"""CREATE TABLE transmissions_targets (
            code TEXT PRIMARY KEY CHECK ({_is_code(db, "code")} AND length(code) BETWEEN 2 AND 40),
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
            occurred_at TEXT NOT NULL CHECK ({_is_iso(db, "occurred_at")}),
            created_at TEXT NOT NULL CHECK ({_is_iso(db, "created_at")}),
            editable_until TEXT NOT NULL CHECK ({_is_iso(db, "editable_until")}),
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
                   AND editable_until <= {_plus_an_hour(db, "created_at")}),
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
        f"""CREATE TABLE transmissions_acks (
            transmission_id INTEGER NOT NULL REFERENCES transmissions(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            at TEXT NOT NULL,
            PRIMARY KEY (transmission_id, user_id)
        ){without_rowid(db)}"""
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
    now = now_text(db)
    refuse(
        db,
        "transmissions_identity_frozen",
        table="transmissions",
        event="UPDATE OF id, person_id, structure_id, author_id, author_label, kind, parent_id,"
        " created_at, editable_until, client_id, source",
        message="transmission : auteur, personne, date et lien ne se modifient jamais",
    )
    refuse(
        db,
        "transmissions_frozen_after_grace",
        table="transmissions",
        event="UPDATE",
        message=IMMUTABLE,
        when=f"{now} >= OLD.editable_until",
    )
    refuse(
        db,
        "transmissions_kept_after_grace",
        table="transmissions",
        event="DELETE",
        message=IMMUTABLE,
        when=f"{now} >= OLD.editable_until AND NOT {purge.format(person='OLD.person_id')}",
    )
    refuse(
        db,
        "transmissions_not_in_future",
        table="transmissions",
        event="INSERT",
        message="transmission : date d'écriture dans le futur",
        when=f"NEW.created_at > {now_text(db, 1)}",
    )
    refuse(
        db,
        "transmissions_acks_no_update",
        table="transmissions_acks",
        event="UPDATE",
        message="prise de connaissance : jamais modifiée",
    )
    refuse(
        db,
        "transmissions_acks_kept",
        table="transmissions_acks",
        event="DELETE",
        message="prise de connaissance : jamais supprimée",
        when="NOT EXISTS (SELECT 1 FROM transmissions t WHERE t.id = OLD.transmission_id"
        f"  AND ({now} < t.editable_until OR {purge.format(person='t.person_id')}))",
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
    On PostgreSQL the index is a generated ``tsvector`` column of ``transmissions`` (folded by
    ``virage_fold``) under a GIN index; the scope is the query's own ``WHERE``.
    """
    if db.dialect == "postgresql":
        body = FTS_BODY.format(row="transmissions")
        db.execute(
            "ALTER TABLE transmissions ADD COLUMN search tsvector GENERATED ALWAYS AS"
            f" (setweight(to_tsvector('simple', virage_fold(target)), 'A')"
            f" || to_tsvector('simple', virage_fold({body}))) STORED"
        )
        db.execute("CREATE INDEX transmissions_search ON transmissions USING gin (search)")
        return
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

"""The directory's tables (migrations ``core/0010_directory``, ``core/0011_directory_search``,
``core/0012_directory_search_contentless``).

The search index is a separate FTS5 table per entity (``directory_structures_fts``,
``directory_professionals_fts``), keyed by the entity's id, with the ``unicode61
remove_diacritics 2`` tokenizer (accent- and case-insensitive; hyphens and apostrophes separate
words). It is written by the same functions that write the entities (:mod:`.storage`), so it never
drifts. Since 0012 it is contentless, with its text kept beside it (see :mod:`.search_index_storage`).

On PostgreSQL, coordinates are ``double precision`` (PostgreSQL's ``REAL`` has 6 digits only), the
distance function ``dir_distance_km`` is made with the tables (SQLite's is given to each connection
in Python), and the search index is made by 0012 (a generated ``tsvector``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from virage.db import Database
from virage.directory import search_index_storage as search_index


def _execute(db: Database, sql: str) -> None:
    if db.dialect == "postgresql":
        sql = sql.replace(" REAL", " DOUBLE PRECISION")
    db.execute(sql)


def create_tables(db: Database) -> None:
    if db.dialect == "postgresql":
        from virage.directory.search_sql import PG_DISTANCE_FUNCTION

        db.execute(PG_DISTANCE_FUNCTION)
    _execute(
        db,
        """CREATE TABLE directory_structures (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('ET', 'EJ')),
            finess TEXT UNIQUE,
            ej_finess TEXT,
            name TEXT NOT NULL,
            long_name TEXT,
            category_code TEXT,
            category_label TEXT,
            legal_status_code TEXT,
            legal_status_label TEXT,
            siret TEXT,
            address_line TEXT,
            address_extra TEXT,
            postcode TEXT,
            city TEXT,
            commune_code TEXT,
            departement TEXT,
            lat REAL,
            lon REAL,
            phone TEXT,
            fax TEXT,
            email TEXT,
            opened_on TEXT,
            closed_on TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            extra TEXT NOT NULL DEFAULT '{}',
            source TEXT NOT NULL,
            source_updated TEXT,
            content_hash TEXT,
            seen_import INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
    )
    db.execute("CREATE INDEX directory_structures_geo ON directory_structures (lat, lon)")
    db.execute("CREATE INDEX directory_structures_category ON directory_structures (category_code)")
    db.execute("CREATE INDEX directory_structures_dep ON directory_structures (departement)")
    db.execute("CREATE INDEX directory_structures_commune ON directory_structures (commune_code)")
    db.execute("CREATE INDEX directory_structures_ej ON directory_structures (ej_finess)")
    db.execute("CREATE INDEX directory_structures_source ON directory_structures (source, kind)")
    _execute(
        db,
        """CREATE TABLE directory_professionals (
            id INTEGER PRIMARY KEY,
            idnps TEXT UNIQUE,
            rpps TEXT,
            adeli TEXT,
            civility TEXT,
            family_name TEXT NOT NULL,
            given_name TEXT,
            profession_code TEXT,
            profession_label TEXT,
            specialties TEXT NOT NULL DEFAULT '[]',
            mssante TEXT,
            phone TEXT,
            user_id INTEGER REFERENCES users(id),
            city TEXT,
            commune_code TEXT,
            departement TEXT,
            lat REAL,
            lon REAL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            extra TEXT NOT NULL DEFAULT '{}',
            source TEXT NOT NULL,
            content_hash TEXT,
            seen_import INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
    )
    db.execute("CREATE INDEX directory_professionals_rpps ON directory_professionals (rpps)")
    db.execute("CREATE INDEX directory_professionals_user ON directory_professionals (user_id)")
    db.execute("CREATE INDEX directory_professionals_geo ON directory_professionals (lat, lon)")
    db.execute(
        "CREATE INDEX directory_professionals_profession ON directory_professionals (profession_code)"
    )
    db.execute("CREATE INDEX directory_professionals_dep ON directory_professionals (departement)")
    db.execute("CREATE INDEX directory_professionals_source ON directory_professionals (source)")
    db.execute(
        """CREATE TABLE directory_roles (
            id INTEGER PRIMARY KEY,
            professional_id INTEGER NOT NULL
                REFERENCES directory_professionals(id) ON DELETE CASCADE,
            structure_id INTEGER REFERENCES directory_structures(id),
            finess TEXT,
            function TEXT,
            phone TEXT,
            mssante TEXT
        )"""
    )
    db.execute("CREATE INDEX directory_roles_professional ON directory_roles (professional_id)")
    db.execute("CREATE INDEX directory_roles_structure ON directory_roles (structure_id)")
    _execute(
        db,
        """CREATE TABLE directory_communes (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            departement TEXT,
            postcode TEXT,
            lat REAL,
            lon REAL
        )""",
    )
    db.execute("CREATE INDEX directory_communes_key ON directory_communes (name_key)")
    db.execute("CREATE INDEX directory_communes_postcode ON directory_communes (postcode)")
    db.execute(
        """CREATE TABLE directory_imports (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            format TEXT,
            filename TEXT NOT NULL,
            actor TEXT NOT NULL,
            partial INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
            generated_at TEXT,
            report TEXT NOT NULL DEFAULT '{}'
        )"""
    )


def create_corrections_tables(db: Database) -> None:
    """Migration 0013: the correction reports (see :mod:`.corrections`)."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS directory_corrections (
            id INTEGER PRIMARY KEY,
            target_type TEXT NOT NULL CHECK (target_type IN ('structure', 'professional')),
            target_id INTEGER NOT NULL,
            field TEXT NOT NULL,
            current_value TEXT,
            proposed TEXT,
            comment TEXT,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'accepted', 'rejected')),
            reported_by INTEGER,
            reported_by_label TEXT NOT NULL,
            reported_at TEXT NOT NULL,
            reviewed_by_label TEXT,
            reviewed_at TEXT,
            review_note TEXT
        )
        """
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS directory_corrections_target"
        " ON directory_corrections (target_type, target_id, status)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS directory_corrections_status"
        " ON directory_corrections (status, id)"
    )


def create_search_index(db: Database) -> None:
    if db.dialect == "postgresql":
        return  # 0012 creates the index as it is now (nothing to carry over on a new database)
    tokenizer = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"
    db.execute(
        "CREATE VIRTUAL TABLE directory_structures_fts USING fts5("
        f"name, category, place, other, {tokenizer})"
    )
    db.execute(
        "CREATE VIRTUAL TABLE directory_professionals_fts USING fts5("
        f"name, profession, place, other, {tokenizer})"
    )


def rebuild_search_index(db: Database) -> None:
    """0012: the contentless index with facets, filled from the 0011 index and the entities
    (PostgreSQL, which had no 0011 index: filled from the entities)."""
    if db.dialect == "postgresql":
        _create_and_fill_pg_index(db)
        return
    old = "directory_structures_fts_0011"
    db.execute(f"ALTER TABLE directory_structures_fts RENAME TO {old}")
    search_index.create(db, search_index.STRUCTURES)
    rows = db.execute(
        "SELECT f.rowid, f.name, f.category, f.place, f.other, s.status, s.kind,"
        f" s.category_code, s.departement, s.commune_code FROM {old} f"
        " JOIN directory_structures s ON s.id = f.rowid ORDER BY f.rowid"
    )
    search_index.fill_from(
        db,
        search_index.STRUCTURES,
        ((*r[:5], search_index.structure_facets(*r[5:])) for r in _all(rows)),
    )
    db.execute(f"DROP TABLE {old}")
    old = "directory_professionals_fts_0011"
    db.execute(f"ALTER TABLE directory_professionals_fts RENAME TO {old}")
    search_index.create(db, search_index.PROFESSIONALS)
    rows = db.execute(
        "SELECT f.rowid, f.name, f.profession, f.place, f.other, p.status, p.profession_code,"
        f" p.departement, p.commune_code FROM {old} f"
        " JOIN directory_professionals p ON p.id = f.rowid ORDER BY f.rowid"
    )
    search_index.fill_from(
        db,
        search_index.PROFESSIONALS,
        ((*r[:5], search_index.professional_facets(*r[5:])) for r in _all(rows)),
    )
    db.execute(f"DROP TABLE {old}")


def _create_and_fill_pg_index(db: Database) -> None:
    from virage.directory.professional_storage import professional_index_row
    from virage.directory.storage import structure_index_row

    search_index.create(db, search_index.STRUCTURES)
    search_index.create(db, search_index.PROFESSIONALS)
    rows = db.fetch_all("SELECT * FROM directory_structures ORDER BY id")
    search_index.fill_from(
        db,
        search_index.STRUCTURES,
        (structure_index_row(r["id"], r, json.loads(r["extra"] or "{}")) for r in rows),
    )
    places: dict[int, list[str]] = {}
    for r in db.fetch_all(
        "SELECT r.professional_id, s.city, s.postcode FROM directory_roles r"
        " JOIN directory_structures s ON s.id = r.structure_id ORDER BY r.id"
    ):
        places.setdefault(r["professional_id"], []).extend(
            v for v in (r["city"], r["postcode"]) if v
        )
    rows = db.fetch_all("SELECT * FROM directory_professionals ORDER BY id")
    search_index.fill_from(
        db,
        search_index.PROFESSIONALS,
        (professional_index_row(r["id"], r, places.get(r["id"], [])) for r in rows),
    )


def _all(cursor) -> Iterator[tuple]:
    while rows := cursor.fetchmany(1000):
        yield from rows

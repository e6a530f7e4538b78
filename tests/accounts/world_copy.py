"""Each test gets its own copy of the world built once per session, on either engine.

SQLite: the file is copied with the online backup. PostgreSQL (``VIRAGE_TEST_POSTGRES``): every
path is a schema of its own (see ``virage.db.resolve``); the copy is migrated by the same code, then
every table's rows are copied from the template's schema in one transaction, parents first, and the
ids' sequences follow.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from virage.app import prepare_database
from virage.db import MIGRATIONS_TABLE, Database, connect
from virage.db_ddl import resync_rowids
from virage.plugins import PluginHost
from virage.settings import Settings


def copy_world(source: Path, settings: Settings) -> None:
    """Copy the database at ``source`` to ``settings``' (new, empty) database."""
    probe = connect(source)
    try:
        dialect = probe.dialect
        schema = probe.fetch_one("SELECT current_schema() AS s")["s"] if dialect != "sqlite" else ""
    finally:
        probe.close()
    if dialect == "sqlite":
        source_conn = sqlite3.connect(source)
        target_conn = sqlite3.connect(settings.db_path)
        source_conn.backup(target_conn)
        source_conn.close()
        target_conn.close()
        return
    db = prepare_database(settings, PluginHost(settings))
    try:
        _copy_schema(db, schema)
    finally:
        db.close()


def _tables(db: Database) -> list[str]:
    """The schema's tables, parents before the tables that reference them."""
    names = [
        r["relname"]
        for r in db.fetch_all(
            "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p')"
            " AND relnamespace = current_schema()::regnamespace AND relname <> ?",
            [MIGRATIONS_TABLE],
        )
    ]
    parents: dict[str, set[str]] = {n: set() for n in names}
    for r in db.fetch_all(
        "SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k"
        " JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid"
        " WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace"
    ):
        if r["child"] in parents and r["parent"] != r["child"]:
            parents[r["child"]].add(r["parent"])
    ordered: list[str] = []
    while parents:
        ready = sorted(n for n, p in parents.items() if not p - set(ordered))
        if not ready:
            raise RuntimeError(f"cycle de clés étrangères : {sorted(parents)}")
        ordered += ready
        for n in ready:
            del parents[n]
    return ordered


def _columns(db: Database, table: str) -> list[str]:
    return [
        r["attname"]
        for r in db.fetch_all(
            "SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0"
            " AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
            [f'"{table}"'],
        )
    ]


def _copy_schema(db: Database, source_schema: str) -> None:
    tables = _tables(db)
    present = {
        r["relname"]
        for r in db.fetch_all(
            "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p')"
            " AND relnamespace = ?::regnamespace",
            [f'"{source_schema}"'],
        )
    }
    with db.transaction():
        # What the migrations seeded is in the template too: start from empty tables.
        db.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables))
        for table in (t for t in tables if t in present):
            columns = ", ".join(f'"{c}"' for c in _columns(db, table))
            db.execute(
                f'INSERT INTO "{table}" ({columns})'
                f' SELECT {columns} FROM "{source_schema}"."{table}"'
            )
        resync_rowids(db)

"""Storage of the system domain: instance metadata and health check."""

from __future__ import annotations

from pathlib import Path

from virage.db import Database, utcnow_iso
from virage.db_sqlite import open_read_only
from virage.errors import ConfigurationError


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
    """The SQLite file at ``path`` says it is a demonstration database (opened read only: nothing
    written to a file that may hold real data; ``False`` if it cannot be read)."""
    try:
        db = open_read_only(path)
    except ConfigurationError:
        return False
    try:
        row = db.execute("SELECT value FROM instance WHERE key = 'demo'").fetchone()
    except db.Error:  # not a database, or not Virage's
        return False
    finally:
        db.close()
    return bool(row and row[0] == "1")


def schema_tables(db: Database) -> list[str]:
    """PostgreSQL: the tables of the database's schema (the one Virage connects to)."""
    rows = db.fetch_all(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    )
    return sorted(r["table_name"] for r in rows)


def drop_schema_contents(db: Database) -> None:
    """PostgreSQL: drop every table and function of the schema (a demonstration database being
    created again: its migrations replay on an empty schema). Inside a transaction."""
    for table in schema_tables(db):
        db.execute(f'DROP TABLE "{table}" CASCADE')
    for row in db.fetch_all(
        "SELECT p.oid::regprocedure::text AS signature FROM pg_proc p"
        " WHERE p.pronamespace = current_schema()::regnamespace"
    ):
        db.execute(f"DROP FUNCTION {row['signature']} CASCADE")

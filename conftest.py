"""Run the same suite on PostgreSQL: ``VIRAGE_TEST_POSTGRES=postgresql://…`` (set by
``./scripts/test`` on a throwaway cluster) gives every SQLite path a test uses a PostgreSQL schema
of its own (see ``virage.db.resolve``); the schemas a test made are dropped after it.

``@pytest.mark.sqlite_only`` marks a test of the embedded engine itself (its file, its online
backup): it is skipped on PostgreSQL, which has its own tests.
"""

from __future__ import annotations

import contextlib
import os

import pytest

PG_URL = os.environ.get("VIRAGE_TEST_POSTGRES")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: tests the embedded SQLite engine itself")
    config.addinivalue_line("markers", "postgres_only: needs PostgreSQL (VIRAGE_TEST_PG_URL)")


def pytest_collection_modifyitems(config, items):
    pg_available = bool(PG_URL or os.environ.get("VIRAGE_TEST_PG_URL"))
    for item in items:
        if PG_URL and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="moteur SQLite seulement"))
        if not pg_available and item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.skip(reason="VIRAGE_TEST_PG_URL absent"))


def _schemas(conn) -> set[str]:
    rows = conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'").fetchall()
    return {r[0] for r in rows}


@pytest.fixture(autouse=True)
def _fresh_postgres_schemas():
    if not PG_URL:
        yield
        return
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        before = _schemas(conn)
    yield
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute("SET lock_timeout = '5s'")
        for schema in sorted(_schemas(conn) - before):
            # Still in use by a server the test left running: the cluster is thrown away anyway.
            with contextlib.suppress(psycopg.Error):
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')

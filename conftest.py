"""Run the same suite on PostgreSQL: ``VIRAGE_TEST_POSTGRES=postgresql://…`` (set by
``./scripts/test`` on a throwaway cluster) gives every SQLite path a test uses a PostgreSQL schema
of its own (see ``virage.db.resolve``); the schemas a test made are dropped after it.

``@pytest.mark.sqlite_only`` marks a test of the embedded engine itself (its file, its online
backup): it is skipped on PostgreSQL, which has its own tests, marked ``postgres_only`` (row-level
security, ``pg_dump``), run in the PostgreSQL pass only.
"""

from __future__ import annotations

import contextlib
import os
from urllib.parse import urlsplit, urlunsplit

import pytest

PG_URL = os.environ.get("VIRAGE_TEST_POSTGRES")
if PG_URL:  # this session's schemas (inherited by the servers and commands it starts)
    PREFIX = os.environ.setdefault("VIRAGE_TEST_POSTGRES_PREFIX", f"t{os.getpid()}_")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: tests the embedded SQLite engine itself")
    config.addinivalue_line(
        "markers", "postgres_only: tests PostgreSQL itself (the suite's PostgreSQL pass only)"
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if PG_URL and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="moteur SQLite seulement"))
        if not PG_URL and item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.skip(reason="passage PostgreSQL de la suite seulement"))


def _schemas(conn) -> set[str]:
    rows = conn.execute(
        "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s)", [PREFIX]
    ).fetchall()
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


@pytest.fixture
def pg_database():
    """The URL of a new PostgreSQL database of its own (created with ``VIRAGE_TEST_PG_ADMIN_URL``,
    owned by the test role, its ``public`` schema as in production), dropped after the test."""
    admin = os.environ.get("VIRAGE_TEST_PG_ADMIN_URL")
    base = os.environ.get("VIRAGE_TEST_PG_URL")
    if not admin or not base:
        pytest.skip("pas de PostgreSQL de test (VIRAGE_TEST_PG_ADMIN_URL)")
    import secrets

    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    name = f"virage_db_{secrets.token_hex(4)}"
    owner = conninfo_to_dict(base)["user"]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" OWNER "{owner}"')
    parts = urlsplit(base)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn, contextlib.suppress(psycopg.Error):
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(request):
    """The URL of a new, empty PostgreSQL schema of the throwaway cluster (``VIRAGE_TEST_PG_URL``,
    started by ``./scripts/test``), dropped after the test; skipped without one."""
    base = os.environ.get("VIRAGE_TEST_PG_URL")
    if not base:
        pytest.skip("pas de PostgreSQL de test (VIRAGE_TEST_PG_URL)")
    import secrets

    import psycopg

    from virage.db_postgres import schema_url

    schema = f"url_{request.node.name[:20].lower()}_{secrets.token_hex(4)}"
    schema = "".join(c if c.isalnum() or c == "_" else "_" for c in schema)
    yield schema_url(base, schema)
    with psycopg.connect(base, autocommit=True) as conn, contextlib.suppress(psycopg.Error):
        conn.execute("SET lock_timeout = '5s'")
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

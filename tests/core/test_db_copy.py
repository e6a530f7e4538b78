"""``virage db copy``: the demo instance SQLite → PostgreSQL → SQLite, verified table by table,
and the PostgreSQL restore drill (``pg_dump`` / ``pg_restore``: back up, destroy, restore,
compare). Needs the throwaway PostgreSQL of ``./scripts/test`` (``VIRAGE_TEST_PG_URL``).

These tests copy *from* a SQLite file on purpose: they run in the SQLite pass of the suite."""

from __future__ import annotations

import psycopg
import pytest

from tests.conftest import plugin_allow_list
from virage.db import connect
from virage.db_copy import fingerprint, tables
from virage.demo import create_demo
from virage.plugins import PluginHost
from virage.sdk import Settings, accounts
from virage.sdk.testing import cli

pytestmark = pytest.mark.sqlite_only


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("copy") / "demo.db"
    # The same plugins as the command line the tests run (VIRAGE_PLUGINS, if set).
    settings = Settings(db_path=path, secret_key="copy-test", plugins=plugin_allow_list())
    create_demo(settings, PluginHost(settings), seed=7)
    return path


def _run(capsys, *args: str) -> tuple[int, str]:
    code = cli(["db", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_sqlite_to_postgresql_and_back_keeps_every_row(demo_file, pg_url, tmp_path, capsys):
    code, out = _run(capsys, "copy", str(demo_file), pg_url)
    assert code == 0, out
    assert "Copie vérifiée" in out
    back = tmp_path / "retour.db"
    code, out = _run(capsys, "copy", pg_url, str(back))
    assert code == 0, out

    original, on_postgres, returned = connect(demo_file), connect(pg_url), connect(back)
    assert on_postgres.dialect == "postgresql"
    expected = fingerprint(original)
    assert sum(rows for rows, _ in expected.values()) > 1000  # the demo territory, not a toy
    assert fingerprint(on_postgres, tables(original)) == expected
    assert fingerprint(returned) == expected
    # What SQLite derives (the directory's full-text index) was rebuilt on the way back.
    found = returned.fetch_one(
        "SELECT count(*) AS n FROM directory_structures_fts WHERE directory_structures_fts"
        " MATCH 'ehpad*'"
    )
    assert found["n"] > 0
    # New rows on PostgreSQL take ids after the copied ones.
    top = on_postgres.fetch_one("SELECT max(id) AS id FROM structures")["id"]
    assert accounts.create_structure(on_postgres, "SSIAD nouveau", "ssiad") == top + 1


def test_a_target_with_tables_is_refused_and_left_alone(demo_file, pg_url, capsys):
    assert _run(capsys, "copy", str(demo_file), pg_url)[0] == 0
    before = fingerprint(connect(pg_url))
    code, out = _run(capsys, "copy", str(demo_file), pg_url)
    assert code == 1
    assert "contient déjà des tables" in out
    assert "Traceback" not in out
    assert fingerprint(connect(pg_url)) == before


def test_postgresql_restore_drill(demo_file, pg_database, tmp_path, capsys, monkeypatch):
    """In a database of its own, as a network hosts it: back up, destroy, restore, compare."""
    assert _run(capsys, "copy", str(demo_file), pg_database)[0] == 0
    before = fingerprint(connect(pg_database))
    monkeypatch.setenv("VIRAGE_DB", pg_database)
    dump = tmp_path / "virage.dump"
    code, out = _run(capsys, "backup", str(dump))
    assert code == 0, out
    assert "Sauvegarde vérifiée" in out
    code, out = _run(capsys, "backup", str(dump))
    assert code == 1 and "existe déjà" in out  # never overwritten

    # Destroy: every table, function and policy goes with the schema.
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")

    code, out = _run(capsys, "restore", str(dump))
    assert code == 0, out
    assert "Base restaurée et vérifiée" in out
    assert fingerprint(connect(pg_database)) == before
    code, out = _run(capsys, "restore", str(dump))
    assert code == 1 and "base neuve" in out  # never restored over data

"""Storage: connection settings and versioned migrations."""

from __future__ import annotations

import pytest

from virage.db import Migration, applied_migrations, connect, migrate, transaction
from virage.errors import ConfigurationError


@pytest.mark.sqlite_only
def test_connection_settings(tmp_path):
    db = connect(tmp_path / "v.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


@pytest.mark.postgres_only
def test_postgres_session_settings(tmp_path):
    from virage.db_postgres import SESSION_SETTINGS

    db = connect(tmp_path / "v.db")
    for name, value in SESSION_SETTINGS.items():
        row = db.fetch_one("SELECT setting FROM pg_settings WHERE name = ?", [name])
        assert row == {"setting": value}, name
    assert db.fetch_one("SHOW transaction_isolation") == {"transaction_isolation": "read committed"}


def test_writes_outside_a_transaction_are_committed(tmp_path):
    db = connect(tmp_path / "v.db")
    db.execute("CREATE TABLE t (x INTEGER)")
    db.execute("INSERT INTO t VALUES (1)")
    other = connect(tmp_path / "v.db")  # another connection sees it: it was committed
    assert other.execute("SELECT count(*) FROM t").fetchone()[0] == 1


def test_transaction_rolls_back_on_error(tmp_path):
    db = connect(tmp_path / "v.db")
    db.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(RuntimeError), transaction(db):
        db.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("stop")
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0


def _create(table):
    return lambda db: db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")


def test_migrations_apply_once_in_order(tmp_path):
    db = connect(tmp_path / "v.db")
    steps = [Migration("p", "0001", _create("a")), Migration("p", "0002", _create("b"))]
    assert [m.name for m in migrate(db, steps)] == ["0001", "0002"]
    assert migrate(db, steps) == []
    assert {("p", "0001"), ("p", "0002")} <= applied_migrations(db)


def test_failing_migration_is_rolled_back_and_named(tmp_path):
    db = connect(tmp_path / "v.db")

    def half_then_fail(db):
        db.execute("CREATE TABLE half (id INTEGER)")
        db.execute("INSERT INTO nonexistent VALUES (1)")

    steps = [Migration("p", "0001", _create("a")), Migration("p", "0002", half_then_fail)]
    with pytest.raises(ConfigurationError, match="p/0002"):
        migrate(db, steps)
    assert applied_migrations(db) >= {("p", "0001")}
    assert ("p", "0002") not in applied_migrations(db)
    with pytest.raises(db.Error):  # rolled back with its migration
        db.execute("SELECT count(*) FROM half")


def test_duplicate_migration_names_are_refused(tmp_path):
    db = connect(tmp_path / "v.db")
    with pytest.raises(ConfigurationError, match="deux fois"):
        migrate(db, [Migration("p", "0001", _create("a")), Migration("p", "0001", _create("b"))])


@pytest.mark.sqlite_only  # PostgreSQL: test_an_unreachable_server_is_a_clear_configuration_error
def test_unreadable_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "pas-une-base.db"
    bad.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    with pytest.raises(ConfigurationError, match="VIRAGE_DB"):
        connect(bad)


def test_core_migrations_run_in_numbered_order(tmp_path):
    from virage.app import collect_migrations
    from virage.plugins import PluginHost
    from virage.settings import Settings

    migrations = collect_migrations(PluginHost(Settings(db_path=tmp_path / "v.db")))
    core = [m.name for m in migrations if m.namespace == "core"]
    assert core == sorted(core) and core[0] == "0001_instance"
    first_plugin = next(i for i, m in enumerate(migrations) if m.namespace != "core")
    assert all(m.namespace != "core" for m in migrations[first_plugin:])


def test_a_migration_applied_meanwhile_by_another_process_is_skipped(tmp_path, monkeypatch):
    # Two processes start together: both read the same pending list; the second must not apply
    # the step the first one applied in between.
    import virage.db as db_module

    path = tmp_path / "race.db"
    step = Migration("core", "0001_t", lambda db: db.execute("CREATE TABLE t (v INTEGER)"))
    first, second = connect(path), connect(path)
    stale = db_module.pending_migrations(second, [step])
    assert migrate(first, [step]) == [step]
    monkeypatch.setattr(db_module, "pending_migrations", lambda db, migrations: stale)
    assert migrate(second, [step]) == []  # no "table t already exists"
    assert applied_migrations(second) == {("core", "0001_t")}

"""Virage's database seam: the ``Database`` interface, how an engine is chosen, transactions,
and versioned migrations.

Services, hooks, migrations and the web dependency are typed with :class:`Database`, an interface
of Virage's own, never with a driver's class: an engine is an implementation of it — SQLite
(:mod:`virage.db_sqlite`, the embedded default) or PostgreSQL (:mod:`virage.db_postgres`, for
networks). Only storage modules (``<domain>/storage*.py``) write SQL; everything else calls their
functions.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from virage.db_sqlite import BUSY_TIMEOUT_MS, SQLiteDatabase, SQLitePool, connect_sqlite
from virage.errors import ConfigurationError
from virage.groupcommit import flush_into, restore_pending

__all__ = [
    "BUSY_TIMEOUT_MS",
    "ConnectionPool",
    "Database",
    "Migration",
    "SQLiteDatabase",
    "applied_migrations",
    "connect",
    "is_postgres_url",
    "migrate",
    "pending_migrations",
    "transaction",
    "utcnow",
    "utcnow_iso",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


def utcnow_iso() -> str:
    """Current time as stored in the database: UTC, ISO 8601, second precision."""
    return utcnow().replace(microsecond=0).isoformat()


@runtime_checkable
class Database(Protocol):
    """What Virage asks of a database engine (the storage seam).

    Storage modules write their SQL against this interface; ``dialect`` tells them which engine
    runs it when a statement must differ. Parameters are positional (``?`` placeholders).
    """

    dialect: str
    """``"sqlite"`` (embedded default) or ``"postgresql"``."""
    IntegrityError: type[Exception]
    """Raised when a constraint (unique, foreign key, check, a refusing trigger) refuses a write."""
    Error: type[Exception]
    """The engine's base exception (every database error is one)."""

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Any:
        """Run one statement; return a DB-API cursor."""
        ...

    def executemany(self, sql: str, seq_of_parameters: Iterable[Sequence[Any]]) -> Any:
        """Run one statement once per parameter list (bulk writes)."""
        ...

    def fetch_all(self, sql: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a query; its rows as dicts."""
        ...

    def fetch_one(self, sql: str, parameters: Sequence[Any] = ()) -> dict[str, Any] | None:
        """Run a query; its first row as a dict, or ``None``."""
        ...

    def insert_row(self, table: str, values: dict[str, Any]) -> int:
        """Insert one row into a table with an ``id`` key; return its id."""
        ...

    @property
    def in_transaction(self) -> bool:
        """A transaction is open on this connection."""
        ...

    def begin(self) -> None:
        """Open a transaction (use :meth:`transaction` rather than this)."""
        ...

    def commit(self) -> None:
        """Commit the open transaction."""
        ...

    def rollback(self) -> None:
        """Roll the open transaction back."""
        ...

    def close(self) -> None:
        """Close (or give back) the connection."""
        ...

    def transaction(self) -> Any:
        """Context manager: every write inside is committed together, or none is."""
        ...

    def savepoint(self, name: str) -> Any:
        """Context manager: a nested block rolled back alone when it raises."""
        ...

    @property
    def write_count(self) -> int:
        """Rows changed through this connection so far: a key for caches that a write must
        invalidate (the person an access check loaded, within one request)."""
        ...


#: Set by the test harness only (``./scripts/test``): run the suite on PostgreSQL by giving each
#: SQLite path the tests use a schema of its own in this PostgreSQL database.
TEST_REDIRECT_ENV = "VIRAGE_TEST_POSTGRES"
#: The prefix of those schemas: one per test session, so that a session drops only its own.
TEST_PREFIX_ENV = "VIRAGE_TEST_POSTGRES_PREFIX"


def is_postgres_url(target: Path | str) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def resolve(target: Path | str) -> Path | str:
    """The engine's address for ``target``: a PostgreSQL URL, or a SQLite path (a path, or
    ``sqlite:///absolute/path``)."""
    if is_postgres_url(target):
        return str(target)
    if isinstance(target, str) and target.startswith("sqlite:///"):
        return Path(target.removeprefix("sqlite://"))  # explicitly SQLite, even in tests
    base = os.environ.get(TEST_REDIRECT_ENV)
    if base and str(target) != ":memory:":
        from virage.db_postgres import schema_url

        digest = hashlib.sha1(str(Path(target).expanduser().resolve()).encode()).hexdigest()
        prefix = os.environ.get(TEST_PREFIX_ENV, "t_")
        return schema_url(base, f"{prefix}{digest[:20]}")
    return Path(target)


def connect(target: Path | str) -> Database:
    """Open one connection to the database at ``target`` (a SQLite path or a PostgreSQL URL)."""
    resolved = resolve(target)
    if isinstance(resolved, str):
        from virage.db_postgres import connect_postgres

        return connect_postgres(resolved)
    return connect_sqlite(resolved)


def ConnectionPool(target: Path | str, size: int | None = None):
    """The connections of one process to ``target`` (one per thread), with its group committer."""
    resolved = resolve(target)
    if isinstance(resolved, str):
        from virage.db_postgres import DEFAULT_POOL_SIZE, PostgresPool

        return PostgresPool(resolved, size or DEFAULT_POOL_SIZE)
    return SQLitePool(resolved)


def fetch_all(db: Database, sql: str, params: Sequence[Any] = ()) -> list[dict]:
    """Run a query and return its rows as dicts (for storage modules)."""
    return db.fetch_all(sql, params)


def fetch_one(db: Database, sql: str, params: Sequence[Any] = ()) -> dict | None:
    """Run a query and return its first row as a dict, or ``None``."""
    return db.fetch_one(sql, params)


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """Run a block of writes atomically: all are committed, or none (on any exception).

    Inside the block use ``db.execute`` / ``db.executemany``. Nested blocks join the outer one.
    """
    if db.in_transaction:  # nested: the outer block decides
        yield db
        return
    db.begin()
    carried = []
    try:
        # What this request recorded before (its audit entries) commits with the write; if the
        # write is rolled back, they go back to the request's buffer (still written before the
        # answer leaves).
        carried = flush_into(db)
        yield db
    except BaseException:
        db.rollback()
        restore_pending(carried)
        raise
    else:
        db.commit()


# --------------------------------------------------------------------------- migrations


@dataclass(frozen=True)
class Migration:
    """One step of a schema change, applied once and recorded in ``_migrations``.

    ``namespace`` is the owner (``"core"``, ``"agenda"``, a plugin's name); ``name`` is unique within
    it and never changes once released (``"0001_greetings"``). Steps run in the order they are
    registered, each in its own transaction: write them with ``db.execute`` so they stay atomic.
    """

    namespace: str
    name: str
    apply: Callable[[Database], None]
    description: str = ""


MIGRATIONS_TABLE = "_migrations"
#: PostgreSQL advisory lock taken by each migration's transaction: processes starting together
#: apply a migration once (SQLite's write lock does the same on its own). Keyed on the schema too
#: (:data:`LOCK_SQL`): instances in other schemas of the same database do not wait for each other.
MIGRATION_LOCK = 7_240_601
LOCK_SQL = "SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))"


def _ensure_migrations_table(db: Database) -> None:
    db.execute(
        f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} ("
        " namespace TEXT NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL,"
        " PRIMARY KEY (namespace, name))"
    )


def applied_migrations(db: Database) -> set[tuple[str, str]]:
    _ensure_migrations_table(db)
    return {tuple(r) for r in db.execute(f"SELECT namespace, name FROM {MIGRATIONS_TABLE}")}


def pending_migrations(db: Database, migrations: Iterable[Migration]) -> list[Migration]:
    done = applied_migrations(db)
    return [m for m in migrations if (m.namespace, m.name) not in done]


def migrate(db: Database, migrations: Iterable[Migration]) -> list[Migration]:
    """Apply the pending migrations in order; return those applied.

    A migration that fails is rolled back and stops the run with a ``ConfigurationError`` naming it:
    the following ones are not attempted, and the database keeps the steps already applied.
    """
    migrations = list(migrations)
    seen: set[tuple[str, str]] = set()
    for m in migrations:
        key = (m.namespace, m.name)
        if key in seen:
            raise ConfigurationError(f"Migration déclarée deux fois : {m.namespace}/{m.name}.")
        seen.add(key)
    applied = []
    pending = pending_migrations(db, migrations)
    if pending and db.dialect == "postgresql":
        from virage.db_ddl import prepare

        with transaction(db):
            db.execute(LOCK_SQL, [MIGRATION_LOCK])
            prepare(db)
    for m in pending:
        try:
            with transaction(db):
                # Another process starting at the same time may have applied it since the list
                # was read: check again now that this transaction holds the write lock.
                if db.dialect == "postgresql":
                    db.execute(LOCK_SQL, [MIGRATION_LOCK])
                done = db.execute(
                    f"SELECT 1 FROM {MIGRATIONS_TABLE} WHERE namespace = ? AND name = ?",
                    [m.namespace, m.name],
                ).fetchone()
                if done:
                    continue
                m.apply(db)
                if db.dialect == "postgresql":
                    from virage.db_ddl import after_migration

                    after_migration(db)
                db.execute(
                    f"INSERT INTO {MIGRATIONS_TABLE} (namespace, name, applied_at) VALUES (?, ?, ?)",
                    [m.namespace, m.name, utcnow_iso()],
                )
        except ConfigurationError:
            raise
        except Exception as exc:
            raise ConfigurationError(
                f"La migration {m.namespace}/{m.name} a échoué : {exc}. "
                "La base est restée dans l'état précédant cette migration."
            ) from exc
        applied.append(m)
    return applied

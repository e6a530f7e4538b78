"""Virage's database seam: the ``Database`` interface, its SQLite implementation (WAL, busy
timeout, durable commits), and versioned migrations.

Services, hooks, migrations and the web dependency are typed with :class:`Database`, an interface
of Virage's own, never with a driver's class: an engine is an implementation of it. Only storage
modules (``<domain>/storage*.py``) write SQL; everything else calls their functions.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import sqlite_utils

from virage.errors import ConfigurationError, InvalidInput
from virage.groupcommit import GroupCommitter, flush_into, restore_pending
from virage.limits import INT_MESSAGE

BUSY_TIMEOUT_MS = 5000


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
    """``"sqlite"`` (embedded default)."""
    IntegrityError: type[Exception]
    """Raised when a constraint (unique, foreign key, check) refuses a write."""

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Any:
        """Run one statement; return a DB-API cursor."""
        ...

    def fetch_all(self, sql: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a query; its rows as dicts."""
        ...

    def fetch_one(self, sql: str, parameters: Sequence[Any] = ()) -> dict[str, Any] | None:
        """Run a query; its first row as a dict, or ``None``."""
        ...

    def insert_row(self, table: str, values: dict[str, Any]) -> int:
        """Insert one row; return its id."""
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


def connect(path: Path | str) -> SQLiteDatabase:
    """Open the database file with the settings Virage relies on.

    - WAL journal: readers never block the writer;
    - ``synchronous=FULL``: a commit that returned survives a crash or a power cut;
    - a busy timeout, so that concurrent writers wait instead of failing;
    - foreign keys enforced.
    """
    path = Path(path)
    if str(path) != ":memory:":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigurationError(
                f"Impossible de créer le dossier de la base {path.parent} : {exc}"
            ) from exc
    try:
        # isolation_level=None: autocommit unless inside ``transaction()``, so that no write is
        # ever left uncommitted by an implicit transaction.
        conn = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
            isolation_level=None,
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise ConfigurationError(
            f"La base {path} ne peut pas être ouverte ({exc}). Vérifiez VIRAGE_DB : "
            "il doit désigner un fichier SQLite ou un chemin où le créer."
        ) from exc
    return SQLiteDatabase(conn)


class SQLiteDatabase(sqlite_utils.Database):
    """The SQLite implementation of :class:`Database` (on sqlite-utils).

    It refuses out-of-range integers with a message instead of a crash: SQLite's integers stop at
    2**63 - 1, Python's do not. An identifier or a number sent by a client above that bound raises
    ``OverflowError`` when bound to a query, wherever it came from (path, query string, form,
    JSON): here it becomes ``InvalidInput`` (400).
    """

    dialect = "sqlite"
    IntegrityError = sqlite3.IntegrityError

    def execute(self, sql, parameters=None):
        try:
            return super().execute(sql, parameters)
        except OverflowError as exc:
            raise InvalidInput(INT_MESSAGE) from exc

    def fetch_all(self, sql: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return fetch_all(self, sql, parameters)

    def fetch_one(self, sql: str, parameters: Sequence[Any] = ()) -> dict[str, Any] | None:
        return fetch_one(self, sql, parameters)

    def insert_row(self, table: str, values: dict[str, Any]) -> int:
        names = list(values)
        cur = self.execute(
            f"INSERT INTO [{table}] ({', '.join(f'[{n}]' for n in names)})"
            f" VALUES ({', '.join('?' for _ in names)})",
            [values[n] for n in names],
        )
        return cur.lastrowid

    def transaction(self):
        return transaction(self)

    @property
    def write_count(self) -> int:
        return self.conn.total_changes

    @contextmanager
    def savepoint(self, name: str) -> Iterator[SQLiteDatabase]:
        if not name.isidentifier():
            raise ValueError(f"savepoint name must be an identifier: {name!r}")
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield self
        except BaseException:
            self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self.conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            self.conn.execute(f"RELEASE SAVEPOINT {name}")


class ConnectionPool:
    """One connection per thread to one database file (sqlite3 connections are not thread-safe)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[Database] = []
        self._lock = threading.Lock()
        #: Commits the requests' buffered audit entries together (see ``virage.groupcommit``).
        self.group_committer = GroupCommitter(self.path, connect)

    def get(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path)
            self._local.db = db
            with self._lock:
                self._all.append(db)
        return db

    def close(self) -> None:
        self.group_committer.close()
        with self._lock:
            for db in self._all:
                db.conn.close()
            self._all.clear()
        self._local = threading.local()


def fetch_all(db: Database, sql: str, params: Sequence[Any] = ()) -> list[dict]:
    """Run a query and return its rows as dicts (for storage modules)."""
    cur = db.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def fetch_one(db: Database, sql: str, params: Sequence[Any] = ()) -> dict | None:
    """Run a query and return its first row as a dict, or ``None``."""
    rows = fetch_all(db, sql, params)
    return rows[0] if rows else None


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """Run a block of writes atomically: all are committed, or none (on any exception).

    Inside the block use ``db.execute`` / ``db.conn.executemany``; sqlite-utils table helpers that
    commit on their own (``insert_all``…) would end the transaction early.
    """
    conn = db.conn
    if conn.in_transaction:  # nested: the outer block decides
        yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    carried = []
    try:
        # What this request recorded before (its audit entries) commits with the write; if the
        # write is rolled back, they go back to the request's buffer (still written before the
        # answer leaves).
        carried = flush_into(db)
        yield db
    except BaseException:
        conn.rollback()
        restore_pending(carried)
        raise
    else:
        conn.commit()


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
    for m in pending_migrations(db, migrations):
        try:
            with transaction(db):
                # Another process starting at the same time may have applied it since the list
                # was read: check again now that this transaction holds the write lock.
                done = db.execute(
                    f"SELECT 1 FROM {MIGRATIONS_TABLE} WHERE namespace = ? AND name = ?",
                    [m.namespace, m.name],
                ).fetchone()
                if done:
                    continue
                m.apply(db)
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

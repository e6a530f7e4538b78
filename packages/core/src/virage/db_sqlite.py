"""The SQLite implementation of Virage's database seam (the embedded default, on sqlite-utils)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from virage.errors import ConfigurationError, InvalidInput
from virage.limits import INT_MESSAGE

BUSY_TIMEOUT_MS = 5000


def rows_as_dicts(cursor) -> list[dict[str, Any]]:
    """A DB-API cursor's rows as dicts keyed by column name (both engines' cursors)."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def first(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    return rows[0] if rows else None


@contextmanager
def savepoint_on(db, name: str) -> Iterator[Any]:
    """A nested block on ``db``'s connection, rolled back alone when it raises (both engines)."""
    if not name.isidentifier():
        raise ValueError(f"savepoint name must be an identifier: {name!r}")
    db.conn.execute(f"SAVEPOINT {name}")
    try:
        yield db
    except BaseException:
        db.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
        db.conn.execute(f"RELEASE SAVEPOINT {name}")
        raise
    else:
        db.conn.execute(f"RELEASE SAVEPOINT {name}")


def connect_sqlite(path: Path | str) -> SQLiteDatabase:
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


def open_read_only(path: Path | str) -> SQLiteDatabase:
    """Open an existing database file without writing anything to it (not even its journal
    mode): to look at a file before deciding what to do with it. ``ConfigurationError`` if it
    cannot be opened."""
    try:
        uri = f"{Path(path).expanduser().resolve().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    except sqlite3.Error as exc:
        raise ConfigurationError(f"La base {path} ne peut pas être lue ({exc}).") from exc
    return SQLiteDatabase(conn)


class SQLiteDatabase(sqlite_utils.Database):
    """The SQLite implementation of :class:`virage.db.Database` (on sqlite-utils).

    It refuses out-of-range integers with a message instead of a crash: SQLite's integers stop at
    2**63 - 1, Python's do not. An identifier or a number sent by a client above that bound raises
    ``OverflowError`` when bound to a query, wherever it came from (path, query string, form,
    JSON): here it becomes ``InvalidInput`` (400).
    """

    dialect = "sqlite"
    IntegrityError = sqlite3.IntegrityError
    Error = sqlite3.Error

    def execute(self, sql, parameters=None):
        try:
            return super().execute(sql, parameters)
        except OverflowError as exc:
            raise InvalidInput(INT_MESSAGE) from exc

    def executemany(self, sql: str, seq_of_parameters) -> sqlite3.Cursor:
        try:
            return self.conn.executemany(sql, seq_of_parameters)
        except OverflowError as exc:
            raise InvalidInput(INT_MESSAGE) from exc

    def fetch_all(self, sql: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return rows_as_dicts(self.execute(sql, list(parameters)))

    def fetch_one(self, sql: str, parameters: Sequence[Any] = ()) -> dict[str, Any] | None:
        return first(self.fetch_all(sql, parameters))

    def insert_row(self, table: str, values: dict[str, Any]) -> int:
        names = list(values)
        columns = ", ".join(f'"{n}"' for n in names)
        cur = self.execute(
            f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join("?" for _ in names)})',
            [values[n] for n in names],
        )
        return cur.lastrowid

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def begin(self) -> None:
        # IMMEDIATE: take the write lock now, so that what the block reads stays true until it
        # commits (no other writer in between).
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    def transaction(self):
        from virage.db import transaction

        return transaction(self)

    @property
    def write_count(self) -> int:
        return self.conn.total_changes

    def savepoint(self, name: str):
        return savepoint_on(self, name)


class SQLitePool:
    """One connection per thread to one database file (sqlite3 connections are not thread-safe)."""

    def __init__(self, path: Path | str) -> None:
        from virage.groupcommit import GroupCommitter

        self.path = Path(path)
        self._local = threading.local()
        self._all: list[SQLiteDatabase] = []
        self._lock = threading.Lock()
        #: Commits the requests' buffered audit entries together (see ``virage.groupcommit``).
        self.group_committer = GroupCommitter(lambda: connect_sqlite(self.path))

    def get(self) -> SQLiteDatabase:
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect_sqlite(self.path)
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

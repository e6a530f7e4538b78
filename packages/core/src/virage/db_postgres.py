"""The PostgreSQL implementation of Virage's database seam (psycopg 3 and psycopg_pool).

Storage modules write one SQL for both engines wherever the engines agree (``ON CONFLICT``,
``RETURNING``, window functions…) and branch on ``db.dialect`` where they do not (full-text search,
JSON, triggers). This module adds no dialect of its own: it only turns the DB-API ``qmark``
parameter style the storage modules use (``?``) into psycopg's ``format`` style (``%s``).

Row-level security: before a statement runs, the connection is told which structures the current
request acts for (:data:`virage.db_scope.acting_for`), through the setting ``virage.structures``
read by the policies (see :mod:`virage.db_policies`). It is sent only when it changed since the
connection's last statement, and it is forgotten when a transaction rolls back.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import psycopg
import psycopg_pool
from psycopg import errors as pg_errors
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus

from virage.db_scope import scope_setting, user_setting
from virage.db_sqlite import first, rows_as_dicts, savepoint_on
from virage.errors import ConfigurationError, InvalidInput, ServiceUnavailable
from virage.limits import INT_MESSAGE

DEFAULT_POOL_SIZE = 10
#: Bounds on every statement and on a transaction left open: nothing hangs (milliseconds).
SESSION_SETTINGS = {
    "statement_timeout": "30000",
    "lock_timeout": "10000",
    "idle_in_transaction_session_timeout": "60000",
}
NUL_MESSAGE = "Le texte envoyé contient un caractère nul (\\0) : retirez-le et réessayez."
UNAVAILABLE_MESSAGE = (
    "La base de données ne répond pas pour le moment. Réessayez dans un instant ; si cela dure, "
    "prévenez l'équipe qui héberge Virage."
)

_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|\?|%", re.S)


@lru_cache(maxsize=4096)
def to_format_style(sql: str) -> str:
    """``?`` placeholders (outside quotes and comments) become ``%s``; a literal ``%`` is doubled.

    The only rewriting this engine does: the parameter style, not the SQL.
    """

    def replace(match: re.Match) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        return token.replace("%", "%%")

    return _TOKEN.sub(replace, sql)


def _check_integers(parameters) -> None:
    """Integers stop at 64 bits, as on SQLite: psycopg would send a larger one as ``numeric``,
    which compares without error (nothing found) or fails only when written (an audit entry)."""
    for value in parameters:
        if type(value) is int and not -(2**63) <= value < 2**63:
            raise OverflowError("integer outside the 64-bit range")


class _BoolAsInt(Dumper):
    """Booleans are stored as 0/1 integers on both engines (SQLite has no boolean type)."""

    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj: bool) -> bytes:
        return b"1" if obj else b"0"


class _NumericAsNumber(Loader):
    """``SUM``/``AVG`` give ``numeric``: read as ``int`` when whole, else ``float`` (as SQLite)."""

    def load(self, data) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


def _configure(conn: psycopg.Connection) -> None:
    conn.adapters.register_dumper(bool, _BoolAsInt)
    conn.adapters.register_loader("numeric", _NumericAsNumber)
    for name, value in SESSION_SETTINGS.items():
        conn.execute("SELECT set_config(%s, %s, false)", [name, value])


class PostgresDatabase:
    """One PostgreSQL connection seen through :class:`virage.db.Database`.

    Autocommit outside :meth:`transaction`, as the SQLite implementation: no write is ever left in
    an implicit transaction.
    """

    dialect = "postgresql"
    IntegrityError = psycopg.IntegrityError
    Error = psycopg.Error

    def __init__(self, conn: psycopg.Connection, release=None) -> None:
        self.conn = conn
        self._release = release
        self._writes = 0
        self._scope: tuple[str, str] | None = None  # the RLS scope last sent on this connection

    # -- statements ----------------------------------------------------------------------
    def _apply_scope(self) -> None:
        wanted = (scope_setting(), user_setting())
        if wanted != self._scope:
            self.conn.execute(
                "SELECT set_config('virage.structures', %s, false),"
                " set_config('virage.user', %s, false)",
                list(wanted),
            )
            self._scope = wanted

    def _run(self, method: str, sql: str, parameters) -> psycopg.Cursor:
        try:
            self._apply_scope()
            cur = self.conn.cursor()
            if method == "executemany":
                parameters = list(parameters)
                for row in parameters:
                    _check_integers(row)
                cur.executemany(to_format_style(sql), parameters)
            elif parameters:
                _check_integers(parameters)
                cur.execute(to_format_style(sql), list(parameters))
            else:
                cur.execute(sql)
        except (pg_errors.NumericValueOutOfRange, OverflowError) as exc:
            raise InvalidInput(INT_MESSAGE) from exc
        except psycopg.DataError as exc:
            if "NUL" in str(exc) or "0x00" in str(exc):
                raise InvalidInput(NUL_MESSAGE) from exc
            raise
        except psycopg.OperationalError as exc:
            if self.conn.broken or self.conn.closed:
                self._scope = None
                raise ServiceUnavailable(UNAVAILABLE_MESSAGE) from exc
            raise
        if cur.rowcount > 0 and sql.lstrip()[:6].upper() != "SELECT":
            self._writes += cur.rowcount
        return cur

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> psycopg.Cursor:
        return self._run("execute", sql, parameters)

    def executemany(self, sql: str, seq_of_parameters) -> psycopg.Cursor:
        return self._run("executemany", sql, [list(p) for p in seq_of_parameters])

    def fetch_all(self, sql: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return rows_as_dicts(self.execute(sql, parameters))

    def fetch_one(self, sql: str, parameters: Sequence[Any] = ()) -> dict[str, Any] | None:
        return first(self.fetch_all(sql, parameters))

    def insert_row(self, table: str, values: dict[str, Any]) -> int:
        names = list(values)
        columns = ", ".join(f'"{n}"' for n in names)
        cur = self.execute(
            f'INSERT INTO "{table}" ({columns})'
            f" VALUES ({', '.join('?' for _ in names)}) RETURNING id",
            [values[n] for n in names],
        )
        return cur.fetchone()[0]

    # -- transactions --------------------------------------------------------------------
    @property
    def in_transaction(self) -> bool:
        return self.conn.info.transaction_status != TransactionStatus.IDLE

    def begin(self) -> None:
        self._apply_scope()
        self.conn.execute("BEGIN")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if not self.conn.closed and not self.conn.broken:
            self.conn.execute("ROLLBACK")
        self._scope = None  # a set_config inside the transaction was rolled back with it

    def transaction(self):
        from virage.db import transaction

        return transaction(self)

    @contextmanager
    def savepoint(self, name: str) -> Iterator[PostgresDatabase]:
        if not name.isidentifier():
            raise ValueError(f"savepoint name must be an identifier: {name!r}")
        if not self.in_transaction:  # PostgreSQL has savepoints inside a transaction only
            with self.transaction(), savepoint_on(self, name):
                yield self
            return
        with savepoint_on(self, name):
            yield self

    @property
    def write_count(self) -> int:
        return self._writes

    def close(self) -> None:
        if self._release is not None:
            self._release(self.conn)
        else:
            self.conn.close()


def _connect_kwargs() -> dict[str, Any]:
    # The process shows in pg_stat_activity as ``virage-<pid>``: what a DBA reads to tell the
    # application's connections (and which process holds them) from everyone else's.
    return {"autocommit": True, "application_name": f"virage-{os.getpid()}"}


def connect_postgres(url: str) -> PostgresDatabase:
    """One connection of its own (the command line, the group committer, tests)."""
    try:
        conn = psycopg.connect(url, **_connect_kwargs())
    except psycopg.Error as exc:
        raise ConfigurationError(
            f"La base PostgreSQL ne peut pas être ouverte ({_first_line(exc)}). Vérifiez VIRAGE_DB "
            "(postgresql://utilisateur@hôte:port/base) et que le serveur accepte la connexion."
        ) from exc
    _configure(conn)
    check_role(conn)
    return PostgresDatabase(conn)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def check_role(conn: psycopg.Connection) -> None:
    """Refuse a role that row-level security would not apply to (superuser, ``BYPASSRLS``)."""
    row = conn.execute(
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    if row and (row[0] or row[1]):
        raise ConfigurationError(
            "VIRAGE_DB : le rôle PostgreSQL de Virage est superutilisateur ou a BYPASSRLS ; la "
            "sécurité par ligne ne s'appliquerait pas. Créez un rôle ordinaire propriétaire de la "
            "base (CREATE ROLE virage LOGIN ; voir « Héberger Virage pour un territoire »)."
        )


class PostgresPool:
    """Connections for one process, from psycopg_pool: each thread keeps one while it lives, as
    the SQLite pool does (requests run on the event loop's thread); a broken one is replaced."""

    def __init__(self, url: str, size: int = DEFAULT_POOL_SIZE) -> None:
        from virage.groupcommit import GroupCommitter

        self.url = url
        self._size = size
        self._pool = self._new_pool()
        try:
            self._pool.open(wait=True, timeout=10)
        except psycopg_pool.PoolTimeout as exc:
            self._pool.close()
            raise ConfigurationError(
                f"La base PostgreSQL ne répond pas ({url.split('@')[-1]}). Vérifiez VIRAGE_DB et "
                "que le serveur accepte la connexion."
            ) from exc
        with self._pool.connection() as conn:
            check_role(conn)
        self._local = threading.local()
        self._lock = threading.Lock()
        # Each connection handed out, with the thread that holds it: a thread that ended (the
        # worker threads of anyio and of test clients come and go) gives its connection back.
        self._all: list[tuple[threading.Thread, PostgresDatabase]] = []
        self._reopen = False
        self.group_committer = GroupCommitter(lambda: connect_postgres(url))

    def _new_pool(self) -> psycopg_pool.ConnectionPool:
        return psycopg_pool.ConnectionPool(
            self.url,
            min_size=1,
            max_size=max(2, self._size),
            kwargs=_connect_kwargs(),
            configure=_configure,
            check=psycopg_pool.ConnectionPool.check_connection,
            open=False,
            name="virage",
        )

    def get(self) -> PostgresDatabase:
        if self._reopen:  # closed, then asked again (an application started anew, as SQLite's)
            with self._lock:
                if self._reopen:
                    self._pool.open(wait=False)
                    self._reopen = False
        db: PostgresDatabase | None = getattr(self._local, "db", None)
        if db is not None and (db.conn.closed or db.conn.broken):
            with self._lock:
                self._all = [(t, d) for t, d in self._all if d is not db]
            self._pool.putconn(db.conn)
            db = None
        if db is None:
            self._release_ended_threads()
            try:
                conn = self._pool.getconn(timeout=5)
            except psycopg_pool.PoolTimeout as exc:
                raise ServiceUnavailable(UNAVAILABLE_MESSAGE) from exc
            db = PostgresDatabase(conn, release=self._pool.putconn)
            self._local.db = db
            with self._lock:
                self._all.append((threading.current_thread(), db))
        return db

    def _release_ended_threads(self) -> None:
        with self._lock:
            ended = [db for thread, db in self._all if not thread.is_alive()]
            self._all = [(t, db) for t, db in self._all if t.is_alive()]
        for db in ended:
            if not db.conn.closed:
                db.close()

    def close(self) -> None:
        self.group_committer.close()
        with self._lock:
            for _thread, db in self._all:
                if not db.conn.closed:
                    db.close()
            self._all.clear()
        self._local = threading.local()
        self._pool.close()
        # A closed psycopg pool cannot be opened again: the next get() opens a new one.
        self._pool = self._new_pool()
        self._reopen = True


_schemas_made: set[str] = set()


def schema_url(base: str, schema: str) -> str:
    """``base`` with its own schema first on the search path, created if missing (the test
    harness gives each test database a schema of its own in one PostgreSQL database)."""
    if schema not in _schemas_made:
        # Another process may make it at the same moment.
        with (
            psycopg.connect(base, autocommit=True) as conn,
            contextlib.suppress(pg_errors.UniqueViolation, pg_errors.DuplicateSchema),
        ):
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        _schemas_made.add(schema)
    options = quote(f"-c search_path={schema}")
    return f"{base}{'&' if '?' in base else '?'}options={options}"

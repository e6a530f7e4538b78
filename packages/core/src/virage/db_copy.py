"""``virage db copy``: a whole instance from one engine to the other, verified table by table.

SQLite → PostgreSQL when a structure joins a network, PostgreSQL → SQLite when it leaves (or to
hand a structure its own data). The target must be new (no table at all); it is migrated by the
same code as the source, then every table's rows are copied in the order of their foreign keys
and their ids, in one transaction, and compared: for each table the number of rows and a checksum
of the values must be the same on both sides, whatever the engine. What an engine derives from
the tables (SQLite's full-text index) is rebuilt by its owner through the ``on_database_copied``
hook.

The engine-neutral :func:`fingerprint` also serves the restore drills of both engines.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from virage.db import MIGRATIONS_TABLE, Database, applied_migrations, migrate
from virage.db_ddl import resync_rowids
from virage.errors import InvalidInput

BATCH = 1000
MOD = 2**256


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]  # stored columns (generated ones left out)
    key: tuple[str, ...]  # primary key, to read rows in a stable order
    parents: frozenset[str] = field(default_factory=frozenset)  # tables it references


@dataclass(frozen=True)
class CopyReport:
    tables: int
    rows: int


# --------------------------------------------------------------------------- describing a schema


def _sqlite_tables(db: Database) -> dict[str, Table]:
    rows = db.fetch_all(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    virtual = [r["name"] for r in rows if (r["sql"] or "").upper().startswith("CREATE VIRTUAL")]
    out = {}
    for row in rows:
        name = row["name"]
        if name in virtual or any(name.startswith(f"{v}_") for v in virtual):
            continue  # a full-text index and its shadow tables: derived, rebuilt by their owner
        info = db.fetch_all(f"SELECT name, pk, hidden FROM pragma_table_xinfo('{name}')")
        columns = tuple(c["name"] for c in info if not c["hidden"])
        key = tuple(c["name"] for c in sorted(info, key=lambda c: c["pk"]) if c["pk"])
        links = db.fetch_all(f"SELECT \"table\" FROM pragma_foreign_key_list('{name}')")
        parents = {r["table"] for r in links}
        out[name] = Table(name, columns, key or columns, frozenset(parents - {name}))
    return out


def _postgres_tables(db: Database) -> dict[str, Table]:
    names = [
        r["table_name"]
        for r in db.fetch_all(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    ]
    out = {}
    for name in names:
        columns = tuple(
            r["column_name"]
            for r in db.fetch_all(
                "SELECT column_name FROM information_schema.columns WHERE table_schema ="
                " current_schema() AND table_name = ? AND is_generated = 'NEVER'"
                " ORDER BY ordinal_position",
                [name],
            )
        )
        key = tuple(
            r["attname"]
            for r in db.fetch_all(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                " AND a.attnum = ANY (i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary"
                " ORDER BY array_position(i.indkey, a.attnum)",
                [f'"{name}"'],
            )
        )
        parents = {
            r["parent"]
            for r in db.fetch_all(
                "SELECT c.confrelid::regclass::text AS parent FROM pg_constraint c"
                " WHERE c.contype = 'f' AND c.conrelid = ?::regclass",
                [f'"{name}"'],
            )
        }
        parents = {p.strip('"') for p in parents}
        out[name] = Table(name, columns, key or columns, frozenset(parents - {name}))
    return out


def tables(db: Database) -> dict[str, Table]:
    """The tables of a Virage database that hold data (not derived indexes), by name."""
    found = _postgres_tables(db) if db.dialect == "postgresql" else _sqlite_tables(db)
    return {name: t for name, t in found.items() if name != MIGRATIONS_TABLE}


def _in_dependency_order(found: dict[str, Table]) -> list[Table]:
    ordered: list[Table] = []
    done: set[str] = set()
    pending = sorted(found)
    while pending:
        ready = [n for n in pending if found[n].parents & set(found) <= done]
        if not ready:  # a cycle: keep the remaining order (their keys still come first)
            ready = pending[:1]
        for name in ready:
            ordered.append(found[name])
            done.add(name)
        pending = [n for n in pending if n not in done]
    return ordered


# --------------------------------------------------------------------------- fingerprints


def _value(value) -> bytes:
    if value is None:
        return b"\x00N"
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        return b"\x00B" + value
    if isinstance(value, float) and value.is_integer():
        return b"\x00F" + str(int(value)).encode()
    kind = b"\x00I" if isinstance(value, int) else b"\x00F" if isinstance(value, float) else b""
    return kind + str(value).encode()


def _rows(db: Database, table: Table) -> Iterable[tuple]:
    columns = ", ".join(f'"{c}"' for c in table.columns)
    order = ", ".join(f'"{c}"' for c in table.key)
    cursor = db.execute(f'SELECT {columns} FROM "{table.name}" ORDER BY {order}')
    while batch := cursor.fetchmany(BATCH):
        yield from batch


def fingerprint(db: Database, only: dict[str, Table] | None = None) -> dict[str, tuple[int, str]]:
    """``{table: (rows, checksum)}``, the same for the same data on either engine."""
    out = {}
    for name, table in sorted((only or tables(db)).items()):
        total = count = 0
        for row in _rows(db, table):
            digest = hashlib.sha256(b"\x1f".join(_value(v) for v in row)).digest()
            total = (total + int.from_bytes(digest)) % MOD
            count += 1
        out[name] = (count, f"{total:064x}")
    return out


# --------------------------------------------------------------------------- copying


def copy(
    source: Database,
    target: Database,
    migrations: list,
    *,
    on_copied: Callable[[Database], None] = lambda db: None,
) -> CopyReport:
    """Copy every table of ``source`` into the new database ``target``; verify; report."""
    expected_steps = {(m.namespace, m.name) for m in migrations}
    if applied_migrations(source) != expected_steps:
        raise InvalidInput(
            "La base source n'est pas à jour de ses migrations (ou d'autres plugins l'ont "
            "migrée) : lancez « virage db migrate » sur la source avec les mêmes plugins."
        )
    if tables(target):
        raise InvalidInput(
            "La base cible contient déjà des tables : la copie ne remplit qu'une base neuve et "
            "vide. Créez une base vide (ou un nouveau fichier) et recommencez."
        )
    migrate(target, migrations)
    from_tables, to_tables = tables(source), tables(target)
    if set(from_tables) != set(to_tables):
        differ = sorted(set(from_tables) ^ set(to_tables))
        raise InvalidInput("Les deux bases n'ont pas les mêmes tables : " + ", ".join(differ[:5]))
    shared = {
        name: Table(
            name,
            tuple(c for c in t.columns if c in to_tables[name].columns),
            t.key,
            to_tables[name].parents,
        )
        for name, t in from_tables.items()
    }
    total = 0
    with target.transaction():
        ordered = _in_dependency_order(shared)
        for table in reversed(ordered):  # what the migrations seeded goes: the source wins
            target.execute(f'DELETE FROM "{table.name}"')
        for table in ordered:
            columns = ", ".join(f'"{c}"' for c in table.columns)
            marks = ", ".join("?" for _ in table.columns)
            sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
            batch = []
            for row in _rows(source, table):
                batch.append(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                if len(batch) >= BATCH:
                    target.executemany(sql, batch)
                    total += len(batch)
                    batch = []
            if batch:
                target.executemany(sql, batch)
                total += len(batch)
        resync_rowids(target)
        on_copied(target)
    expected, got = fingerprint(source, shared), fingerprint(target, shared)
    if expected != got:
        differ = sorted(t for t in expected if expected[t] != got.get(t))
        raise InvalidInput(
            "La copie ne correspond pas à la source (tables : " + ", ".join(differ[:5]) + ") : "
            "ne l'utilisez pas ; supprimez la base cible et recommencez."
        )
    return CopyReport(tables=len(shared), rows=total)

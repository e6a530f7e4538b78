"""What the benchmark scripts share: their PostgreSQL side (``--postgres URL``) and the summary
that puts both engines side by side.

A benchmark builds its dataset on SQLite as it always did; with ``--postgres`` it copies it to
PostgreSQL with ``virage db copy``'s machinery (every table verified: the same rows on both
engines) — or builds it there too with the same seed — and measures the same queries, in the same
order, on both. Each query is timed next to its baseline: the same SQL run bare by the engine's
driver (``sqlite3`` or ``psycopg``), without Virage around it.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from virage.db import TEST_REDIRECT_ENV, connect, is_postgres_url
from virage.db_scope import acting_for, reset

ENGINES = ("sqlite", "postgresql")
POSTGRES_HELP = (
    "mesurer aussi sur PostgreSQL, dans cette base (son schéma courant est vidé : supprimé puis "
    "recréé, rien d'autre)"
)


def keep_sqlite_side_on_sqlite() -> None:
    """A benchmark's SQLite side is a SQLite file, even under the test suite's PostgreSQL pass
    (which sends every SQLite path to a schema of its own): PostgreSQL comes from ``--postgres``."""
    os.environ.pop(TEST_REDIRECT_ENV, None)


def add_postgres_option(parser) -> None:
    parser.add_argument("--postgres", metavar="URL", help=POSTGRES_HELP)


def check_postgres_option(parser, url: str | None) -> None:
    if url and not is_postgres_url(url):
        parser.error("--postgres attend une adresse postgresql://…")


def empty_schema(url: str) -> None:
    """Drop and recreate the current schema of ``url`` (what a previous run left; nothing else)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        schema = conn.execute("SELECT current_schema()").fetchone()[0]
        if not schema:
            raise SystemExit("Erreur : --postgres : aucun schéma courant (search_path) à vider.")
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')


def copy_to_postgres(sqlite_path: Path, url: str, plugins) -> dict:
    """Empty the schema of ``url``, copy the SQLite benchmark database into it (``virage db
    copy``: migrated by the same code, every table's rows and checksum compared), then ANALYZE."""
    from virage.app import collect_migrations
    from virage.db_copy import copy

    empty_schema(url)
    started = time.perf_counter()
    source, target = connect(sqlite_path), connect(url)
    try:
        report = copy(
            source,
            target,
            collect_migrations(plugins),
            on_copied=lambda db: plugins.call("on_database_copied", db=db),
        )
        analyze(target)
    finally:
        target.close()
        source.close()
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "tables": report.tables,
        "rows": report.rows,
        "verified": "rows and checksum of every table, as virage db copy",
    }


def analyze(db) -> None:
    """Fresh planner statistics for the benchmark's tables. On PostgreSQL only those of the
    current schema: a bare ANALYZE would visit every schema of the database (and fail when
    another one is dropped meanwhile)."""
    if db.dialect != "postgresql":
        db.execute("ANALYZE")
        return
    names = db.fetch_all(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    if names:
        db.execute("ANALYZE " + ", ".join(f'"{r["tablename"]}"' for r in names))


def database_mb(db, sqlite_path: Path | None = None) -> float:
    """Size of the benchmark's database: the SQLite file (and its WAL), or on PostgreSQL the
    tables of the current schema with their indexes and TOAST."""
    if db.dialect == "postgresql":
        size = db.execute(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
            " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'"
        ).fetchone()[0]
    else:
        size = sum(
            Path(f"{sqlite_path}{s}").stat().st_size
            for s in ("", "-wal")
            if Path(f"{sqlite_path}{s}").exists()
        )
    return round(size / 1e6, 1)


def engine_versions(url: str | None) -> dict:
    versions = {"sqlite": sqlite3.sqlite_version}
    if url:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            versions["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    return versions


class Bare:
    """The baseline's connection: ``sqlite3`` on the file, or ``psycopg`` on PostgreSQL (SQL
    written with ``?``; row-level security sees ``structures``, as a request acting for them)."""

    def __init__(self, target: Path | str, structures: str = "all") -> None:
        if is_postgres_url(target):
            import psycopg

            from virage.db_postgres import to_format_style

            self.conn = psycopg.connect(target, autocommit=True)
            self.conn.execute("SELECT set_config('virage.structures', %s, false)", [structures])
            self._sql = to_format_style
        else:
            self.conn = sqlite3.connect(target)
            self._sql = str

    def rows(self, sql: str, params=()) -> list[tuple]:
        return self.conn.execute(self._sql(sql), list(params)).fetchall()

    def close(self) -> None:
        self.conn.close()


@contextmanager
def acting_as(actor):
    """As a request of ``actor`` does: PostgreSQL's row-level security sees her structures."""
    token = acting_for(actor.structure_ids, actor.user_id)
    try:
        yield
    finally:
        reset(token)


# --------------------------------------------------------------------------- side by side


def _pick(figures: dict, p: str):
    return figures.get(f"{p}_ms", figures.get(p))


def _ratio(value, baseline):
    return round(value / baseline, 2) if value is not None and baseline else None


def summary(measured: dict, baseline: dict | None = None) -> dict:
    """One query on one engine: p50/p95/p99 (ms), its baseline's, and the ratios
    engine/baseline (p50 and p95)."""
    out = {f"{p}_ms": _pick(measured, p) for p in ("p50", "p95", "p99")}
    if baseline is not None:
        out.update({f"baseline_{p}_ms": _pick(baseline, p) for p in ("p50", "p95", "p99")})
        out["ratio_p50"] = _ratio(out["p50_ms"], out["baseline_p50_ms"])
        out["ratio_p95"] = _ratio(out["p95_ms"], out["baseline_p95_ms"])
    return out


def print_side_by_side(table: dict[str, dict[str, dict]]) -> None:
    """``{query: {engine: summary}}`` as a table on stderr (the JSON goes to stdout)."""

    def cell(value, width: int) -> str:
        return f"{'-' if value is None else f'{value:.2f}':>{width}}"

    columns = ("p50_ms", "p95_ms", "p99_ms", "baseline_p95_ms", "ratio_p95")
    print(
        f"{'requête':<24}{'moteur':<12}{'p50':>9}{'p95':>9}{'p99':>9}{'base p95':>10}{'ratio':>8}",
        file=sys.stderr,
    )
    for query, engines in table.items():
        for engine, s in engines.items():
            widths = (9, 9, 9, 10, 8)
            cells = "".join(cell(s.get(c), w) for c, w in zip(columns, widths, strict=True))
            print(f"{query:<24}{engine:<12}{cells}", file=sys.stderr)

"""Benchmark of the directory at national scale (not a test), run by ``scripts/bench-directory``.

Writes a synthetic FINESS JSON flux of 100,000 structures (legal entities and establishments,
``virage_finess.synthetic``) and imports it with the FINESS connector exactly as ``virage import
finess`` does (timed: the target is under 30 s), then imports 1,000,000 professionals with roles
in those establishments, and measures searches: full text, prefix while typing, distance, and
professionals. For each, the p50/p95/p99 of Virage's search (``virage.directory.search``:
validation, total count, rows as dicts) next to the **floor**: the same SQL run bare by SQLite
(``floor=True``: no count, raw tuples). Target: both p95 under 20 ms. Prints JSON, with the p95s
side by side under ``p95_ms``.

Times are wall-clock (``time.perf_counter``), the figure that matters; on a machine shared with
other work they include waiting for a core, so the CPU time of the process is printed beside them
(``cpu``) and the load average before and after.

With ``--postgres URL`` the same imports (same file, same seed; or, with ``--reuse``, a verified
``virage db copy`` of the SQLite database) and the same searches run on PostgreSQL too, in the same
run, the floor being the bare SQL through ``psycopg``: the JSON gains a ``postgresql`` section (the
shape of the SQLite figures) and ``side_by_side`` (p50/p95/p99 per search and engine, ratio to the
floor); the table is printed on stderr.

    ./scripts/bench-directory            # national scale (several minutes)
    ./scripts/bench-directory --small    # smoke run (a few seconds)
    ./scripts/bench-directory --small --postgres postgresql://virage@127.0.0.1/bench

Everything generated is fictitious and written to a temporary folder that is removed on every
exit (end, error, Ctrl-C, SIGTERM); nothing is sent anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packages" / "core" / "src"))
sys.path.insert(0, str(ROOT / "packages" / "plugins" / "finess" / "src"))

import bench_common as common  # noqa: E402
import virage_finess  # noqa: E402
from virage_finess import synthetic  # noqa: E402

from virage.app import prepare_database  # noqa: E402
from virage.db import connect  # noqa: E402
from virage.directory import search, storage  # noqa: E402
from virage.directory.imports import run_import  # noqa: E402
from virage.directory.sources import (  # noqa: E402
    DirectorySource,
    ProfessionalRecord,
    RoleRecord,
    SourceFormat,
)
from virage.plugins import PluginHost  # noqa: E402
from virage.settings import Settings  # noqa: E402

DESCRIPTION = "Banc d'essai de l'annuaire à l'échelle nationale (FINESS, recherche)."
TARGET_P95_MS = 20
TARGET_IMPORT_SECONDS = 30
FAMILY = "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent"
FAMILY += " Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André"
FAMILY += " Lefèvre Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure"
FAMILY += " Rousseau Blanc Guérin Muller Henry"
GIVEN = "Marie Jean Pierre Michel Anne Nathalie Isabelle Sylvie Catherine Philippe Élodie Chloé"
GIVEN += " Julien Nicolas Camille Léa Hugo Inès Sophie Thomas Laure Karim Amina Nadia Paul Lucie"
PROFESSIONS = [("60", 40), ("10", 25), ("70", 12), ("21", 10), ("40", 6), ("50", 3), ("91", 4)]


def luhn(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def professionals(rng: random.Random, count: int, establishments: list[str]):
    family, given = FAMILY.split(), GIVEN.split()
    weights = [w for _c, w in PROFESSIONS]
    for i in range(count):
        yield ProfessionalRecord(
            family_name=rng.choice(family),
            given_name=rng.choice(given),
            rpps=luhn(f"1{i:09d}"),
            line=i + 1,
            profession_code=rng.choices([c for c, _w in PROFESSIONS], weights)[0],
            roles=[RoleRecord(rng.choice(establishments), "Salarié·e")],
        )


class Generated:
    """A directory source whose 'file' is the generator given to it."""

    def __init__(self, items) -> None:
        self.items = items

    def detect(self, path, head):
        return "bench"

    def read(self, path, fmt, progress):
        yield from self.items


def timed_import(db, source, path: Path) -> tuple[object, dict]:
    wall, cpu = time.perf_counter(), time.process_time()
    report = run_import(db, source, path)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return report, {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2)}


def percentiles(samples_ns: list[int]) -> dict[str, float]:
    ms = sorted(s / 1e6 for s in samples_ns)
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return {"p50_ms": round(q[49], 3), "p95_ms": round(q[94], 3), "p99_ms": round(q[98], 3)}


def measure(fn: Callable, args_list: list[tuple]) -> dict[str, dict]:
    for args in args_list[:5]:  # warm-up
        fn(*args)
    wall, cpu = [], []
    for args in args_list:
        w, c = time.perf_counter_ns(), time.process_time_ns()
        fn(*args)
        cpu.append(time.process_time_ns() - c)
        wall.append(time.perf_counter_ns() - w)
    return {**percentiles(wall), "cpu": percentiles(cpu)}


def queries(db, rng: random.Random, count: int) -> dict[str, list[search.SearchParams]]:
    """Searches a person would type, from words of the generated directory."""
    communes = db.execute(
        "SELECT lat, lon FROM directory_communes WHERE lat IS NOT NULL ORDER BY code"
    ).fetchall()
    family, given = FAMILY.split(), GIVEN.split()
    out: dict[str, list[search.SearchParams]] = {k: [] for k in ("fulltext", "prefix", "distance")}
    out["professionals"] = []
    for _ in range(count):
        _code, _w, word = rng.choice(synthetic.CATEGORIES)
        name = rng.choice(synthetic.NAMES).replace("-", " ")
        out["fulltext"].append(search.SearchParams(q=f"{word} {name} "))
        typed = name.split()[-1]
        out["prefix"].append(search.SearchParams(q=f"{word} {typed[: rng.randint(2, 4)]}"))
        lat, lon = rng.choice(communes)
        near = f"{lat:.5f},{lon:.5f}"
        kind = rng.choice(["ssiad", "ehpad", "saad", "pharmacie"])
        out["distance"].append(search.SearchParams(q=kind, near=near, radius_km=15))
        out["professionals"].append(
            search.SearchParams(q=f"{rng.choice(given)} {rng.choice(family)} ")
        )
    return out


def search_figures(db, cases: dict[str, list[search.SearchParams]]) -> dict[str, dict]:
    results = {}
    for kind, params in cases.items():
        professionals = kind == "professionals"
        service = search.search_professionals if professionals else search.search_structures
        to_query = search.professional_query if professionals else search.structure_query
        bare = storage.search_professionals if professionals else storage.search_structures
        floor_args = [(to_query(db, p)[0],) for p in params]
        virage = measure(lambda p, s=service: s(db, p), [(p,) for p in params])
        floor = measure(lambda q, b=bare: b(db, q, floor=True), floor_args)
        matches = [service(db, p).total for p in params[:20]]
        results[kind] = {
            "virage": virage,
            "floor": floor,
            "mean_matches": round(statistics.mean(matches), 1),
        }
    return results


def import_professionals(db, args, folder: Path) -> dict:
    establishments = [
        r[0] for r in db.execute("SELECT finess FROM directory_structures WHERE kind = 'ET'")
    ]
    dummy = folder / "generated.txt"
    dummy.write_text("généré\n")
    items = professionals(random.Random(args.seed), args.professionals, establishments)
    source = DirectorySource(
        "bench", "Banc d'essai", [SourceFormat("bench", "généré")], Generated(items)
    )
    report, figures = timed_import(db, source, dummy)
    assert report.created == args.professionals, report.as_dict()["rejets"][:3]
    return {**figures, "per_second": round(args.professionals / figures["seconds"])}


def build(db, args, folder: Path) -> dict:
    """Import the synthetic FINESS flux (timed), then the professionals; the same seed gives
    every engine the same directory."""
    flux = folder / "finess-synthetique.json"
    counts = synthetic.write_flux(flux, args.structures, seed=args.seed)
    report, finess = timed_import(db, virage_finess.SOURCE, flux)
    assert report.created == args.structures, report.as_dict()["rejets"][:3]
    finess.update(
        structures=args.structures,
        legal_entities=counts["EJ"],
        establishments=counts["ET"],
        file_mb=round(flux.stat().st_size / 1e6, 1),
        per_second=round(args.structures / finess["seconds"]),
        target_seconds=TARGET_IMPORT_SECONDS,
    )
    flux.unlink()
    imports = {"finess_json": finess}
    if args.professionals:
        imports["professionals"] = import_professionals(db, args, folder)
    common.analyze(db)
    if db.dialect == "sqlite":
        db.execute("PRAGMA optimize")
    return imports


def searches(db, args, db_path: Path | None) -> dict:
    """Every kind of search on one engine (the same searches on each: same seed)."""
    structures = db.execute("SELECT COUNT(*) FROM directory_structures").fetchone()[0]
    pros_count = db.execute("SELECT COUNT(*) FROM directory_professionals").fetchone()[0]
    load_before = os.getloadavg()
    cases = queries(db, random.Random(args.seed + 1), args.queries)
    if not pros_count:
        del cases["professionals"]
    figures = search_figures(db, cases)
    return {
        "p95_ms": {
            kind: {"floor": f["floor"]["p95_ms"], "virage": f["virage"]["p95_ms"]}
            for kind, f in figures.items()
        },
        "search": figures,
        "scale": {
            "structures": structures,
            "professionals": pros_count,
            "queries_per_kind": args.queries,
            "database_mb": common.database_mb(db, db_path),
        },
        "load_average": {
            "before_searches": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in os.getloadavg()],
        },
    }


def on_postgres(args, folder: Path, db_path: Path, plugins, imported: bool) -> dict:
    """The PostgreSQL side: the same imports (timed) when the SQLite side imported, else (with
    --reuse) a verified copy of the SQLite database."""
    out: dict = {"import": None}
    if imported:
        common.empty_schema(args.postgres)
        settings = Settings(db_url=args.postgres, docs_dir=None, secret_key="bench")
        db = prepare_database(settings, PluginHost(settings))
        out["import"] = build(db, args, folder)
    else:
        out["copy"] = common.copy_to_postgres(db_path, args.postgres, plugins)
        db = connect(args.postgres)
    try:
        return {**searches(db, args, None), **out}
    finally:
        db.close()


def run(args, folder: Path) -> dict:
    db_path = args.db or folder / "bench.db"
    reuse = args.reuse and args.db is not None and db_path.exists()
    if db_path.exists() and not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    settings = Settings(db_path=db_path, docs_dir=None, secret_key="bench")
    plugins = PluginHost(settings)
    db = prepare_database(settings, plugins)
    imports = None if reuse else build(db, args, folder)
    sqlite_side = searches(db, args, db_path)
    db.close()
    load = sqlite_side.pop("load_average")
    out = {
        "p95_ms": sqlite_side["p95_ms"],
        "import": imports,
        "search": sqlite_side["search"],
        "scale": sqlite_side["scale"],
    }
    engines = {"sqlite": sqlite_side}
    if args.postgres:
        out["postgresql"] = engines["postgresql"] = on_postgres(
            args, folder, db_path, plugins, imported=not reuse
        )
    out["side_by_side"] = {
        kind: {
            engine: common.summary(side["search"][kind]["virage"], side["search"][kind]["floor"])
            for engine, side in engines.items()
        }
        for kind in sqlite_side["search"]
    }
    common.print_side_by_side(out["side_by_side"])
    out.update(
        {
            "targets": {"p95_ms": TARGET_P95_MS, "finess_import_seconds": TARGET_IMPORT_SECONDS},
            "machine": {
                "python": platform.python_version(),
                **common.engine_versions(args.postgres),
                "cpus": os.cpu_count(),
                "load_average_before_searches": load["before_searches"],
                "load_average_after": load["after"],
                "platform": platform.platform(),
            },
            "notes": "Wall-clock milliseconds (cpu: the process's CPU time). virage: "
            "search.search_structures / search_professionals (parsing, validation, total count, "
            "rows as dicts); floor: the same SQL run bare by the engine's driver, sqlite3 or "
            "psycopg (storage … floor=True: no count, tuples). Synthetic, fictitious data.",
        }
    )
    return out


def _stop(signum, frame):  # SIGTERM: leave through the finally blocks (temporary files)
    raise SystemExit(128 + signum)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument("--small", action="store_true", help="essai rapide : 2 000 + 20 000")
    parser.add_argument("--structures", type=int, default=100_000)
    parser.add_argument(
        "--professionals", type=int, default=1_000_000, help="0 : structures seulement"
    )
    parser.add_argument("--queries", type=int, default=300, help="recherches par type")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", type=Path, default=None, help="garder la base à ce chemin")
    parser.add_argument(
        "--reuse", action="store_true", help="avec --db : chercher dans une base déjà construite"
    )
    common.add_postgres_option(parser)
    args = parser.parse_args(list(argv) if argv is not None else None)
    common.check_postgres_option(parser, args.postgres)
    common.keep_sqlite_side_on_sqlite()
    if args.small:
        args.structures, args.professionals = 2_000, 20_000
        args.queries = min(args.queries, 60)
    signal.signal(signal.SIGTERM, _stop)
    with tempfile.TemporaryDirectory(prefix="virage-bench-directory-") as folder:
        out = run(args, Path(folder))
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

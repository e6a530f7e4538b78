"""Benchmark of orientation matching (not a test).

Builds a synthetic national directory (100,000 establishments by default, fictitious, spread over
mainland France, ~8 % EHPAD) with generated network fields (protected unit oui/non/absent) and
declared places, then measures the ranking of proposals for an EHPAD request with a criterion and a
30 km radius around random points (p50/p95/p99, in ms), and the raw-SQLite floor: the bare
candidate query (category, open, bounding box, places) without distance filter, criteria, scoring
nor hooks. Prints JSON.

With ``--postgres URL`` the directory is copied to PostgreSQL (``virage db copy``, verified) and
the same requests are ranked there too, in the same run, next to the floor through ``psycopg``: the
JSON gains a ``postgresql`` section and ``side_by_side`` (p50/p95/p99 per engine, ratio to the
floor); the table is printed on stderr.

    ./scripts/bench-orientation            # 100,000 structures
    ./scripts/bench-orientation --small    # smoke run (a few seconds)
    ./scripts/bench-orientation --small --postgres postgresql://virage@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import bench_common as common

ROOT = Path(__file__).resolve().parent.parent


def percentiles(values: list[float]) -> dict[str, float]:
    values = sorted(values)

    def pct(p: float) -> float:
        return round(values[min(len(values) - 1, math.ceil(p * len(values)) - 1)] * 1000, 2)

    return {
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "mean": round(statistics.mean(values) * 1000, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="2 000 structures, 30 requêtes")
    parser.add_argument("--structures", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    common.add_postgres_option(parser)
    args = parser.parse_args()
    common.check_postgres_option(parser, args.postgres)
    common.keep_sqlite_side_on_sqlite()
    if args.small:
        args.structures, args.queries = 2_000, 30

    signal.signal(signal.SIGTERM, _stop)
    # The database (about 57 MB at full size) lives in a folder removed on every exit.
    with tempfile.TemporaryDirectory(prefix="bench-orientation-") as folder:
        return _run(args, Path(folder))


def _stop(signum, frame):  # SIGTERM: leave through the finally blocks (temporary folder)
    raise SystemExit(128 + signum)


def _run(args, folder: Path) -> int:
    from virage.app import prepare_database
    from virage.plugins import PluginHost
    from virage.settings import Settings

    rng = random.Random(args.seed)
    path = folder / "bench.db"
    settings = Settings(db_path=path, docs_dir=None)
    plugins = PluginHost(settings)
    db = prepare_database(settings, plugins)
    build_s = _build(db, args.structures, rng)
    db.close()
    points = [(rng.uniform(44.0, 50.0), rng.uniform(-0.5, 6.5)) for _ in range(args.queries)]
    sqlite_side = _measure(path, plugins, points)
    report = {
        "benchmark": "orientation ranking (EHPAD, unité protégée, 30 km)",
        "structures": args.structures,
        "queries": args.queries,
        "build_seconds": round(build_s, 1),
        "proposals_per_request": sqlite_side["proposals_per_request"],
        "ranking_ms": sqlite_side["ranking_ms"],
        "raw_sqlite_floor_ms": sqlite_side["floor_ms"],
    }
    engines = {"sqlite": sqlite_side}
    if args.postgres:
        copied = common.copy_to_postgres(path, args.postgres, plugins)
        pg_side = engines["postgresql"] = _measure(args.postgres, plugins, points)
        report["postgresql"] = {
            "server": common.engine_versions(args.postgres)["postgresql"],
            "copy": copied,
            "proposals_per_request": pg_side["proposals_per_request"],
            "ranking_ms": pg_side["ranking_ms"],
            "raw_psycopg_floor_ms": pg_side["floor_ms"],
        }
    report["side_by_side"] = {
        "ranking": {
            engine: common.summary(side["ranking_ms"], side["floor_ms"])
            for engine, side in engines.items()
        }
    }
    common.print_side_by_side(report["side_by_side"])
    report.update(
        {"python": platform.python_version(), "sqlite": common.engine_versions(None)["sqlite"]}
    )
    print(json.dumps(report, indent=2))
    return 0


def _build(db, structures: int, rng: random.Random) -> float:
    """A synthetic national directory with declared places, on SQLite; its build time (s)."""
    from virage_orientation import storage as orientation_storage

    from virage.db import transaction
    from virage.directory import storage as directory_storage

    categories = ["500"] * 8 + ["354", "460", "209", "207", "202", "255", "437", "124", "620"] * 10
    started = time.perf_counter()
    with transaction(db):
        for i in range(structures):
            lat, lon = rng.uniform(43.2, 50.8), rng.uniform(-1.5, 7.5)
            cat = rng.choice(categories)
            extra = {}
            unit = rng.choice(["oui", "non", None])
            if unit:
                extra["Unité protégée"] = unit
            sid = directory_storage.insert_structure(
                db,
                {
                    "kind": "ET",
                    "finess": f"{i:09d}",
                    "name": f"Structure {i}",
                    "category_code": cat,
                    "category_label": cat,
                    "commune_code": f"{i % 30000:05d}",
                    "city": f"Commune {i % 30000}",
                    "departement": f"{(i % 95) + 1:02d}",
                    "lat": lat,
                    "lon": lon,
                    "status": "open" if rng.random() > 0.03 else "closed",
                    "source": "bench",
                },
                extra=extra,
            )
            if cat == "500" and rng.random() < 0.7:
                orientation_storage.set_places(db, sid, "ehpad", rng.randint(0, 5))
    return time.perf_counter() - started


FLOOR_SQL = (
    "SELECT s.id, s.lat, s.lon, s.extra, p.places FROM directory_structures s"
    " LEFT JOIN orientation_places p ON p.directory_id = s.id AND p.offer = 'ehpad'"
    " WHERE s.category_code = '500' AND s.status = 'open'"
    " AND s.lat BETWEEN ? AND ? AND s.lon BETWEEN ? AND ?"
)


def _measure(target: Path | str, plugins, points: list[tuple[float, float]]) -> dict:
    """The ranking of every point on one engine (the SQLite file or the PostgreSQL URL), then its
    floor through the bare driver (sqlite3 or psycopg)."""
    from virage_orientation import matching

    from virage.db import connect

    db = connect(target)
    timings, counts = [], []
    for lat, lon in points:
        req = {
            "offer": "ehpad",
            "module": "grand_age",
            "criteria": ["unite_protegee"],
            "commune_code": "00000",
            "lat": lat,
            "lon": lon,
            "radius_km": 30.0,
        }
        t0 = time.perf_counter()
        ranked = matching.rank(db, plugins, req)
        timings.append(time.perf_counter() - t0)
        counts.append(len(ranked))
    db.close()

    floor = []
    bare = common.Bare(target)
    for lat, lon in points:
        dlat, dlon = 30 / 111.2, 30 / (111.32 * math.cos(math.radians(lat)))
        t0 = time.perf_counter()
        bare.rows(FLOOR_SQL, [lat - dlat, lat + dlat, lon - dlon, lon + dlon])
        floor.append(time.perf_counter() - t0)
    bare.close()
    return {
        "proposals_per_request": {"mean": round(statistics.mean(counts), 1), "max": max(counts)},
        "ranking_ms": percentiles(timings),
        "floor_ms": percentiles(floor),
    }


if __name__ == "__main__":
    sys.exit(main())

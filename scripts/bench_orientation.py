"""Benchmark of orientation matching (not a test).

Builds a synthetic national directory (100,000 establishments by default, fictitious, spread over
mainland France, ~8 % EHPAD) with generated network fields (protected unit oui/non/absent) and
declared places, then measures the ranking of proposals for an EHPAD request with a criterion and a
30 km radius around random points (p50/p95/p99, in ms), and the raw-SQLite floor: the bare
candidate query (category, open, bounding box, places) without distance filter, criteria, scoring
nor hooks. Prints JSON.

    ./scripts/bench-orientation            # 100,000 structures
    ./scripts/bench-orientation --small    # smoke run (a few seconds)
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
    args = parser.parse_args()
    if args.small:
        args.structures, args.queries = 2_000, 30

    signal.signal(signal.SIGTERM, _stop)
    # The database (about 57 MB at full size) lives in a folder removed on every exit.
    with tempfile.TemporaryDirectory(prefix="bench-orientation-") as folder:
        return _run(args, Path(folder))


def _stop(signum, frame):  # SIGTERM: leave through the finally blocks (temporary folder)
    raise SystemExit(128 + signum)


def _run(args, folder: Path) -> int:
    from virage_orientation import matching
    from virage_orientation import storage as orientation_storage

    from virage.app import prepare_database
    from virage.db import transaction
    from virage.directory import storage as directory_storage
    from virage.plugins import PluginHost
    from virage.settings import Settings

    rng = random.Random(args.seed)
    settings = Settings(db_path=folder / "bench.db", docs_dir=None)
    plugins = PluginHost(settings)
    db = prepare_database(settings, plugins)
    categories = ["500"] * 8 + ["354", "460", "209", "207", "202", "255", "437", "124", "620"] * 10
    started = time.perf_counter()
    with transaction(db):
        for i in range(args.structures):
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
    build_s = time.perf_counter() - started

    points = [(rng.uniform(44.0, 50.0), rng.uniform(-0.5, 6.5)) for _ in range(args.queries)]
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

    floor = []
    sql = (
        "SELECT s.id, s.lat, s.lon, s.extra, p.places FROM directory_structures s"
        " LEFT JOIN orientation_places p ON p.directory_id = s.id AND p.offer = 'ehpad'"
        " WHERE s.category_code = '500' AND s.status = 'open'"
        " AND s.lat BETWEEN ? AND ? AND s.lon BETWEEN ? AND ?"
    )
    for lat, lon in points:
        dlat, dlon = 30 / 111.2, 30 / (111.32 * math.cos(math.radians(lat)))
        t0 = time.perf_counter()
        db.execute(sql, [lat - dlat, lat + dlat, lon - dlon, lon + dlon]).fetchall()
        floor.append(time.perf_counter() - t0)
    db.conn.close()

    print(
        json.dumps(
            {
                "benchmark": "orientation ranking (EHPAD, unité protégée, 30 km)",
                "structures": args.structures,
                "queries": args.queries,
                "build_seconds": round(build_s, 1),
                "proposals_per_request": {
                    "mean": round(statistics.mean(counts), 1),
                    "max": max(counts),
                },
                "ranking_ms": percentiles(timings),
                "raw_sqlite_floor_ms": percentiles(floor),
                "python": platform.python_version(),
                "sqlite": __import__("sqlite3").sqlite_version,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

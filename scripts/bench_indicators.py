"""Benchmark of the indicators: a network of 50 structures × 5 years of visits.

Builds (once, in ``.cache/bench-indicators/``) a SQLite network of 50 structures, each with 25
persons visited once a day for five years (about 2.3 million visits, a few cancelled or missed),
then measures:

- the first computation of the monthly aggregates (every structure, 60 months: what a network
  pays once, ``virage indicateurs recalculer``);
- the dashboard of one structure over 60 months and 12 months, and the network's dashboard over
  60 months, as a director and the network administrator request them from a real server
  (uvicorn on 127.0.0.1, HTML with every SVG chart), p50/p95/max over ``--runs`` requests.

Prints JSON (figures, not a test). ``--small`` builds a small network to check the script works.

    ./scripts/bench-indicators            # builds .cache/bench-indicators/full.db once
    ./scripts/bench-indicators --small
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import bench_common as common

ROOT = Path(__file__).resolve().parent.parent

from virage.accounts import service as accounts_service  # noqa: E402
from virage.accounts import storage as accounts_storage  # noqa: E402
from virage.agenda.timeutil import iso, to_utc  # noqa: E402
from virage.app import prepare_database  # noqa: E402
from virage.db import connect  # noqa: E402
from virage.indicators import service  # noqa: E402
from virage.plugins import PluginHost  # noqa: E402
from virage.sdk.testing import SESSION_COOKIE, signed_in  # noqa: E402
from virage.settings import Settings  # noqa: E402

SIZES = {
    "full": {"structures": 50, "persons": 25, "years": 5},
    "small": {"structures": 4, "persons": 6, "years": 1},
}
FIRST = date(2021, 12, 1)
MARKER = "bench-indicators/1"
TIMEOUT = 60


def build(path: Path, size: dict, settings: Settings) -> dict:
    """The network: structures, a director each, the network administrator, visits."""
    path.unlink(missing_ok=True)
    db = prepare_database(settings, PluginHost(settings))
    rng = random.Random(24)
    structures = []
    for s in range(size["structures"]):
        sid = accounts_storage.create_structure(db, f"SSIAD {s + 1:02d}", "SSIAD")
        structures.append(sid)
        for p in range(size["persons"]):
            accounts_storage.create_person(
                db, sid, {"family_name": f"P{s}-{p}", "given_names": "B"}
            )
    accounts_service.create_user(
        db,
        username="directrice",
        display_name="Directrice",
        password=secrets.token_hex(8),
        structure_id=structures[0],
        role="director",
    )
    accounts_service.create_user(
        db,
        username="reseau",
        display_name="Réseau",
        password=secrets.token_hex(8),
        is_network_admin=True,
    )
    persons = {
        sid: [r["id"] for r in db.fetch_all("SELECT id FROM persons WHERE structure_id = ?", [sid])]
        for sid in structures
    }
    db.close()
    raw = sqlite3.connect(path)
    now = datetime.now().isoformat(timespec="seconds")
    days = size["years"] * 365 + 1
    next_id = 1
    for sid in structures:
        rows = []
        for d in range(days):
            day = FIRST + timedelta(days=d)
            for pid in persons[sid]:
                start = to_utc(datetime(day.year, day.month, day.day, 8 + pid % 10, 0))
                status = rng.choices(("done", "cancelled", "missed"), (95, 4, 1))[0]
                rows.append(
                    (
                        next_id,
                        sid,
                        "home_visit",
                        "Soins",
                        pid,
                        "home",
                        iso(start),
                        iso(start + timedelta(minutes=40)),
                        status,
                        now,
                        now,
                    )
                )
                next_id += 1
        raw.executemany(
            "INSERT INTO agenda_appointments (id, structure_id, kind, title, person_id, place,"
            " start_utc, end_utc, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        raw.commit()
    raw.execute("CREATE TABLE IF NOT EXISTS _bench (marker TEXT)")
    raw.execute("INSERT INTO _bench VALUES (?)", [MARKER])
    raw.commit()
    raw.close()
    return {"structures": len(structures), "visits": next_id - 1}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(env: dict):
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "virage.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"Erreur : le serveur s'est arrêté (code {proc.returncode}).")
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("Erreur : le serveur ne répond pas.") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def fetch(url: str, cookie: str) -> tuple[float, int]:
    request = urllib.request.Request(url, headers={"Cookie": f"{SESSION_COOKIE}={cookie}"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        body = response.read()
        if response.status != 200 or b"<svg" not in body:
            raise SystemExit(f"Erreur : {url} a répondu {response.status} sans graphique.")
    return time.perf_counter() - started, len(body)


def measure(urls: list[str], cookie: str, runs: int) -> dict:
    """Each run asks another period (``urls`` in turn): charts are drawn anew, never cached."""
    fetch(urls[-1], cookie)  # warm-up (imports, connections)
    samples, size = [], 0
    for i in range(runs):
        elapsed, size = fetch(urls[i % len(urls)], cookie)
        samples.append(elapsed)
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "runs": runs,
        "html_kb": round(size / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=20, choices=range(1, 501), metavar="N")
    args = parser.parse_args()
    common.keep_sqlite_side_on_sqlite()
    size_name = "small" if args.small else "full"
    size = SIZES[size_name]
    path = args.db or ROOT / ".cache" / "bench-indicators" / f"{size_name}.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(16)
    settings = Settings(db_path=path, docs_dir=None, secret_key=secret)
    out: dict = {"size": size_name, **size}
    built = False
    try:
        check = sqlite3.connect(path)
        built = check.execute("SELECT marker FROM _bench").fetchone()[0] == MARKER
        check.close()
    except (sqlite3.Error, TypeError):
        built = False
    if not built:
        started = time.perf_counter()
        out["dataset"] = build(path, size, settings)
        out["build_s"] = round(time.perf_counter() - started, 1)
    db = connect(path)
    plugins = PluginHost(settings)
    last = FIRST + timedelta(days=size["years"] * 365 - 1)
    first_month, last_month = "2021-12", f"{last.year:04d}-{last.month:02d}"
    from virage.indicators.model import month_list

    months = month_list(first_month, last_month)[-60:]
    ids = service.structure_ids(db)
    started = time.perf_counter()
    for sid in ids:
        service.refresh(db, plugins, sid, months, everything=True)
    out["aggregates_first_computation_s"] = round(time.perf_counter() - started, 1)
    out["months"] = len(months)
    director = signed_in(db, "directrice")
    network = signed_in(db, "reseau")
    db.close()
    env = {**os.environ, "VIRAGE_DB": str(path), "VIRAGE_SECRET_KEY": secret, "VIRAGE_DOCS_DIR": ""}
    sid = ids[0]
    # Periods ending at different months (the same length): no request repeats another.
    ends = list(range(len(months) - 1, max(len(months) // 2, 11) - 1, -1))[: args.runs]
    with server(env) as url:

        def spans(length: int) -> list[str]:
            return [f"debut={months[max(0, e - length + 1)]}&fin={months[e]}" for e in ends]

        out["structure_dashboard_60_months"] = measure(
            [f"{url}/indicateurs/structures/{sid}?{q}" for q in spans(60)], director, args.runs
        )
        out["structure_dashboard_12_months"] = measure(
            [f"{url}/indicateurs/structures/{sid}?{q}" for q in spans(12)], director, args.runs
        )
        out["network_dashboard_60_months"] = measure(
            [f"{url}/indicateurs/reseau?{q}" for q in spans(60)], network, args.runs
        )
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

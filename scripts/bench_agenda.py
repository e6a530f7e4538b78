"""Benchmark of the shared agenda on a structure-year of data.

Full size: 200 professionals, 2,000 persons, two daily visits each for a year (about 1.46 million
materialised occurrences). Measures, server-side, through the same functions the web pages and
the API call (access decisions and audit entries included):

- "ma journée" of a field worker (a random day, a random worker);
- the team week view of a coordinator (a team of 10 professionals);
- the free-slot search of the secretariat for a team-week (10 professionals, 7 days);

each with p50/p95/p99, next to the raw floor (the bare index scans through ``sqlite3``, no
Python shaping). With ``--postgres URL`` the same dataset is copied to PostgreSQL (``virage db
copy``, verified) and measured there too, in the same run, next to its raw ``psycopg`` floor: the
JSON gains a ``postgresql`` section and ``side_by_side`` (p50/p95/p99 per query and engine, ratio
to the floor). Prints JSON (the table also on stderr). ``--small`` builds a small dataset to check
the script works (no timing meaning).

    ./scripts/bench-agenda            # builds .cache/bench-agenda/full.db once (a few minutes)
    ./scripts/bench-agenda --small
    ./scripts/bench-agenda --postgres postgresql://virage@127.0.0.1/bench   # both engines
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import sqlite3
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import bench_common as common

ROOT = Path(__file__).resolve().parent.parent

from virage.accounts import service as accounts_service  # noqa: E402
from virage.accounts import storage as accounts_storage  # noqa: E402
from virage.accounts.context import AccessContext  # noqa: E402
from virage.agenda import service, storage  # noqa: E402
from virage.agenda.kinds import registry  # noqa: E402
from virage.agenda.timeutil import MAX_DURATION, day_bounds, iso, today_paris, week_start  # noqa: E402
from virage.app import build_registry, prepare_database  # noqa: E402
from virage.db import connect, transaction  # noqa: E402
from virage.plugins import PluginHost  # noqa: E402
from virage.settings import Settings  # noqa: E402
from virage.system import storage as system_storage  # noqa: E402

SIZES = {
    "full": {"professionals": 200, "persons": 2000, "days": 365, "team": 10},
    "small": {"professionals": 20, "persons": 200, "days": 42, "team": 10},
}
MARKER = "bench-agenda/2"


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 3)

    return {
        "p50_ms": pick(0.50),
        "p95_ms": pick(0.95),
        "p99_ms": pick(0.99),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 3),
        "runs": len(ordered),
    }


def timed(fn, runs: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


# --------------------------------------------------------------------------- dataset


def build(path: Path, size: dict, seed: int) -> dict:
    """Create the structure-year (reused when the file already holds the same dataset)."""
    if path.exists():
        conn = sqlite3.connect(path)
        try:
            row = conn.execute("SELECT value FROM instance WHERE key = 'bench'").fetchone()
        except sqlite3.Error:
            row = None
        conn.close()
        if row and row[0] == json.dumps({"marker": MARKER, **size, "seed": seed}):
            return {"reused": True, "seconds": 0.0}
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    settings = Settings(db_path=path, docs_dir=None, secret_key="bench")
    plugins = PluginHost(settings)
    db = prepare_database(settings, plugins)
    db.execute("PRAGMA synchronous = OFF")  # building only: measured runs use the normal settings
    kinds = registry(plugins)
    rng = random.Random(seed)
    first = week_start(today_paris()) - timedelta(days=size["days"] // 2)
    first -= timedelta(days=first.weekday())
    until = (first + timedelta(days=size["days"] - 1)).strftime("%Y%m%d")
    with transaction(db):
        sid = accounts_storage.create_structure(db, "SSIAD du banc d'essai", "SSIAD")
        pros = []
        for i in range(size["professionals"]):
            uid = accounts_storage.create_user(
                db,
                username=f"pro{i:03d}",
                display_name=f"Professionnel {i:03d}",
                password_hash="bench: no log-in",
            )
            accounts_storage.add_membership(db, uid, sid, "care_assistant")
            storage.replace_working_hours(
                db,
                uid,
                [(d, "07:00", "13:00") for d in range(7)]
                + [(d, "16:30", "20:30") for d in range(7)],
                None,
            )
            pros.append(uid)
        coordinator = accounts_storage.create_user(
            db, username="coordination", display_name="Coordination", password_hash="-"
        )
        accounts_storage.add_membership(db, coordinator, sid, "coordinator")
        secretary = accounts_storage.create_user(
            db, username="secretariat", display_name="Secrétariat", password_hash="-"
        )
        accounts_storage.add_membership(db, secretary, sid, "secretariat")
        teams = []
        for t in range(0, len(pros), size["team"]):
            team = storage.create_team(db, sid, f"Secteur {t // size['team'] + 1}")
            storage.set_team_members(db, team, pros[t : t + size["team"]])
            teams.append(team)
        per_pro = size["persons"] // size["professionals"]
        occurrences = 0
        for p in range(size["persons"]):
            owner = pros[p // per_pro]
            backup = pros[(p // per_pro + 1) % len(pros)]
            person = accounts_storage.create_person(
                db,
                sid,
                {
                    "family_name": f"Personne{p:04d}",
                    "given_names": rng.choice(["Jeanne", "Marcel", "Simone", "René"]),
                    "address": f"{rng.randint(1, 40)} rue des Écoles",
                    "postcode": "39600",
                    "city": rng.choice(["Loue-la-Vallée", "Saint-Aubin-sur-Loue", "Montigny"]),
                    "health_notes": "",
                },
            )
            accounts_storage.add_to_care_team(db, person, owner, coordinator)
            accounts_storage.add_to_care_team(db, person, backup, coordinator)
            rank = p % per_pro
            morning = datetime.combine(first, datetime.min.time()) + timedelta(
                hours=7, minutes=30 * rank
            )
            evening = datetime.combine(first, datetime.min.time()) + timedelta(
                hours=17, minutes=20 * rank
            )
            for start, minutes, title, bring in (
                (morning, 25, "Toilette et aide au lever", "Gants, kit toilette"),
                (evening, 15, "Aide au coucher", ""),
            ):
                _sid, count = service.seed_series(
                    db,
                    kinds,
                    structure_id=sid,
                    kind="home_visit",
                    title=title,
                    professional_ids=[owner],
                    dtstart_local=start,
                    duration_minutes=minutes,
                    rrule=f"FREQ=DAILY;UNTIL={until}",
                    person_id=person,
                    to_bring=bring,
                    notes="Surveiller l'appétit" if rank % 3 == 0 else "",
                    created_by=coordinator,
                )
                occurrences += count
        system_storage.set_instance_info(
            db, "bench", json.dumps({"marker": MARKER, **size, "seed": seed})
        )
    db.execute("ANALYZE")
    db.close()
    return {
        "reused": False,
        "seconds": round(time.perf_counter() - started, 1),
        "occurrences": occurrences,
    }


# --------------------------------------------------------------------------- measures


def measure(target: Path | str, size: dict, runs: int, seed: int) -> dict:
    """The queries on one engine: ``target`` is the SQLite file or the PostgreSQL URL. The same
    seed gives both engines the same sequence of workers, days and teams."""
    settings = _settings(target)
    plugins = PluginHost(settings)
    registry_ = build_registry(plugins)
    db = connect(target)  # SQLite: WAL, synchronous=FULL, as the application runs
    rng = random.Random(seed + 1)
    sid = accounts_storage.find_structure(db, "SSIAD du banc d'essai")["id"]
    members = accounts_storage.members_of(db, sid)
    pros = [m["id"] for m in members if m["role"] == "care_assistant"]
    users = {m["role"]: m for m in members if m["role"] in ("coordinator", "secretariat")}
    teams = storage.teams_of_structure(db, sid)
    (first_iso,) = db.execute(
        "SELECT min(start_utc) FROM agenda_appointments WHERE structure_id = ?", [sid]
    ).fetchone()
    first = datetime.fromisoformat(first_iso).date() + timedelta(days=1)
    days = [first + timedelta(days=d) for d in range(size["days"] - 9)]

    def access_for(user_id: int) -> AccessContext:
        user = accounts_storage.get_user(db, user_id)
        actor = accounts_service.actor_for_user(db, user, via="session")
        return AccessContext(db, registry_, actor, route="bench")

    pro_access = {uid: access_for(uid) for uid in pros}
    coordination = access_for(users["coordinator"]["id"])
    secretariat = access_for(users["secretariat"]["id"])
    raw = common.Bare(target, structures=str(sid))
    floor = "raw_psycopg" if db.dialect == "postgresql" else "raw_sqlite"
    results: dict[str, dict] = {}
    checks: dict[str, int] = {}

    # ma journée -------------------------------------------------------------
    def day_call():
        uid = rng.choice(pros)
        with common.acting_as(pro_access[uid].actor):
            rows = service.my_day(pro_access[uid], plugins, rng.choice(days))
        checks["ma_journee_rows"] = len(rows)

    def day_raw():
        uid = rng.choice(pros)
        start, end = day_bounds(rng.choice(days))
        raw.rows(
            "SELECT a.*, p.family_name, p.given_names, p.address, p.city FROM agenda_attendees t"
            " JOIN agenda_appointments a ON a.id = t.appointment_id"
            " LEFT JOIN persons p ON p.id = a.person_id"
            " WHERE t.user_id = ? AND t.start_utc >= ? AND t.start_utc < ? AND t.end_utc > ?"
            " ORDER BY t.start_utc",
            [uid, iso(start - MAX_DURATION), iso(end), iso(start)],
        )

    results["ma_journee"] = {
        **percentiles(timed(day_call, runs)),
        floor: percentiles(timed(day_raw, runs)),
    }

    # team week --------------------------------------------------------------
    week_starts = sorted({week_start(d) for d in days})[1:-1] or [week_start(days[0])]

    def week_call():
        team = rng.choice(teams)
        with common.acting_as(coordination.actor):
            data = service.week(
                coordination, plugins, sid, rng.choice(week_starts), team_id=team["id"]
            )
        checks["team_week_rows"] = len(data["appointments"])

    def week_raw():
        team = rng.choice(teams)
        start = day_bounds(rng.choice(week_starts))[0]
        end = start + timedelta(days=7)
        for uid in team["member_ids"]:
            raw.rows(
                "SELECT t.user_id, a.* FROM agenda_attendees t"
                " JOIN agenda_appointments a ON a.id = t.appointment_id"
                " WHERE t.user_id = ? AND t.start_utc >= ? AND t.start_utc < ? AND t.end_utc > ?"
                " ORDER BY t.start_utc",
                [uid, iso(start - MAX_DURATION), iso(end), iso(start)],
            )

    results["team_week"] = {
        **percentiles(timed(week_call, max(20, runs // 2))),
        floor: percentiles(timed(week_raw, max(20, runs // 2))),
    }

    # free slots for a team-week (the secretariat searches weeks to come) ----------
    future_weeks = [w for w in week_starts if w > today_paris()] or week_starts[-1:]

    def slots_call():
        team = rng.choice(teams)
        monday = rng.choice(future_weeks)
        with common.acting_as(secretariat.actor):
            found = service.search_free_slots(
                secretariat,
                plugins,
                sid,
                first_day=monday,
                last_day=monday + timedelta(days=6),
                day_start=datetime.strptime("07:00", "%H:%M").time(),
                day_end=datetime.strptime("20:00", "%H:%M").time(),
                duration_minutes=30,
                team_id=team["id"],
                limit=None,
            )
        checks["free_slots_found"] = len(found)

    def slots_raw():
        team = rng.choice(teams)
        start = day_bounds(rng.choice(future_weeks))[0]
        end = start + timedelta(days=7)
        for uid in team["member_ids"]:
            raw.rows(
                "SELECT user_id, start_utc, end_utc FROM agenda_attendees WHERE user_id = ?"
                " AND start_utc >= ? AND start_utc < ? AND end_utc > ? AND busy = 1",
                [uid, iso(start - MAX_DURATION), iso(end), iso(start)],
            )

    results["free_slots_team_week"] = {
        **percentiles(timed(slots_call, max(20, runs // 2))),
        floor: percentiles(timed(slots_raw, max(20, runs // 2))),
    }

    # the same "ma journée" through HTTP (routing, template, HTML), as the phone receives it
    results["ma_journee_http"] = _http(target, settings, days, pros, runs, rng)

    dataset = {
        "professionals": len(pros),
        "persons": db.execute(
            "SELECT count(*) FROM persons WHERE structure_id = ?", [sid]
        ).fetchone()[0],
        "occurrences": db.execute("SELECT count(*) FROM agenda_appointments").fetchone()[0],
        "series": db.execute("SELECT count(*) FROM agenda_series").fetchone()[0],
        "days": size["days"],
        "team_size": size["team"],
        "database_mb": common.database_mb(db, target),
    }
    raw.close()
    db.close()
    return {"dataset": dataset, "results": results, "checks": checks}


def _settings(target: Path | str) -> Settings:
    if isinstance(target, str):
        return Settings(db_url=target, docs_dir=None, secret_key="bench")
    return Settings(db_path=target, docs_dir=None, secret_key="bench")


def _http(
    target: Path | str, settings: Settings, days: list[date], pros: list[int], runs: int, rng
) -> dict:
    """Server-side time of GET /agenda/ma-journee (HTML), through the ASGI application."""
    from litestar.testing import TestClient

    from virage.accounts import notice_storage
    from virage.accounts import service as accounts_service
    from virage.accounts.notice import NOTICE_VERSION
    from virage.app import create_app

    app = create_app(settings)
    db = connect(target)
    sessions = {}
    for uid in rng.sample(pros, min(20, len(pros))):
        token = secrets.token_urlsafe(16)
        accounts_storage.create_session(
            db, accounts_service.hash_secret(token), uid, datetime.now(UTC) + timedelta(hours=2)
        )
        sessions[uid] = token
        # a worker who has read the first-use notice (otherwise every page leads to it)
        notice_storage.acknowledge(db, uid, NOTICE_VERSION, datetime.now(UTC).isoformat(), [])
    db.close()
    durations: list[float] = []
    sizes: list[int] = []

    with TestClient(app) as client:

        async def timing(scope, receive, send):  # wraps the app to time the server side only
            start = time.perf_counter()
            await inner(scope, receive, send)
            if scope["type"] == "http":
                durations.append(time.perf_counter() - start)

        inner = client.app
        client.app = timing
        for i in range(runs + 5):
            uid = rng.choice(list(sessions))
            r = client.get(
                f"/agenda/ma-journee?jour={rng.choice(days).isoformat()}",
                cookies={"virage_session": sessions[uid]},
                follow_redirects=False,  # measure the page itself, never where it sends
            )
            assert r.status_code == 200, f"{r.status_code} {r.headers.get('location', '')}"
            if i >= 5:
                sizes.append(len(r.content))
        client.app = inner
    out = percentiles(durations[5:])
    out["html_kb_median"] = round(statistics.median(sizes) / 1024, 1)
    return out


def side_by_side(engines: dict[str, dict]) -> dict:
    """p50/p95/p99 of each query per engine, with the ratio to that engine's raw floor."""
    table: dict[str, dict] = {}
    for engine, report in engines.items():
        for name, figures in report["results"].items():
            floor = figures.get("raw_sqlite", figures.get("raw_psycopg"))
            table.setdefault(name, {})[engine] = common.summary(figures, floor)
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="small dataset (smoke test)")
    parser.add_argument("--db", type=Path, default=None, help="database file (reused if present)")
    parser.add_argument("--runs", type=int, default=None, help="measured runs per query")
    parser.add_argument("--seed", type=int, default=2026)
    common.add_postgres_option(parser)
    args = parser.parse_args()
    common.check_postgres_option(parser, args.postgres)
    common.keep_sqlite_side_on_sqlite()
    name = "small" if args.small else "full"
    size = SIZES[name]
    path = args.db or ROOT / ".cache" / "bench-agenda" / f"{name}.db"
    runs = args.runs or (30 if args.small else 300)
    os.environ.setdefault("VIRAGE_DOCS_DIR", "")
    built = build(path, size, args.seed)
    report = measure(path, size, runs, args.seed)
    engines = {"sqlite": report}
    if args.postgres:
        plugins = PluginHost(_settings(path))
        copied = common.copy_to_postgres(path, args.postgres, plugins)
        report["postgresql"] = {"copy": copied, **measure(args.postgres, size, runs, args.seed)}
        engines["postgresql"] = report["postgresql"]
    report["side_by_side"] = side_by_side(engines)
    common.print_side_by_side(report["side_by_side"])
    report.update(
        {
            "benchmark": "agenda",
            "size": name,
            "build": built,
            "targets": {"ma_journee_p95_ms": 10, "free_slots_team_week_p95_ms": 50},
            "machine": {
                "python": platform.python_version(),
                **common.engine_versions(args.postgres),
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
            },
        }
    )
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the transmissions on five years of a 50-structure network.

Full size: 50 structures, 5 years, about 55 transmissions a day per structure (about 5 million
transmissions, 5 million acknowledgements, the full-text index), 200 persons followed per
structure over the period (60 still followed today), 8 nurses and 12 care assistants each. One
nurse of the first structure is in the care team of 40 persons followed today.

Measured server-side, through the same functions the web pages and the API call (access
decisions, audit entries written durably, results and acknowledgements attached):

- a person's timeline (the 50 newest transmissions, with results and acknowledgements);
- "depuis ma dernière prise de poste" for the nurse with 40 persons (her last post taken 16 hours
  before the newest transmission; urgent first; each person's read audited);
- the scoped full-text search: the nurse (40 persons) and a coordinator (a whole structure),
  accent-insensitive, on common words;
- the coordinator's list of urgent transmissions nobody has read;
- for information (not in the target): a two-word search, and a word start typed with ``*``
  (the index merges every indexed word with that start: slower by design, hence opt-in);

each with p50/p95/p99, next to the raw floor of the engine (``raw_sqlite`` or ``raw_postgresql``:
the same SQL on a bare driver connection, without access checks, audit or Python shaping). Prints
JSON. ``--small`` builds a small dataset to check that the script works (no timing meaning).
``--scale 0.2`` builds a fifth of the full network.

Either engine: ``--db PATH`` (SQLite, the default under ``.cache/bench-transmissions``) or
``--db postgresql://user@host/base`` (an empty database or schema, or one this script built: it
refuses to empty one holding anything else).

    ./scripts/bench-transmissions            # builds .cache/bench-transmissions/full.db once
    ./scripts/bench-transmissions --small
    ./scripts/bench-transmissions --small --db postgresql://virage@localhost/virage_bench
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from virage.accounts import service as accounts_service  # noqa: E402
from virage.accounts import storage as accounts_storage  # noqa: E402
from virage.accounts.context import AccessContext  # noqa: E402
from virage.app import build_registry, prepare_database  # noqa: E402
from virage.db import connect, is_postgres_url, resolve  # noqa: E402
from virage.plugins import PluginHost  # noqa: E402
from virage.settings import Settings  # noqa: E402
from virage.system import storage as system_storage  # noqa: E402
from virage.transmissions import service, storage  # noqa: E402
from virage.transmissions.targets import CORE_TARGETS  # noqa: E402

MARKER = "bench-transmissions/1"
FULL = {
    "structures": 50,
    "days": 5 * 365,
    "per_day": 55,  # transmissions a day per structure
    "persons": 200,  # per structure, over the period
    "current": 60,  # per structure, still followed today
    "nurses": 8,
    "carers": 12,
    "nurse_persons": 40,
}
SMALL = {
    "structures": 3,
    "days": 60,
    "per_day": 30,
    "persons": 50,
    "current": 45,
    "nurses": 3,
    "carers": 4,
    "nurse_persons": 40,
}
TARGET_P95_MS = 20.0
SEARCH_WORDS = ["douleur", "chute", "hematome", "repas", "oedeme", "fievre", "escarre", "toux"]

# Vocabulary for plausible texts (fictitious); each target has its own sentences.
PHRASES = {
    "douleur": [
        "Douleur {n}/10 au genou droit à la mobilisation.",
        "Se plaint de douleurs lombaires depuis hier soir.",
        "Douleur abdominale diffuse, pas de vomissement.",
        "Antalgique donné selon la prescription, réévaluation à {n} h.",
    ],
    "chute": [
        "Retrouvée au sol dans la cuisine, consciente.",
        "Chute sans perte de connaissance, hématome au front.",
        "Glissade en sortant de la douche, relevée à deux.",
        "Pas de douleur à la mobilisation après la chute.",
    ],
    "alimentation": [
        "Repas du midi pris à moitié, dit ne pas avoir faim.",
        "A bu {n} verres d'eau dans la matinée.",
        "Compléments oraux pris au goûter.",
        "Perte d'appétit, pesée à {n} kg.",
    ],
    "comportement": [
        "Agitée en fin de journée, cherche son mari.",
        "Calme et souriante, a parlé de sa jeunesse.",
        "Désorientation la nuit, réassurance efficace.",
        "Refus de soin ce matin, accepté après discussion.",
    ],
    "peau": [
        "Rougeur au talon gauche, escarre stade 1.",
        "Pansement refait, plaie propre de {n} cm.",
        "Œdème des chevilles, jambes surélevées.",
        "Peau sèche, crème hydratante appliquée.",
    ],
    "traitement": [
        "Pilulier préparé pour la semaine.",
        "Oubli du traitement du soir retrouvé dans le pilulier.",
        "Insuline faite à {n} unités selon la prescription.",
        "Collyre posé, pas de gêne.",
    ],
    "elimination": [
        "Urines foncées, hydratation encouragée.",
        "Pas de selles depuis {n} jours, médecin prévenu.",
        "Change complet fait, peau intègre.",
    ],
    "sommeil": [
        "Nuit calme, réveillée une fois.",
        "Insomnie, a regardé la télévision jusqu'à {n} h.",
        "Dort dans le fauteuil, installée au lit.",
    ],
    "hygiene": [
        "Toilette au lavabo faite en partie seule.",
        "Douche faite avec aide, fatigue en fin de soin.",
        "Rasage fait, ongles coupés.",
    ],
    "mobilite": [
        "Marche avec le déambulateur jusqu'au salon.",
        "Transferts difficiles, lève-personne utilisé.",
        "Kinésithérapie : progrès à la marche.",
    ],
    "liaison": [
        "Appel du médecin traitant : INR à {n}.",
        "Compte rendu de consultation reçu, traitement modifié.",
        "Toux et fièvre à 38,{n}, médecin prévenu.",
    ],
    "entourage": [
        "La fille signale son épuisement.",
        "Visite du fils, inquiet pour la maison.",
        "Voisine présente, aide pour les courses.",
    ],
    "social": [
        "Dossier d'aide au logement à compléter.",
        "Demande de portage de repas faite.",
        "Difficultés financières évoquées, assistante sociale prévenue.",
    ],
    "administratif": [
        "Renouvellement de l'APA à déposer.",
        "Carte vitale à mettre à jour.",
        "Prescription à renouveler avant la fin du mois.",
    ],
}
ACTIONS = [
    "Infirmière prévenue.",
    "Fille prévenue par téléphone.",
    "Surveillance renforcée ce soir.",
    "Installation au fauteuil, sonnette à portée.",
    "Hydratation proposée.",
    "Transmis à la coordination.",
    "",
]
CATEGORY = {t.code: t.category for t in CORE_TARGETS}
TARGETS = list(PHRASES)
TARGET_WEIGHTS = [8, 3, 8, 5, 6, 6, 4, 4, 8, 5, 3, 3, 2, 2]


def iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 3)

    return {
        "n": len(ordered),
        "p50_ms": pick(0.50),
        "p95_ms": pick(0.95),
        "p99_ms": pick(0.99),
        "max_ms": round(ordered[-1] * 1000, 3),
    }


def timed(call, runs: int) -> list[float]:
    for _ in range(min(5, runs)):  # warm the cache
        call()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        out.append(time.perf_counter() - start)
    return out


# --------------------------------------------------------------------------- the two engines


def settings_for(target: Path | str) -> Settings:
    if is_postgres_url(target):
        return Settings(db_url=str(target), docs_dir=None)
    return Settings(db_path=Path(target), docs_dir=None)


def engine_of(target: Path | str) -> str:
    """``"postgresql"`` or ``"sqlite"``: where ``target`` really is (the test suite's PostgreSQL
    pass turns a path into a schema of its own: see ``virage.db.resolve``)."""
    return "postgresql" if isinstance(resolve(target), str) else "sqlite"


def _pg_connect(url: str):
    """A bare psycopg connection acting as the system (it sees every structure's rows: the
    row-level security policies read ``virage.structures``)."""
    import psycopg

    conn = psycopg.connect(url, autocommit=True)
    conn.execute("SELECT set_config('virage.structures', 'all', false)")
    return conn


class _Plain:
    """A bare driver connection (sqlite3, or psycopg) with the ``execute`` / ``fetch_all`` /
    ``fetch_one`` the storage functions use: their SQL, without the seam (the raw floor)."""

    def __init__(self, target: Path | str) -> None:
        where = resolve(target)
        self.dialect = "postgresql" if isinstance(where, str) else "sqlite"
        if self.dialect == "postgresql":
            from virage.db_postgres import to_format_style

            self.conn = _pg_connect(where)
            self._sql = to_format_style
        else:
            self.conn = sqlite3.connect(where, isolation_level=None)
            self._sql = str

    def execute(self, sql, params=()):
        params = list(params)
        if self.dialect == "postgresql" and not params:
            return self.conn.execute(sql)
        return self.conn.execute(self._sql(sql), params)

    def fetch_all(self, sql, params=()):
        cur = self.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def fetch_one(self, sql, params=()):
        rows = self.fetch_all(sql, params)
        return rows[0] if rows else None

    def close(self) -> None:
        self.conn.close()


class _Bulk(_Plain):
    """The dataset's writer: SQLite without journal (rebuilt if interrupted), PostgreSQL through
    ``COPY``. Indexes are dropped during the load and rebuilt once at the end (faster than row by
    row); the integrity triggers stay on."""

    def __init__(self, target: Path | str) -> None:
        super().__init__(target)
        if self.dialect == "sqlite":
            for pragma in (
                "journal_mode = OFF",
                "synchronous = OFF",
                "cache_size = -1000000",
                "temp_store = MEMORY",
            ):
                self.conn.execute(f"PRAGMA {pragma}")

    def begin(self) -> None:
        self.conn.execute("BEGIN")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def insert_id(self, sql: str, params) -> int:
        return self.execute(f"{sql} RETURNING id", params).fetchall()[0][0]

    def many(self, table: str, columns, rows) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        if self.dialect == "sqlite":
            self.conn.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
                " ON CONFLICT DO NOTHING",
                rows,
            )
            return
        # COPY into a table under row-level security is refused: copy into a temporary table
        # of the same columns, then insert from it (the policies check every row).
        stage = f"stage_{table}"
        self.conn.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {stage} AS SELECT {names} FROM {table} WITH NO DATA"
        )
        with self.conn.cursor() as cur, cur.copy(f"COPY {stage} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        self.conn.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage}")
        self.conn.execute(f"TRUNCATE {stage}")

    def drop_indexes(self) -> list[tuple[str, str, str]]:
        """Drop the transmissions' secondary indexes (and, on SQLite, the full-text triggers);
        what was dropped, to :meth:`rebuild`."""
        if self.dialect == "sqlite":
            saved = self.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN"
                " ('transmissions', 'transmissions_acks') AND (type = 'index' OR name LIKE"
                " 'transmissions_fts_%')"
            ).fetchall()
        else:  # constraints' indexes (keys, unique client ids) stay
            saved = self.execute(
                "SELECT 'index', indexname, indexdef FROM pg_indexes i"
                " WHERE schemaname = current_schema()"
                " AND tablename IN ('transmissions', 'transmissions_acks') AND NOT EXISTS"
                " (SELECT 1 FROM pg_constraint c WHERE c.conindid ="
                "  format('%I.%I', i.schemaname, i.indexname)::regclass)"
            ).fetchall()
        for kind, name, _sql in saved:
            self.conn.execute(f'DROP {kind.upper()} "{name}"')
        return saved

    def rebuild(self, saved, log) -> None:
        t1 = time.perf_counter()
        for kind, _name, sql in saved:
            if kind == "index":
                self.conn.execute(sql)
        log(f"  indexes rebuilt in {time.perf_counter() - t1:.0f} s")
        if self.dialect == "postgresql":  # the search column is generated: its GIN index is above
            for table in LOADED:
                self.conn.execute(f"VACUUM (ANALYZE) {table}")
            return
        t2 = time.perf_counter()
        body = storage.FTS_BODY.format(row="t")
        scope = storage.FTS_SCOPE.format(row="t")
        self.conn.execute(
            "INSERT INTO transmissions_fts (rowid, target, body, scope)"
            f" SELECT t.id, t.target, {body}, {scope} FROM transmissions t ORDER BY t.id"
        )
        self.conn.execute("INSERT INTO transmissions_fts (transmissions_fts) VALUES ('optimize')")
        for kind, _name, sql in saved:
            if kind == "trigger":
                self.conn.execute(sql)
        log(f"  full-text index built in {time.perf_counter() - t2:.0f} s")
        self.conn.execute("ANALYZE")
        self.conn.execute("PRAGMA journal_mode = WAL")


#: The tables the dataset fills.
LOADED = (
    "structures",
    "users",
    "memberships",
    "persons",
    "care_team",
    "transmissions",
    "transmissions_acks",
)


def _pg_tables(conn) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
    ]


def _pg_marker(conn) -> dict[str, str]:
    if "instance" not in _pg_tables(conn):
        return {}
    return dict(conn.execute("SELECT key, value FROM instance").fetchall())


def empty(target: Path | str) -> None:
    """Make room for a new dataset: the SQLite files, or the PostgreSQL schema's content (only
    when it is empty already or holds a dataset of this script: never someone's data)."""
    where = resolve(target)
    if not isinstance(where, str):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{where}{suffix}").unlink(missing_ok=True)
        return
    conn = _pg_connect(where)
    try:
        schema = conn.execute("SELECT current_schema()").fetchone()[0]
        if schema is None:
            raise SystemExit(f"{target}: no schema to build in (check the search_path).")
        if not _pg_tables(conn):
            return
        if _pg_marker(conn).get("bench") != MARKER:
            raise SystemExit(
                f"{target}: this PostgreSQL database (schema {schema}) holds tables that are not "
                "this benchmark's. Give it an empty database or schema."
            )
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')
    finally:
        conn.close()


def _existing(target: Path | str, size: dict) -> bool:
    where = resolve(target)
    if isinstance(where, str):
        conn = _pg_connect(where)
        try:
            rows = _pg_marker(conn)
        finally:
            conn.close()
    else:
        if not where.exists():
            return False
        try:
            conn = sqlite3.connect(f"file:{where}?mode=ro", uri=True)
            rows = dict(conn.execute("SELECT key, value FROM instance").fetchall())
            conn.close()
        except sqlite3.Error:
            return False
    return rows.get("bench") == MARKER and rows.get("bench_size") == json.dumps(
        size, sort_keys=True
    )


def database_facts(target: Path | str) -> dict:
    """Size on disk and engine version."""
    where = resolve(target)
    if not isinstance(where, str):
        return {
            "database_mb": round(
                sum(
                    Path(f"{where}{s}").stat().st_size
                    for s in ("", "-wal")
                    if Path(f"{where}{s}").exists()
                )
                / 1e6,
                1,
            ),
            "engine_version": sqlite3.sqlite_version,
        }
    conn = _pg_connect(where)
    try:
        (size,) = conn.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
            " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'"
        ).fetchone()
        (version,) = conn.execute("SHOW server_version").fetchone()
    finally:
        conn.close()
    return {"database_mb": round(int(size) / 1e6, 1), "engine_version": version}


# --------------------------------------------------------------------------- generation


def _texts(rng: random.Random) -> dict[str, list[str]]:
    pool = {}
    for target, phrases in PHRASES.items():
        texts = []
        for _ in range(200):
            chosen = rng.sample(phrases, k=min(len(phrases), rng.randint(1, 3)))
            texts.append(" ".join(p.format(n=rng.randint(1, 9)) for p in chosen))
        pool[target] = texts
    return pool


def generate(dest: Path | str, size: dict, seed: int, log) -> dict:
    """Build the dataset with the application's own migrations, then bulk-load it."""
    empty(dest)
    settings = settings_for(dest)
    db = prepare_database(settings, PluginHost(settings))
    # This script's database from now on (an interrupted build is rebuilt, never refused);
    # complete once its size is recorded, at the end.
    system_storage.set_instance_info(db, "bench", MARKER)
    db.close()
    rng = random.Random(seed)
    conn = _Bulk(dest)
    saved = conn.drop_indexes()
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=2)
    start_day = now - timedelta(days=size["days"])
    conn.begin()
    now_s = iso(now)
    password = "bench-sans-mot-de-passe"  # never used to log in
    structures, nurses, carers, coordinators, persons = [], {}, {}, {}, {}
    user_labels: dict[int, str] = {}
    for s in range(size["structures"]):
        sid = conn.insert_id(
            "INSERT INTO structures (name, kind, created_at) VALUES (?, 'SSIAD', ?)",
            [f"SSIAD bench {s + 1}", now_s],
        )
        structures.append(sid)

        def user(name, role, profession, sid=sid):
            uid = conn.insert_id(
                "INSERT INTO users (username, display_name, profession, password_hash, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [f"{name}.{sid}", f"{name.title()} {sid}", profession, password, now_s],
            )
            conn.execute(
                "INSERT INTO memberships (user_id, structure_id, role, created_at) VALUES (?, ?, ?, ?)",
                [uid, sid, role, now_s],
            )
            user_labels[uid] = f"{name.title()} {sid}, {profession}"
            return uid

        coordinators[sid] = user("coordination", "coordinator", "IDEC")
        nurses[sid] = [user(f"infirmiere{i}", "nurse", "Infirmière") for i in range(size["nurses"])]
        carers[sid] = [
            user(f"aidesoignant{i}", "care_assistant", "Aide-soignant")
            for i in range(size["carers"])
        ]
        persons[sid] = []
        for i in range(size["persons"]):
            current = i < size["current"]
            span = rng.randint(90, max(91, size["days"] - 1))
            if current:
                end, begin = size["days"], max(0, size["days"] - span)
            else:
                end = rng.randint(30, size["days"] - 1)
                begin = max(0, end - span)
            pid = conn.insert_id(
                "INSERT INTO persons (structure_id, family_name, given_names, status, created_at,"
                " updated_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    sid,
                    f"Personne{i}",
                    "Bench",
                    "active" if current else "closed",
                    now_s,
                    now_s,
                    None if current else iso(start_day + timedelta(days=end)),
                ],
            )
            team = rng.sample(nurses[sid], 2) + rng.sample(carers[sid], 2)
            persons[sid].append((pid, begin, end, team))
    # The benchmark's nurse: first nurse of the first structure, in 40 current care teams.
    bench_nurse = nurses[structures[0]][0]
    current_first = [p for p in persons[structures[0]] if p[2] == size["days"]]
    others = [n for n in nurses[structures[0]] if n != bench_nurse]
    for k, (_pid, _begin, _end, team) in enumerate(current_first):
        if k < size["nurse_persons"] and bench_nurse not in team:
            team[0] = bench_nurse
        elif k >= size["nurse_persons"] and bench_nurse in team:
            team[team.index(bench_nurse)] = next(n for n in others if n not in team)
    conn.many(
        "care_team",
        ("person_id", "user_id", "added_at"),
        [
            (pid, uid, now_s)
            for sid in structures
            for pid, _b, _e, team in persons[sid]
            for uid in team
        ],
    )
    conn.commit()

    texts = _texts(rng)
    columns = ("id", *storage.INSERT_FIELDS)
    ack_columns = ("transmission_id", "user_id", "at")
    next_id = 1
    last_entry: dict[int, int] = {}
    rows, acks, total, total_acks = [], [], 0, 0
    t0 = time.perf_counter()
    conn.begin()
    for day in range(size["days"]):
        day_start = start_day + timedelta(days=day)
        for sid in structures:
            active = [p for p in persons[sid] if p[1] <= day < p[2]]
            if not active:
                continue
            count = max(0, int(rng.gauss(size["per_day"], size["per_day"] ** 0.5)))
            seconds = sorted(rng.randrange(86400) for _ in range(count))
            for second in seconds:
                pid, _b, _e, team = rng.choice(active)
                occurred = day_start + timedelta(seconds=second)
                created = occurred + timedelta(minutes=rng.randint(2, 40))
                if created >= now:
                    continue
                author = rng.choice(team) if rng.random() < 0.93 else coordinators[sid]
                roll = rng.random()
                parent = last_entry.get(pid)
                kind = "entry"
                if roll < 0.04 and parent:
                    kind = "result"
                elif roll < 0.05 and parent:
                    kind = "correction"
                target = rng.choices(TARGETS, TARGET_WEIGHTS)[0]
                p = rng.random()
                priority = "urgent" if p < 0.03 else "important" if p < 0.15 else "normal"
                data = rng.choice(texts[target])
                created_s = iso(created)
                rows.append(
                    (
                        next_id,
                        pid,
                        sid,
                        author,
                        user_labels[author],
                        kind,
                        parent if kind != "entry" else None,
                        target,
                        CATEGORY[target],
                        "normal" if kind == "result" else priority,
                        iso(occurred),
                        created_s,
                        iso(created + timedelta(minutes=5)),
                        "" if kind == "result" else data,
                        "" if kind == "result" else rng.choice(ACTIONS),
                        data if kind == "result" else "",
                        None,
                        None,
                        "bench",
                    )
                )
                if kind == "entry":
                    last_entry[pid] = next_id
                readers = set()
                for reader in rng.sample(team, 2):
                    if reader != author and rng.random() < 0.6:
                        at = created + timedelta(minutes=rng.randint(30, 900))
                        if at < now:
                            acks.append((next_id, reader, iso(at)))
                            readers.add(reader)
                if priority == "urgent" and kind != "result" and coordinators[sid] not in readers:
                    acks.append(
                        (next_id, coordinators[sid], iso(min(now, created + timedelta(hours=1))))
                    )
                next_id += 1
        if len(rows) >= 200_000:
            conn.many("transmissions", columns, rows)
            conn.many("transmissions_acks", ack_columns, acks)
            total += len(rows)
            total_acks += len(acks)
            rows, acks = [], []
            conn.commit()
            conn.begin()
            log(f"  {total:,} transmissions ({time.perf_counter() - t0:.0f} s)")
    conn.many("transmissions", columns, rows)
    conn.many("transmissions_acks", ack_columns, acks)
    total += len(rows)
    total_acks += len(acks)
    conn.commit()
    load_s = time.perf_counter() - t0
    log(f"  {total:,} transmissions, {total_acks:,} acknowledgements loaded in {load_s:.0f} s")
    conn.rebuild(saved, log)
    conn.close()
    db = connect(dest)
    system_storage.set_instance_info(db, "bench_size", json.dumps(size, sort_keys=True))
    db.close()
    return {
        "transmissions": total,
        "acknowledgements": total_acks,
        "load_seconds": round(load_s, 1),
        "total_seconds": round(time.perf_counter() - t0, 1),
        "bench_nurse": bench_nurse,
        "coordinator": coordinators[structures[0]],
    }


# --------------------------------------------------------------------------- measures


def measure(target: Path | str, runs: int, seed: int) -> dict:
    settings = settings_for(target)
    host = PluginHost(settings)
    registry = build_registry(host)
    # As in production: audit entries are durable (SQLite: WAL, synchronous=FULL).
    db = connect(target)
    raw = _Plain(target)
    floor = f"raw_{raw.dialect}"
    rng = random.Random(seed)
    (nurse_id,) = db.execute(
        "SELECT user_id FROM care_team c JOIN persons p ON p.id = c.person_id"
        " WHERE p.status = 'active' GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1"
    ).fetchone()
    nurse_sid = accounts_storage.memberships_of(db, nurse_id)
    (sid,) = nurse_sid
    (coordinator_id,) = db.execute(
        "SELECT user_id FROM memberships WHERE structure_id = ? AND role = 'coordinator'", [sid]
    ).fetchone()

    def access_for(user_id):
        actor = accounts_service.actor_for_user(
            db, accounts_storage.get_user(db, user_id), via="session"
        )
        return AccessContext(db, registry, actor, route="bench")

    nurse, coordinator = access_for(nurse_id), access_for(coordinator_id)
    my_persons = [
        r[0]
        for r in db.execute(
            "SELECT c.person_id FROM care_team c JOIN persons p ON p.id = c.person_id"
            " WHERE c.user_id = ? AND p.status = 'active'",
            [nurse_id],
        )
    ]
    (newest,) = db.execute("SELECT max(created_at) FROM transmissions").fetchone()
    shift = iso(datetime.fromisoformat(newest) - timedelta(hours=16))
    storage.set_shift(db, nurse_id, shift)
    out: dict = {
        "nurse_persons": len(my_persons),
        "structure_persons": db.execute(
            "SELECT count(*) FROM persons WHERE structure_id = ?", [sid]
        ).fetchone()[0],
        "since_last_shift": shift,
    }

    # A person's timeline.
    out["timeline"] = {
        **percentiles(
            timed(lambda: service.timeline(nurse, rng.choice(my_persons), limit=50), runs)
        ),
        floor: percentiles(
            timed(
                lambda: raw.execute(
                    f"{storage.SELECT} WHERE t.person_id = ? AND t.kind <> 'result'"
                    " ORDER BY t.occurred_at DESC, t.id DESC LIMIT 50",
                    [rng.choice(my_persons)],
                ).fetchall(),
                runs,
            )
        ),
    }

    # Since my last shift (40 persons).
    sizes = []

    def feed():
        sizes.append(len(service.new_for_me(nurse)["items"]))

    out["since_last_shift_40_persons"] = {
        **percentiles(timed(feed, runs)),
        "rows_mean": round(sum(sizes) / len(sizes), 1),
        floor: percentiles(
            timed(
                lambda: storage.new_since(
                    raw,
                    person_ids=my_persons,
                    structure_ids=[],
                    since=shift,
                    reader_id=nurse_id,
                ),
                runs,
            )
        ),
    }

    # Scoped full-text search.
    for label, access, scope in (
        ("search_nurse_40_persons", nurse, (set(my_persons), set())),
        ("search_coordinator_structure", coordinator, (set(), {sid})),
    ):
        found = []

        def search(access=access, found=found):
            found.append(len(service.search(access, rng.choice(SEARCH_WORDS), limit=50)))

        def search_raw(scope=scope):
            sql, params = service.search_query(raw.dialect, rng.choice(SEARCH_WORDS), scope)
            raw.execute(sql, params).fetchall()

        out[label] = {
            **percentiles(timed(search, runs)),
            "results_mean": round(sum(found) / len(found), 1),
            floor: percentiles(timed(search_raw, runs)),
        }

    # Informational: two words, and a word start (opt-in with "*", slower by design).
    for label, words in (
        (
            "info_search_coordinator_two_words",
            [f"{w} {v}" for w in SEARCH_WORDS for v in ("droit", "nuit")],
        ),
        ("info_search_coordinator_word_start", [f"{w[:5]}*" for w in SEARCH_WORDS]),
    ):

        def search_words(words=words):
            service.search(coordinator, rng.choice(words), limit=50)

        def search_words_raw(words=words):
            sql, params = service.search_query(raw.dialect, rng.choice(words), (set(), {sid}))
            raw.execute(sql, params).fetchall()

        out[label] = {
            **percentiles(timed(search_words, max(20, runs // 3))),
            floor: percentiles(timed(search_words_raw, max(20, runs // 3))),
        }

    # The coordinator's unread urgent transmissions.
    week = iso(datetime.fromisoformat(newest) - timedelta(days=7))
    out["unacknowledged_urgent"] = {
        **percentiles(timed(lambda: service.unacknowledged_urgent(coordinator, sid), runs)),
        floor: percentiles(timed(lambda: storage.unacknowledged_urgent(raw, sid, week), runs)),
    }
    raw.close()
    db.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="small dataset: checks the script")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of the full network's structures"
    )
    parser.add_argument(
        "--db",
        default=None,
        help="SQLite file, or postgresql://… URL (an empty database or schema), to build or reuse",
    )
    parser.add_argument("--runs", type=int, default=None, help="measures per query")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the dataset")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    size = dict(SMALL if args.small else FULL)
    if not args.small and args.scale != 1.0:
        size["structures"] = max(1, round(FULL["structures"] * args.scale))
    name = "small" if args.small else ("full" if args.scale == 1.0 else f"scale-{args.scale:g}")
    if args.db and is_postgres_url(args.db):
        target: Path | str = args.db
        shown = args.db.split("@")[-1]  # no password in the report
    else:
        target = (
            Path(args.db) if args.db else ROOT / ".cache" / "bench-transmissions" / f"{name}.db"
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        shown = str(target)
    engine = engine_of(target)
    runs = args.runs or (30 if args.small else 300)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    built = None
    if args.rebuild or not _existing(target, size):
        log(f"Building {shown} on {engine} ({size['structures']} structures, {size['days']} days)…")
        built = generate(target, size, args.seed, log)
    db = connect(target)
    counts = db.execute(
        "SELECT (SELECT count(*) FROM transmissions), (SELECT count(*) FROM transmissions_acks),"
        " (SELECT count(*) FROM persons), (SELECT count(*) FROM users)"
    ).fetchone()
    db.close()
    results = measure(target, runs, args.seed)
    facts = database_facts(target)
    p95s = {
        k: v["p95_ms"]
        for k, v in results.items()
        if isinstance(v, dict) and "p95_ms" in v and not k.startswith("info_")
    }
    report = {
        "benchmark": "transmissions",
        "size": name,
        "engine": engine,
        "database": shown,
        "dataset": {
            **size,
            "transmissions": counts[0],
            "acknowledgements": counts[1],
            "persons_total": counts[2],
            "users": counts[3],
            "database_mb": facts["database_mb"],
            "built_now": built,
        },
        "machine": {
            "python": platform.python_version(),
            engine: facts["engine_version"],
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "runs_per_query": runs,
        "results": results,
        "target_p95_ms": TARGET_P95_MS,
        "p95_ms": p95s,
        "all_under_target": all(v < TARGET_P95_MS for v in p95s.values()),
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""HTTP benchmark: Virage's read endpoints next to a bare Litestar "hello" app, in one run.

Both servers run on 127.0.0.1 with the same uvicorn settings (one worker, no access log), on
the same machine, one after the other for each endpoint, so that the ratio "Virage / hello"
means something even on a noisy machine. The load tool is ``wrk`` (Debian package), with a Lua
script that prints the figures as JSON and, for the write, gives every request its own client id.

Prints JSON: per endpoint and engine the requests per second, p50, p95 and p99 latency (ms),
the hello ceiling measured just before it, the ratio, and the number of answers that were not
2xx/3xx. With ``--postgres URL`` (an empty PostgreSQL database, or one whose tables are Virage's
own from a previous run: they are dropped first) every endpoint is measured on both engines in the
same run, side by side: hello, Virage on SQLite, Virage on PostgreSQL.

    ./scripts/bench-http                      # 8 s per endpoint, 32 connections, SQLite
    ./scripts/bench-http --postgres postgresql://virage@127.0.0.1/bench   # both engines
    ./scripts/bench-http --duration 3 --quick # a quick check that everything answers
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack, contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSWORD = "demo-virage-2026"
PLUGINS = "finess,orientation,teleconsultation,demo_territory"

LUA = r"""
local counter = 0
local tid = 0
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function request()
  if wrk.method == "POST" and body_template then
    counter = counter + 1
    local body = string.gsub(body_template, "CLIENT_ID", "bench-" .. run_id .. "-" .. tid .. "-" .. counter)
    return wrk.format("POST", nil, nil, body)
  end
  return wrk.format()
end
function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'WRKJSON {"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p99_ms": %.3f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errors))
  io.write(string.format('WRKP95 %.3f\n', latency:percentile(95) / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"Erreur : le serveur s'est arrêté (code {proc.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"Erreur : {url} ne répond pas.")


@contextmanager
def uvicorn(target: str, env: dict, *, factory: bool = False, workers: int = 1):
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--no-access-log", "--log-level", "warning", "--workers", str(workers)]
    if factory:
        cmd.append("--factory")
    proc = subprocess.Popen(cmd, env=env, cwd=HERE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_up(url + ("/healthz" if factory else "/"), proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def wrk(url: str, *, duration: float, connections: int, headers: dict, lua: Path, post=None):
    """Run wrk against ``url``; ``post`` is a JSON body template whose CLIENT_ID is made unique."""
    if post is not None:
        script = lua.with_name("post.lua")
        script.write_text(
            "wrk.method = 'POST'\nwrk.headers['Content-Type'] = 'application/json'\n"
            f"body_template = {json.dumps(post)}\nrun_id = '{secrets.token_hex(4)}'\n"
            + lua.read_text()
        )
        lua = script
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(lua)]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^WRKJSON (\{.*\})$", out, re.M)
    if not match:
        raise SystemExit(f"Erreur : sortie de wrk illisible :\n{out}")
    figures = json.loads(match.group(1))
    p95 = re.search(r"^WRKP95 ([0-9.]+)$", out, re.M)
    figures["p95_ms"] = float(p95.group(1)) if p95 else None
    figures["rps"] = round(figures["requests"] / figures["seconds"], 1)
    return figures


def login(base: str, username: str) -> str:
    """Log in through the web form (CSRF included); return the session cookie's value."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/connexion").read().decode()
    csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "_csrf_token": csrf}
    ).encode()
    opener.open(f"{base}/connexion", data=data)
    for cookie in jar:
        if cookie.name == "virage_session":
            return cookie.value
    raise SystemExit(f"Erreur : connexion de {username} impossible.")


def _cli(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "virage.cli", *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"Erreur : virage {' '.join(args)} : {done.stderr.strip()}")
    return done.stdout


def _empty_postgres(url: str) -> None:
    """Drop what a previous run left in the benchmark's PostgreSQL schema (nothing else)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        schema = conn.execute("SELECT current_schema()").fetchone()[0]
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')


def prepare(engine: str, target: str, env: dict) -> dict:
    """A demo instance on one engine: its environment, an API token, a person of the care team."""
    from virage.db import connect

    env = {**env, "VIRAGE_DB": target}
    if engine == "postgresql":
        _empty_postgres(target)
    _cli(env, "demo", "--no-serve")
    token = _cli(
        env, "tokens", "create", "--user", "paul.infirmier", "--structure", "1", "--name", "banc"
    )
    db = connect(target)
    person_id = db.fetch_one(
        "SELECT p.id FROM persons p JOIN care_team c ON c.person_id = p.id"
        " JOIN users u ON u.id = c.user_id WHERE u.username = 'paul.infirmier'"
        " ORDER BY p.id LIMIT 1"
    )["id"]
    db.close()
    return {"env": env, "token": token.strip().splitlines()[-1].strip(), "person": person_id}


def endpoints_for(person_id: int, quick: bool) -> list[tuple[str, str, str, str | None]]:
    """(label, path, credentials "bearer"/"cookie", JSON body template or None)."""
    endpoints = [
        (
            "GET /api/v1/transmissions (fil d'une personne)",
            f"/api/v1/transmissions/?person_id={person_id}",
            "bearer",
            None,
        ),
        ("GET /api/v1/persons/{id}", f"/api/v1/persons/{person_id}", "bearer", None),
        ("GET /ma-journee (page, session)", "/agenda/ma-journee", "cookie", None),
        (
            "GET /api/v1/transmissions/search",
            "/api/v1/transmissions/search?q=chute",
            "bearer",
            None,
        ),
        (
            "GET /api/v1/directory/structures?q=",
            "/api/v1/directory/structures?q=ehpad",
            "bearer",
            None,
        ),
        ("GET /personnes/{id} (page, session)", f"/personnes/{person_id}", "cookie", None),
        ("GET /api/v1/agenda/me/day", "/api/v1/agenda/me/day", "bearer", None),
        (
            "POST /api/v1/transmissions (écriture)",
            "/api/v1/transmissions/",
            "bearer",
            json.dumps(
                {
                    "person_id": person_id,
                    "target": "douleur",
                    "data": "Banc d'essai",
                    "client_id": "CLIENT_ID",
                }
            ),
        ),
    ]
    return endpoints[:2] + endpoints[-1:] if quick else endpoints


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="secondes par mesure")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--quick", action="store_true", help="trois points d'accès seulement")
    parser.add_argument(
        "--postgres", metavar="URL", help="mesurer aussi sur cette base PostgreSQL (vidée)"
    )
    args = parser.parse_args(argv)
    if not args.duration > 0 or not 1 <= args.connections <= 1000:
        parser.error("durée positive et 1 à 1000 connexions")
    if args.postgres and not args.postgres.startswith(("postgresql://", "postgres://")):
        parser.error("--postgres attend une adresse postgresql://…")

    with tempfile.TemporaryDirectory(prefix="virage-bench-http-") as tmp:
        tmp = Path(tmp)
        base_env = {
            **os.environ,
            "VIRAGE_SECRET_KEY": secrets.token_hex(16),
            "VIRAGE_PLUGINS": PLUGINS,
            "PYTHONPATH": str(HERE),
        }
        engines = {"sqlite": prepare("sqlite", str(tmp / "demo.db"), base_env)}
        if args.postgres:
            engines["postgresql"] = prepare("postgresql", args.postgres, base_env)
        lua = tmp / "bench.lua"
        lua.write_text(LUA)
        with ExitStack() as stack:
            hello = stack.enter_context(uvicorn("bench_hello:app", base_env))
            servers = {
                name: stack.enter_context(uvicorn("virage.app:create_app", e["env"], factory=True))
                for name, e in engines.items()
            }
            credentials = {
                name: {
                    "cookie": {
                        "Cookie": f"virage_session={login(servers[name], 'paul.infirmier')}"
                    },
                    "bearer": {"Authorization": f"Bearer {e['token']}"},
                }
                for name, e in engines.items()
            }
            results = []
            for index, (label, _path, kind, _body) in enumerate(
                endpoints_for(engines["sqlite"]["person"], args.quick)
            ):
                ceiling = wrk(
                    hello + "/",
                    duration=args.duration,
                    connections=args.connections,
                    headers={},
                    lua=lua,
                )
                row = {"endpoint": label, "hello_rps": ceiling["rps"]}
                for name, e in engines.items():
                    own = endpoints_for(e["person"], args.quick)[index]
                    got = wrk(
                        servers[name] + own[1],
                        duration=args.duration,
                        connections=args.connections,
                        headers=credentials[name][kind],
                        lua=lua,
                        post=own[3],
                    )
                    row[name] = {
                        "rps": got["rps"],
                        "p50_ms": got["p50_ms"],
                        "p95_ms": got["p95_ms"],
                        "p99_ms": got["p99_ms"],
                        "errors": got["errors"],
                        "ratio": round(got["rps"] / ceiling["rps"], 3),
                    }
                    print(
                        f"{label} [{name}]: {got['rps']} req/s, p95 {got['p95_ms']} ms "
                        f"({row[name]['ratio']:.0%} de hello)",
                        file=sys.stderr,
                    )
                results.append(row)
    print(
        json.dumps(
            {
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
                "settings": {
                    "duration_s": args.duration,
                    "connections": args.connections,
                    "workers": 1,
                    "engines": list(engines),
                },
                "endpoints": results,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

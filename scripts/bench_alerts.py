"""Benchmark of the night alerts (issue 21): a real server on 127.0.0.1 (temporary SQLite
database), one enrolled sensor sending 100 signed events per second through
``POST /alertes/evenements`` for a minute, about 10 % of them sent again (same event id: a
sensor's retry), the server stopped and started again in the middle, while a client reads the
board's live feed (server-sent events, reconnecting with ``Last-Event-ID``).

Prints JSON: events lost (acknowledged or not, missing from the database: must be 0), duplicate
alerts created (must be 0), alerts never seen on the board, and the webhook → board latency
(p50, p95, max) of the events sent while the server was up.

    ./scripts/bench-alerts              # 60 s at 100 events per second
    ./scripts/bench-alerts --seconds 10 # a quick check

Nothing here can hang: every network call has a timeout, every loop is bounded by a deadline
or a count, and the server is always stopped (terminate, then kill) in a ``finally``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

TIMEOUT = 5.0  # every HTTP call
RETRY_FOR = 40.0  # a sensor retries an unacknowledged event this long at most
RATE = 100


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``virage.app:create_app`` under uvicorn; stopped for sure by :meth:`stop`."""

    def __init__(self, env: dict, port: int) -> None:
        self.env, self.port, self.proc = env, port, None

    def start(self, timeout: float = 60) -> float:
        started = time.monotonic()
        cmd = [sys.executable, "-m", "uvicorn", "virage.app:create_app", "--factory"]
        cmd += ["--host", "127.0.0.1", "--port", str(self.port), "--no-access-log"]
        cmd += ["--log-level", "warning", "--timeout-graceful-shutdown", "2"]
        self.proc = subprocess.Popen(cmd, env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"Erreur : le serveur s'est arrêté (code {self.proc.returncode}).")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return time.monotonic() - started
            except OSError:
                time.sleep(0.1)
        raise SystemExit("Erreur : le serveur ne répond pas.")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def prepare(folder: Path, secret_key: str) -> dict:
    """The database: a structure, a night worker (her session for the feed), a sensor."""
    from virage_alerts import devices

    from virage.sdk import PluginHost, Settings, accounts, prepare_database
    from virage.sdk.testing import signed_in

    settings = Settings(db_path=folder / "virage.db", secret_key=secret_key, plugins=("alerts",))
    plugins = PluginHost(settings)
    db = prepare_database(settings, plugins)
    try:
        sid = accounts.create_structure(db, "EHPAD du banc d'essai", "EHPAD")
        for name, role in (("direction", "director"), ("veille", "nurse")):
            accounts.create_user(
                db, username=name, display_name=name, password=None, structure_id=sid, role=role
            )
        access = accounts.access_for(db, plugins, "direction", route="bench")
        device, secret = devices.enrol(access, secret_key, sid, "Détecteur", "12", "Les Tilleuls")
        token = signed_in(db, "veille")
    finally:
        db.close()
    return {"structure": sid, "device": device, "secret": secret, "token": token}


class Feed(threading.Thread):
    """Reads the board's live feed until ``stop_at``, reconnecting with ``Last-Event-ID``."""

    def __init__(self, url: str, cookie: str, stop_at: float) -> None:
        super().__init__(daemon=True)
        self.url, self.cookie, self.stop_at = url, cookie, stop_at
        self.seen: dict[int, float] = {}  # alert id → when its « raised » step arrived
        self.last = 0
        self.reconnects = 0

    def run(self) -> None:
        for _ in range(10_000):  # bounded: reconnects at most this often
            if time.monotonic() >= self.stop_at:
                return
            headers = {"Accept": "text/event-stream", "Cookie": self.cookie}
            if self.last:
                headers["Last-Event-ID"] = str(self.last)
            try:
                request = urllib.request.Request(self.url, headers=headers)
                with urllib.request.urlopen(request, timeout=TIMEOUT) as stream:
                    self._read(stream)
            except (OSError, ValueError):
                time.sleep(0.2)
            self.reconnects += 1

    def _read(self, stream) -> None:
        event_id, data = None, None
        while time.monotonic() < self.stop_at:
            line = stream.readline()  # the socket's timeout bounds each wait
            if not line:
                return
            line = line.decode().rstrip("\r\n")
            if line.startswith("id:"):
                event_id = int(line[3:].strip())
            elif line.startswith("data:"):
                data = json.loads(line[5:].strip())
            elif line == "" and data is not None:
                if data.get("step") == "raised":
                    self.seen.setdefault(data["alert"]["id"], time.monotonic())
                self.last = max(self.last, event_id or 0)
                event_id, data = None, None


def send(url: str, device: int, secret: str, event_id: str) -> tuple[int, int | None]:
    """One signed POST; (HTTP status, alert id); status 0 when the server could not be reached."""
    from virage_alerts import signing

    body = json.dumps({"id": event_id, "type": "chute"}).encode()
    headers = signing.headers(device, secret, int(time.time()), body)
    headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            return answer.status, json.loads(answer.read()).get("alerte")
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except (OSError, ValueError):
        return 0, None


def deliver(url, device, secret, event_id, log: dict, lock) -> None:
    """Send until acknowledged (200, 201, or 409 « déjà reçue »), for ``RETRY_FOR`` at most."""
    first = time.monotonic()
    tries = 0
    while time.monotonic() - first < RETRY_FOR:
        tries += 1
        started = time.monotonic()
        status, alert = send(url, device, secret, event_id)
        if status in (200, 201, 409):
            with lock:
                entry = log.setdefault(event_id, {"sent": started, "tries": 0, "statuses": []})
                entry["tries"] += tries
                entry["statuses"].append(status)
                if status == 201:
                    entry["alert"] = alert
                    entry["sent"] = started
                    entry["clean"] = tries == 1
                elif alert is not None:
                    entry.setdefault("alert", alert)
            return
        time.sleep(min(1.0, 0.1 * tries))
    with lock:
        log.setdefault(event_id, {"sent": first, "tries": tries, "statuses": []})["failed"] = True


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(share * len(ordered) + 0.999999) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="durée de l'envoi (60)")
    parser.add_argument("--rate", type=int, default=RATE, help="événements par seconde (100)")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 600 or not 1 <= args.rate <= 1000:
        parser.error("--seconds de 1 à 600, --rate de 1 à 1000")
    os.environ.pop("VIRAGE_TEST_POSTGRES", None)
    folder = Path(os.environ.get("TMPDIR") or "/tmp")
    folder = Path(tempfile_dir(folder))
    secret_key = secrets.token_hex(16)
    ids = prepare(folder, secret_key)
    env = {
        **os.environ,
        "VIRAGE_DB": str(folder / "virage.db"),
        "VIRAGE_SECRET_KEY": secret_key,
        "VIRAGE_PLUGINS": "alerts",
        "VIRAGE_ALERTS_ESCALATION_SECONDS": "0",
    }
    port = free_port()
    server = Server(env, port)
    base = f"http://127.0.0.1:{port}"
    log: dict[str, dict] = {}
    lock = threading.Lock()
    restart = {}
    try:
        server.start()
        total = args.seconds * args.rate
        end = time.monotonic() + args.seconds + RETRY_FOR + 10
        from virage.sdk.testing import SESSION_COOKIE

        feed = Feed(
            f"{base}/alertes/structures/{ids['structure']}/flux",
            f"{SESSION_COOKIE}={ids['token']}",
            end,
        )
        feed.start()
        sent_ids: list[str] = []
        duplicates = 0
        t0 = time.monotonic()
        with ThreadPoolExecutor(max_workers=16) as pool:
            futures = []
            for i in range(total):
                due = t0 + i / args.rate
                time.sleep(max(0.0, due - time.monotonic()))
                if i == total // 2:  # the restart, in the middle, while events keep coming
                    restart["at"] = round(time.monotonic() - t0, 1)
                    threading.Thread(target=_restart, args=(server, restart), daemon=True).start()
                if sent_ids and i % 10 == 5:  # ~10 %: a retry of an event sent 1 to 3 s ago
                    back = min(len(sent_ids), args.rate * 3)
                    event_id = sent_ids[-back + (i % max(1, back - args.rate))]
                    duplicates += 1
                else:
                    event_id = f"bench-{i:06d}"
                    sent_ids.append(event_id)
                futures.append(
                    pool.submit(
                        deliver,
                        f"{base}/alertes/evenements",
                        ids["device"],
                        ids["secret"],
                        event_id,
                        log,
                        lock,
                    )
                )
            wait(futures, timeout=RETRY_FOR + 30)
        # The board catches up: wait (bounded) until every acknowledged alert was seen.
        acked = {e["alert"] for e in log.values() if e.get("alert")}
        for _ in range(200):
            if acked <= set(feed.seen) or time.monotonic() > end:
                break
            time.sleep(0.1)
        report = _report(folder / "virage.db", ids, sent_ids, duplicates, log, feed, restart, args)
    finally:
        server.stop()
    print(json.dumps(report, ensure_ascii=False, indent=2))


def _restart(server: Server, restart: dict) -> None:
    stopped = time.monotonic()
    server.stop()
    restart["stop_seconds"] = round(time.monotonic() - stopped, 2)
    restart["start_seconds"] = round(server.start(), 2)
    restart["down_seconds"] = round(time.monotonic() - stopped, 2)


def tempfile_dir(parent: Path) -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="bench-alerts-", dir=parent)


def _report(path, ids, sent_ids, duplicates, log, feed, restart, args) -> dict:
    import sqlite3

    conn = sqlite3.connect(path, timeout=10)
    try:
        stored = {r[0] for r in conn.execute("SELECT event_id FROM alerts_events")}
        alerts = conn.execute("SELECT COUNT(*) FROM alerts_alerts").fetchone()[0]
    finally:
        conn.close()
    unique = set(sent_ids)
    acked = {k for k, e in log.items() if not e.get("failed")}
    latencies = [
        (feed.seen[e["alert"]] - e["sent"]) * 1000
        for e in log.values()
        if e.get("clean") and e.get("alert") in feed.seen
    ]
    alert_ids = {e["alert"] for e in log.values() if e.get("alert")}
    return {
        "seconds": args.seconds,
        "rate_per_second": args.rate,
        "events_sent": len(unique),
        "retries_sent_on_purpose": duplicates,
        "server_restart": restart,
        "acknowledged": len(acked & unique),
        "never_acknowledged": len(unique - acked),
        "events_lost": len(unique - stored),
        "lost_after_acknowledgement": len((acked & unique) - stored),
        "alerts_created": alerts,
        "duplicate_alerts_created": alerts - len(stored),
        "alerts_never_on_board": len(alert_ids - set(feed.seen)),
        "feed_reconnects": feed.reconnects,
        "webhook_to_board_ms": {
            "events": len(latencies),
            "p50": _ms(percentile(latencies, 0.5)),
            "p95": _ms(percentile(latencies, 0.95)),
            "max": _ms(max(latencies, default=None) if latencies else None),
        },
        "answers": _statuses(log),
    }


def _ms(value):
    return None if value is None else round(value, 1)


def _statuses(log) -> dict:
    counts: dict[str, int] = {}
    for e in log.values():
        for s in e["statuses"]:
            counts[str(s)] = counts.get(str(s), 0) + 1
    return counts


if __name__ == "__main__":
    main()

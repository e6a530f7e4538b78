"""A fresh demo server for the guided tour: new demo database, real uvicorn, 127.0.0.1 only."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from virage.sdk.testing import DEFAULT_SEED

TOUR_PLUGINS = ("finess", "orientation", "teleconsultation", "demo_territory")


class TourError(RuntimeError):
    """A step of the tour, or its server, failed: the message says which, in French."""


@dataclass(frozen=True)
class DemoServer:
    url: str  # base URL, without a trailing slash
    db_path: Path  # the demo database (read by the tour to pick its characters)


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (the tour and the browser tests never listen elsewhere)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    command: list[str], env: dict[str, str], log: Path, cwd: Path | None = None
) -> subprocess.Popen:
    """Start a server whose output goes to the file ``log``.

    Never a pipe: a pipe that nobody reads fills up after some 64 kB of log lines and the server
    then blocks on its next write, in the middle of a test.
    """
    with log.open("w") as out:
        proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    proc.log_path = log  # read by wait_until_up when the server stops early
    return proc


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until ``url`` answers 200; fail with the server's output if it stopped."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log = getattr(proc, "log_path", None)
            out = Path(log).read_text(errors="replace")[-5000:] if log else ""
            raise TourError(
                f"le serveur de démonstration s'est arrêté (code {proc.returncode}) :\n{out}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TourError(f"le serveur de démonstration ne répond pas sur {url}")


@contextmanager
def demo_server(
    folder: Path, *, seed: int = DEFAULT_SEED, docs_dir: Path | None = None
) -> Iterator[DemoServer]:
    """Create a demo database in ``folder`` and serve it on a free port of 127.0.0.1.

    The server loads the plugins the tour shows (:data:`TOUR_PLUGINS`), whatever
    ``VIRAGE_PLUGINS`` says: the example plugin ``hello`` has no place in a territory's day.
    """
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "demo.db"
    env = {
        **os.environ,
        "VIRAGE_DB": str(db_path),
        "VIRAGE_SECRET_KEY": secrets.token_hex(16),
    }
    env["VIRAGE_PLUGINS"] = ",".join(TOUR_PLUGINS)
    if docs_dir:
        env["VIRAGE_DOCS_DIR"] = str(docs_dir)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    built = subprocess.run(
        [sys.executable, "-m", "virage.cli", "demo", "--no-serve", "--seed", str(seed)],
        env=env,
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:
        raise TourError(f"la base de démonstration n'a pas pu être créée : {built.stderr.strip()}")
    port = free_port()
    proc = start_server(
        [sys.executable, "-m", "virage.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env,
        folder / "server.log",
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/healthz", proc)
        yield DemoServer(url, db_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

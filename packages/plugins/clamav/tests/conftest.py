"""A real ``clamd`` for the tests: its own temporary folder, a free 127.0.0.1 port and a local
signature database recognising the EICAR test file (no ``freshclam``: no network here).

Without ``clamd`` on the machine the tests are skipped, unless ``VIRAGE_REQUIRE_CLAMAV=1``
(``scripts/test`` sets it): then they fail. The SQLite and PostgreSQL passes of ``scripts/test``
run at the same time, each with its own clamd.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from virage_clamav.client import Endpoint, ping  # noqa: E402

# The accounts' small world (structures, users, persons) for the uploads through the routes.
from tests.accounts.conftest import (  # noqa: E402, F401
    _world_template,
    app,
    bearer,
    client,
    csrf_from,
    login,
    world,
)

#: Signature name given to EICAR by the local database (clamd adds « .UNOFFICIAL »).
SIGNATURE = "Eicar-Test-Local"
STREAM_MAX = 1024 * 1024  # clamd's StreamMaxLength in the tests: 1 MiB
START_TIMEOUT = 60.0


def eicar() -> bytes:
    """The EICAR anti-virus test file, assembled here (never stored as a file in the repo)."""
    parts = (
        "X5O!P%@AP[4\\PZX54(P^)7CC)7}$",
        "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$",
        "H+H*",
    )
    return "".join(parts).encode("ascii")


def _clamd_binary() -> str | None:
    return shutil.which("clamd") or next(
        (p for p in ("/usr/sbin/clamd", "/usr/local/sbin/clamd") if os.access(p, os.X_OK)), None
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Clamd:
    process: subprocess.Popen
    endpoint: Endpoint
    folder: Path

    def env(self) -> dict[str, str]:
        return {
            "VIRAGE_CLAMAV_HOST": self.endpoint.host or "",
            "VIRAGE_CLAMAV_PORT": str(self.endpoint.port),
            "VIRAGE_CLAMAV_TIMEOUT": "20",
        }

    def log(self) -> str:
        path = self.folder / "clamd.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""


def _start(folder: Path) -> Clamd:
    binary = _clamd_binary()
    if binary is None:
        if os.environ.get("VIRAGE_REQUIRE_CLAMAV") == "1":
            pytest.fail(
                "clamd est introuvable alors que VIRAGE_REQUIRE_CLAMAV=1 (apt install clamav-daemon)"
            )
        pytest.skip("clamd n'est pas installé (paquet Debian clamav-daemon)")
    db = folder / "db"
    db.mkdir()
    sample = eicar()
    # The file itself (MD5 and size), and its bytes anywhere in a file (a PDF carrying it).
    (db / "local.hdb").write_text(
        f"{hashlib.md5(sample).hexdigest()}:{len(sample)}:{SIGNATURE}\n", encoding="ascii"
    )
    (db / "local.ndb").write_text(f"{SIGNATURE}-Body:0:*:{sample.hex()}\n", encoding="ascii")
    port = _free_port()
    user = "User root\n" if os.geteuid() == 0 else ""
    conf = folder / "clamd.conf"
    conf.write_text(
        f"TCPSocket {port}\nTCPAddr 127.0.0.1\nDatabaseDirectory {db}\nForeground yes\n"
        f"LogFile {folder / 'clamd.log'}\nPidFile {folder / 'clamd.pid'}\n"
        f"TemporaryDirectory {folder}\nStreamMaxLength {STREAM_MAX}\n{user}",
        encoding="ascii",
    )
    process = subprocess.Popen(
        [binary, "--config-file", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    where = Endpoint(host="127.0.0.1", port=port, timeout=5.0)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if ping(where):
            return Clamd(process, Endpoint(host="127.0.0.1", port=port, timeout=20.0), folder)
        time.sleep(0.05)  # polling a state (PONG), not waiting for time
    process.kill()
    process.wait(timeout=10)
    log = (
        (folder / "clamd.log").read_text(errors="replace")
        if (folder / "clamd.log").exists()
        else ""
    )
    pytest.fail(f"clamd n'a pas répondu PONG : {log[-1500:]}")


def _stop(clamd: Clamd) -> None:
    if clamd.process.poll() is None:
        clamd.process.terminate()
        try:
            clamd.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            clamd.process.kill()
            clamd.process.wait(timeout=10)


@pytest.fixture(scope="session")
def clamd(tmp_path_factory):
    """A running clamd for the whole session, stopped at the end."""
    running = _start(tmp_path_factory.mktemp("clamd"))
    yield running
    _stop(running)


@pytest.fixture
def clamav_env(clamd, monkeypatch):
    """The plugin pointed at the test clamd (through its environment settings)."""
    for name in ("VIRAGE_CLAMAV_SOCKET", "VIRAGE_CLAMAV_MAX_BYTES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in clamd.env().items():
        monkeypatch.setenv(name, value)
    return clamd

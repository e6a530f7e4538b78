"""The whole JSON API under schemathesis: no server error, whoever calls and whatever is sent.

A demo territory is served by uvicorn on 127.0.0.1; schemathesis (``st run``) generates requests
from ``/schema/openapi.json`` with all its checks, anonymously and with a coordinator's and a
nurse's tokens. The test fails on any server error (5xx other than the audit's documented 503),
on an answer whose status the document does not declare, and on a refused method without its
``Allow`` header. Requests that the schema allows but a business rule refuses (a date in the past,
a slot already taken) are expected: the schema cannot express those rules.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PLUGINS = "finess,orientation,teleconsultation,demo_territory"
# Failures that mean the server or its document is wrong (schemathesis' check names and codes).
FORBIDDEN = {
    "ServerError",
    "not_a_server_error",
    "UndefinedStatusCode",
    "status_code_conformance",
    "MissingHeaderNotRejected",
    "unsupported_method",
    "ST103",
    "ST204",
}


def _st() -> str:
    return str(Path(sys.executable).with_name("st"))


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from virage_demo_territory.tour.server import free_port, start_server, wait_until_up

    folder = tmp_path_factory.mktemp("schemathesis")
    env = {
        **os.environ,
        "VIRAGE_DB": str(folder / "demo.db"),
        "VIRAGE_SECRET_KEY": "schemathesis",
        "VIRAGE_PLUGINS": PLUGINS,
    }
    run = [sys.executable, "-m", "virage.cli"]
    subprocess.run([*run, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    tokens = {}
    for who, user in (("coordination", "ines.coordination"), ("infirmier", "paul.infirmier")):
        out = subprocess.run(
            [*run, "tokens", "create", "--user", user, "--structure", "1", "--name", "fuzz"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        tokens[who] = out.strip().splitlines()[-1].strip()
    port = free_port()
    # A failing test shows the tracebacks of the server's log.
    server = start_server(
        [*run, "serve", "--host", "127.0.0.1", "--port", str(port)], env, folder / "server.log"
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/healthz", server)
        yield url, tokens, folder
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _tracebacks(folder: Path) -> str:
    text = (folder / "server.log").read_text(errors="replace")
    blocks = [b for b in text.split("Traceback (most recent call last)") if b][1:]
    return "\n---\n".join(b[-2500:] for b in blocks[-3:])


@pytest.mark.parametrize("who", ["anonyme", "coordination", "infirmier"])
def test_no_server_error_anywhere_in_the_api(api, who):
    url, tokens, folder = api
    report = folder / f"report-{who}.json"
    cmd = [
        _st(),
        "run",
        f"{url}/schema/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        "8",
        "--seed",
        "2026",
        "--generation-deterministic",
        "--no-shrink",
        "--workers",
        "2",
        "--phases",
        "examples,fuzzing,stateful",
        "--request-timeout",
        "30",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    if who in tokens:
        cmd += ["-H", f"Authorization: Bearer {tokens[who]}"]
    # Run from the temporary folder: schemathesis leaves a .schemathesis cache where it runs.
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=folder, timeout=600)
    assert report.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    data = json.loads(report.read_text())
    assert data["operations"]["tested"] >= 50, data["operations"]
    bad = [
        f for f in data["failures"] if {f.get("type"), f.get("code"), f.get("title")} & FORBIDDEN
    ]
    server_errors = [f for f in data["failures"] if "server error" in f.get("title", "").lower()]
    assert not bad and not server_errors, (
        json.dumps(bad + server_errors, ensure_ascii=False)[:3000] + "\n" + _tracebacks(folder)
    )

"""Several processes serve one instance: they share the database (sessions, log-in throttle) and
the secret (CSRF tokens). Two application objects first, then real ``virage serve --workers 2``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from tests.accounts.throttle_world import (
    PASSWORD,
    STAFF,
    attempt,
    browser,
    build_ehpad,
    csrf_from,
    query,
)
from tests.conftest import ROOT
from virage.app import create_app
from virage.cli import main


def test_two_app_processes_share_sessions_forms_and_throttle(tmp_path):
    ehpad = build_ehpad(tmp_path)
    one, two = create_app(ehpad.settings), create_app(ehpad.settings)
    on_one = browser(one, "192.0.2.10")
    assert attempt(on_one, "soignant01").status_code == 303
    on_two = browser(two, "192.0.2.10")
    on_two.cookies = on_one.cookies  # the same browser, its next request served by the other
    page = on_two.get("/moi")
    assert page.status_code == 200 and "EHPAD des Tilleuls" in page.text
    form = on_one.get("/moi")  # form prepared by one process, sent to the other
    r = on_two.post(
        "/deconnexion", data={"_csrf_token": csrf_from(form.text)}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/connexion?motif=deconnecte"
    # Failures are counted wherever they land.
    attacker_one, attacker_two = browser(one, "203.0.113.66"), browser(two, "203.0.113.66")
    for client in (attacker_one, attacker_two) * 2 + (attacker_one,):
        assert attempt(client, "directrice", "devinette").status_code == 401
    assert attempt(attacker_two, "directrice").status_code == 429
    assert attempt(attacker_one, "directrice").status_code == 429


def test_several_workers_need_the_shared_secret(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("VIRAGE_SECRET_KEY", raising=False)
    monkeypatch.setenv("VIRAGE_DB", str(tmp_path / "virage.db"))
    assert main(["serve", "--workers", "2", "--port", str(_free_port())]) == 1
    err = capsys.readouterr().err
    assert (
        err.count("\n") == 1
        and "Erreur : --workers 2 : définissez d'abord VIRAGE_SECRET_KEY" in err
    )
    assert not (tmp_path / "virage.db").exists()  # nothing started, nothing created
    assert main(["serve", "--workers", "0"]) == 2


# --------------------------------------------------------------------------- real processes


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workers")
    ehpad = build_ehpad(folder)
    port = _free_port()
    env = {
        **os.environ,
        "VIRAGE_DB": str(ehpad.settings.db_path),
        "VIRAGE_SECRET_KEY": "secret-partage-par-les-processus",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "virage.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # localhost, not 127.0.0.1: a security key answers only on a host name (see soft_key.py).
    base = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"virage serve --workers 2 stopped:\n{proc.stdout.read()}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("virage serve --workers 2 did not answer within 60 s")
            time.sleep(0.2)
        yield base, ehpad
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _fresh_connections(base: str) -> httpx.Client:
    """Each request on a new connection: the kernel hands them to either worker."""
    return httpx.Client(base_url=base, limits=httpx.Limits(max_keepalive_connections=0))


def test_real_workers_keep_the_session_and_accept_each_others_forms(two_workers):
    base, _ehpad = two_workers
    with _fresh_connections(base) as web:
        assert attempt(web, "soignant01").status_code == 303
        for _ in range(12):
            assert web.get("/moi").status_code == 200
        for _ in range(6):  # each form fetched and posted on new connections
            form = csrf_from(web.get("/connexion").text)
            data = {"_csrf_token": form, "username": "soignant01", "password": PASSWORD}
            r = web.post("/connexion", data=data, follow_redirects=False)
            assert r.status_code == 303  # 403 if the other worker refused the form's token


def test_real_workers_ignore_a_forged_forwarded_for_and_share_the_budget(two_workers):
    base, ehpad = two_workers
    # Issue 14: X-Forwarded-For written by the client gave each request a new address (uvicorn
    # believes it from 127.0.0.1). Accounts other than the previous test's: the server is shared.
    with _fresh_connections(base) as web:
        for i, name in enumerate(STAFF[2:12] * 5):  # 50 failures, five per account
            spoof = {"X-Forwarded-For": f"198.51.100.{i}"}
            r = attempt(web, name, "devinette", headers=spoof)
            assert r.status_code == 401, i
        r = attempt(web, STAFF[13], headers={"X-Forwarded-For": "198.51.100.250"})
        assert r.status_code == 429
    assert query(ehpad.settings, "SELECT DISTINCT address FROM login_attempts") == [("127.0.0.1",)]

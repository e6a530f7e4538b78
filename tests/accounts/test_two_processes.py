"""Two Virage processes on one database, as a network runs them behind its reverse proxy.

Two ``virage serve`` on two ports share the database (SQLite file or, in the PostgreSQL pass of
the suite, the same PostgreSQL schema) and ``VIRAGE_SECRET_KEY``: a session opened on one works
on the other (forms and their CSRF tokens included), the login throttle counts failures made on
both, and a log-out on one is a log-out on both.
"""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
from virage_demo_territory.tour.server import free_port, wait_until_up

from tests.accounts.conftest import csrf_from
from tests.conftest import ROOT
from virage.accounts import notice, notice_storage, second_factor_storage, throttle
from virage.db import utcnow_iso
from virage.sdk import Settings, accounts
from virage.sdk.testing import open_database

PASSWORD = "mot-de-passe-de-test"
SERVE = [sys.executable, "-m", "virage.cli", "serve", "--host", "127.0.0.1", "--port"]


@pytest.fixture
def two_servers(tmp_path):
    db_path = tmp_path / "virage.db"
    db = open_database(Settings(db_path=db_path, secret_key="deux-processus"))
    structure = accounts.create_structure(db, "SSIAD du Val", "ssiad")
    lea = accounts.create_user(
        db,
        username="lea",
        display_name="Léa Morel",
        password=PASSWORD,
        structure_id=structure,
        role="secretariat",  # no health data: the password alone logs in
    )
    notice_storage.acknowledge(db, lea, notice.NOTICE_VERSION, utcnow_iso(), [])
    # The structure's own network: a secretary logs in there with her password alone.
    second_factor_storage.set_structure_rule(db, structure, "hors_reseaux", ["127.0.0.0/8"])
    db.close()
    env = {**os.environ, "VIRAGE_DB": str(db_path), "VIRAGE_SECRET_KEY": "deux-processus"}
    procs, bases = [], []
    try:
        for _ in range(2):
            port = free_port()
            proc = subprocess.Popen(
                [*SERVE, str(port)],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            procs.append(proc)
            base = f"http://127.0.0.1:{port}"
            wait_until_up(f"{base}/healthz", proc)
            bases.append(base)
        yield bases
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _log_in(client: httpx.Client, base: str, password: str = PASSWORD) -> httpx.Response:
    page = client.get(f"{base}/connexion")
    return client.post(
        f"{base}/connexion",
        data={
            "username": "lea",
            "password": password,
            "_csrf_token": csrf_from(page.text),
            "suivant": "/moi",
        },
    )


def test_a_session_opened_on_one_process_works_on_the_other(two_servers):
    a, b = two_servers
    with httpx.Client(follow_redirects=False, timeout=20) as client:
        assert _log_in(client, a).status_code == 303
        mine = client.get(f"{b}/moi")
        assert mine.status_code == 200
        assert "Léa Morel" in mine.text
        # A form served by one process is accepted by the other (same secret, same session).
        form = client.get(f"{a}/moi")
        out = client.post(f"{b}/deconnexion", data={"_csrf_token": csrf_from(form.text)})
        assert out.status_code in (302, 303)
        assert client.get(f"{a}/moi").status_code in (302, 303)  # logged out on both


def test_the_login_throttle_counts_failures_on_both_processes(two_servers):
    a, b = two_servers
    with httpx.Client(follow_redirects=False, timeout=20) as client:
        for i in range(throttle.FREE_FAILURES):
            wrong = _log_in(client, (a, b)[i % 2], "pas-le-bon-mot-de-passe")
            assert wrong.status_code != 303
        refused = _log_in(client, b)  # the right password, but too many failures in a row
        assert refused.status_code != 303
        assert "Trop de tentatives" in refused.text
        assert "Trop de tentatives" in _log_in(client, a).text

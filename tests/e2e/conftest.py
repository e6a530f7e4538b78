"""A real Virage server (uvicorn, demo database, built docs) on 127.0.0.1 for browser tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from virage_demo_territory.tour.server import free_port, start_server, wait_until_up

from tests.conftest import ROOT


@pytest.fixture(scope="session")
def server_env(tmp_path_factory, built_docs) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("server")
    env = {
        **os.environ,
        "VIRAGE_DB": str(folder / "demo.db"),
        "VIRAGE_DOCS_DIR": str(built_docs),
        "VIRAGE_SECRET_KEY": "e2e-secret",
    }
    env.pop("VIRAGE_PLUGINS", None)
    subprocess.run(
        [sys.executable, "-m", "virage.cli", "demo", "--no-serve"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return env


@pytest.fixture(scope="session")
def live_server(server_env) -> str:
    """Base URL (without trailing slash) of a running demo server."""
    port = free_port()
    proc = start_server(
        [sys.executable, "-m", "virage.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        server_env,
        Path(server_env["VIRAGE_DB"]).with_name("server.log"),
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/healthz", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def phone(browser):
    """A browser context the size of a phone, in French."""
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    yield context
    context.close()

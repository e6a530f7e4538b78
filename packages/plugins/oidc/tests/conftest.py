"""Fixtures of the single sign-on tests: a real OpenID Connect provider on 127.0.0.1 (panva's
``oidc-provider``, installed from npm into ``.cache/oidc-provider`` the first time), the accounts'
small world, and a browser that logs in through the provider's form.

The provider is skipped, with the reason, only when Node.js is not installed; ``./scripts/test``
installs it. npm's registry must be reachable the first time (as PyPI is for ``uv sync``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[4]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.accounts.conftest import _world_template, app, client, world  # noqa: E402, F401

if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))

from oidc_helpers import (  # noqa: E402
    ACCOUNTS,
    CACHE,
    CLIENT_ID,
    CLIENT_SECRET,
    OIDC_PROVIDER_VERSION,
    REDIRECT_URI,
    SCRIPT,
    RunningProvider,
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _install() -> None:
    if (CACHE / "node_modules" / "oidc-provider" / "package.json").exists():
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "package.json").write_text('{"name": "virage-test-oidc", "private": true}\n')
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", f"oidc-provider@{OIDC_PROVIDER_VERSION}"],
        cwd=CACHE,
        check=True,
        capture_output=True,
        timeout=300,
    )


def _claims(login: str, number: str) -> dict:
    given, family = login.split("-")[0].capitalize(), "Test"
    return {
        "SubjectNameID": "8" + number,
        "preferred_username": "8" + number,
        "given_name": given,
        "family_name": family,
        "SubjectOrganization": "SSIAD A",
        "SubjectRefPro": {
            "exercices": [
                {"codeProfession": "60", "nomDexercice": family, "prenomDexercice": given}
            ]
        },
    }


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js et npm absents : le fournisseur OpenID Connect de test ne peut pas "
                    "tourner (./scripts/test les installe).")  # fmt: skip
    _install()
    script = CACHE / "provider.mjs"
    shutil.copyfile(SCRIPT, script)  # ES modules find node_modules next to the script
    port = _free_port()
    config = {
        "port": port,
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [REDIRECT_URI],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic",
        },
        "accounts": {
            login: {"claims": _claims(login, number), "acr": acr}
            for login, (number, acr) in ACCOUNTS.items()
        },
    }
    folder = tmp_path_factory.mktemp("oidc")
    (folder / "config.json").write_text(json.dumps(config))
    log = open(folder / "provider.log", "w")  # noqa: SIM115 - closed at the end
    process = subprocess.Popen(
        ["node", str(script), str(folder / "config.json")],
        cwd=CACHE,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NODE_ENV": "development"},
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(issuer + "/.well-known/openid-configuration").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "provider.log").read_text())
            time.sleep(0.2)
        yield RunningProvider(issuer)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def sso(oidc_provider, monkeypatch):
    """Single sign-on configured for the test's application (the settings are read at each use)."""
    for key, value in oidc_provider.env().items():
        monkeypatch.setenv(key, value)
    return oidc_provider

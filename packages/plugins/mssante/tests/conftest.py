"""Fixtures of the MSSanté connector's tests: a real mail server on 127.0.0.1 (dovecot for IMAPS,
aiosmtpd for SMTP with STARTTLS, see ``mailserver.py``) started once per test run, each test
with fresh mailboxes, and the plugin's settings pointing at it."""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import mailserver  # noqa: E402
from mailserver import PASSWORD  # noqa: E402

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def mail_server():
    if not mailserver.available():
        if os.environ.get("VIRAGE_REQUIRE_MAILSERVER") == "1":
            pytest.fail("dovecot (paquet Debian dovecot-imapd) est requis et introuvable")
        pytest.skip("dovecot absent : installez dovecot-imapd (./scripts/test le fait)")
    # Enough accounts for every test: each test takes fresh ones (no shared mailbox).
    accounts = {}
    for n in range(1, 41):
        accounts[f"astreinte{n}@ssiad.mssante.test"] = PASSWORD
        accounts[f"dr.lefort{n}@hopital.mssante.test"] = PASSWORD
    server = mailserver.start(accounts)
    yield server
    server.stop()


@pytest.fixture
def mail(mail_server, tmp_path, monkeypatch):
    """The server, this test's two addresses, and the settings (environment) pointing at it."""
    n = next(_numbers)
    mail_server.inbox_address = f"astreinte{n}@ssiad.mssante.test"
    mail_server.doctor_address = f"dr.lefort{n}@hopital.mssante.test"
    credentials = tmp_path / "identifiants"
    credentials.write_text(
        "# adresse mot-de-passe\n"
        f"{mail_server.inbox_address} {PASSWORD}\n{mail_server.doctor_address} {PASSWORD}\n"
    )
    for name, value in mail_server.environment(credentials).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("VIRAGE_MSSANTE_POLL_SECONDS", "0")
    return mail_server


from tests.accounts.conftest import _world_template, world  # noqa: E402, F401

# The browser scenario (test_mssante_browser.py): Debian's Chromium, as in tests/e2e.
from tests.conftest import browser_type_launch_args  # noqa: E402, F401

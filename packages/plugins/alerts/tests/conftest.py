"""Fixtures of the alerts tests: the accounts' small world (structures a and b, p1 in a), and
the demo server for the browser scenario."""

from __future__ import annotations

import sys
from pathlib import Path

# The repository root (shared fixtures in tests/accounts/conftest.py) and this folder (helpers).
ROOT = Path(__file__).resolve().parents[4]
for folder in (ROOT, Path(__file__).resolve().parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from tests.accounts.conftest import _world_template, app, client, world  # noqa: E402, F401

# The browser scenario: Chromium's settings, the built docs and the demo server of tests/e2e.
from tests.conftest import browser_type_launch_args, built_docs, capture  # noqa: E402, F401
from tests.e2e.conftest import live_server, server_env  # noqa: E402, F401

"""Fixtures of the teleconsultation tests: the accounts' small world and two remote doctors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The repository root (shared fixtures in tests/accounts/conftest.py) and this folder (helpers).
ROOT = Path(__file__).resolve().parents[4]
for folder in (ROOT, Path(__file__).resolve().parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from tc_helpers import make_doctors  # noqa: E402

from tests.accounts.conftest import _world_template, app, client, world  # noqa: E402, F401


@pytest.fixture
def doctors(world) -> dict[str, int]:  # noqa: F811
    return make_doctors(world)

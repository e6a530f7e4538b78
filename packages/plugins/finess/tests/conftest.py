"""Fixtures of the FINESS connector tests: the real ANS sample, the synthetic Etalab files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The repository root, so that the shared test fixtures (tests/accounts/conftest.py) import when
# this folder is run on its own.
ROOT = Path(__file__).resolve().parents[4]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from virage_finess import SAMPLE  # noqa: E402

from tests.accounts.conftest import _world_template, app, client, world  # noqa: E402, F401
from virage.sdk.testing import connect  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_SAMPLE = (
    ROOT.parent / "shared" / "data" / "finess" / "finess-structures-sample-20260309.json"
)


@pytest.fixture
def sample() -> Path:
    return SAMPLE


@pytest.fixture
def shared_sample() -> Path:
    return SHARED_SAMPLE


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def db(world):  # noqa: F811
    database = connect(world.settings.db_path)
    yield database
    database.conn.close()


@pytest.fixture
def cli_env(world, monkeypatch):  # noqa: F811
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    monkeypatch.delenv("VIRAGE_PLUGINS", raising=False)
    return world

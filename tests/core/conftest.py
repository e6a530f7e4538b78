from __future__ import annotations

import pytest

from tests.conftest import plugin_allow_list
from virage.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        db_path=tmp_path / "virage.db",
        docs_dir=None,
        secret_key="test-secret",
        plugins=plugin_allow_list(),
    )

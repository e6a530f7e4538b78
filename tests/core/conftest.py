from __future__ import annotations

import pytest

from virage.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db_path=tmp_path / "virage.db", docs_dir=None, secret_key="test-secret")

"""HEAD answers wherever GET does under /docs/, whether the documentation is built or not."""

from __future__ import annotations

from litestar.testing import TestClient

from virage.app import create_app
from virage.settings import Settings


def test_head_on_missing_docs_answers_like_get(tmp_path):
    app = create_app(Settings(db_path=tmp_path / "v.db", docs_dir=None, secret_key="x"))
    with TestClient(app) as client:
        got = client.get("/docs/")
        head = client.head("/docs/")
    assert got.status_code == head.status_code == 404
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]

"""The demo territory with every plugin, served by a test client: the world the route walk uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from litestar.testing import TestClient

from tests.accounts.sql import query
from tests.accounts.world_copy import copy_world
from tests.conftest import plugin_allow_list
from virage.accounts import service
from virage.app import create_app
from virage.cli import main
from virage.db import connect
from virage.settings import Settings

DEMO_PASSWORD = "demo-virage-2026"

#: A documentation site with what MkDocs Material writes: an inline script and a JSON block.
DOCS_INDEX = """<!doctype html><html lang="fr"><head><title>Docs</title>
<script>var __md_scope = new URL(".", location);</script>
<script id="__config" type="application/json">{"search": "search.js"}</script>
</head><body><p>Documentation</p></body></html>"""


@dataclass
class Demo:
    settings: Settings
    db_path: Path

    def ids(self, sql: str, params=(), *, missing_ok: bool = False) -> list:
        """The first column of a query's rows (``[]`` for a table not created when ``missing_ok``:
        the plugin that owns it is not loaded)."""
        db = connect(self.db_path)
        try:
            return [row[0] for row in db.execute(sql, list(params)).fetchall()]
        except db.Error:
            if missing_ok:
                return []
            raise
        finally:
            db.close()


def write_docs_site(folder: Path) -> Path:
    (folder / "guides").mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(DOCS_INDEX, encoding="utf-8")
    (folder / "guides" / "index.html").write_text(DOCS_INDEX, encoding="utf-8")
    (folder / "404.html").write_text("<p>Page introuvable</p>", encoding="utf-8")
    return folder


@pytest.fixture
def settings(tmp_path) -> Settings:
    """An empty database, no documentation site."""
    return Settings(
        db_path=tmp_path / "virage.db",
        docs_dir=None,
        secret_key="secret-de-test",
        plugins=plugin_allow_list(),
    )


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo territory, built once by ``virage demo --no-serve``."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VIRAGE_DB", str(db))
        assert main(["demo", "--no-serve"]) == 0
    return db


@pytest.fixture(scope="module")
def demo(demo_db, tmp_path_factory) -> Demo:
    """A copy of the demo database per test module, and a small built documentation site."""
    folder = tmp_path_factory.mktemp("demo-copy")
    path = folder / "demo.db"
    settings = Settings(
        db_path=path,
        docs_dir=write_docs_site(folder / "site"),
        secret_key="secret-de-test",
        plugins=plugin_allow_list(),
    )
    copy_world(demo_db, settings)
    return Demo(settings, path)


@pytest.fixture(scope="module")
def demo_app(demo):
    return create_app(demo.settings)


def csrf_from(html: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the form"
    return match.group(1)


def sign_in(client: TestClient, username: str) -> None:
    page = client.get("/connexion")
    response = client.post(
        "/connexion",
        data={
            "username": username,
            "password": DEMO_PASSWORD,
            "_csrf_token": csrf_from(page.text),
            "suivant": "/moi",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def api_token(demo: Demo, username: str) -> str:
    """A fresh API token of ``username`` for their first structure."""
    [(user_id, structure_id)] = query(
        demo.db_path,
        "SELECT u.id, m.structure_id FROM users u JOIN memberships m ON m.user_id = u.id"
        " WHERE u.username = ? ORDER BY m.structure_id LIMIT 1",
        [username],
    )
    db = connect(demo.db_path)
    try:
        return service.create_token(db, int(user_id), int(structure_id), "parcours des routes")[1]
    finally:
        db.close()

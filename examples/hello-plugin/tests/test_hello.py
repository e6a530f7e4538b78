"""Tests of the example plugin, through the public surface: entry point, HTTP, CLI."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest
from litestar.testing import TestClient

from virage.app import create_app
from virage.cli import main
from virage.db import applied_migrations, connect
from virage.settings import Settings


@pytest.fixture
def settings(tmp_path):
    return Settings(db_path=tmp_path / "virage.db")


def test_discovered_through_its_entry_point():
    eps = {ep.name: ep.value for ep in entry_points(group="virage")}
    assert eps.get("hello") == "virage_hello"


def test_page_api_nav_and_migration(settings):
    with TestClient(create_app(settings)) as client:
        home = client.get("/")
        assert 'href="/hello/"' in home.text and "Bonjour" in home.text
        assert client.get("/api/v1/hello").json() == {"greetings": 0}
        created = client.post("/api/v1/hello", json={"name": "  Camille "})
        assert created.status_code == 201
        assert created.json()["message"] == "Bonjour Camille !"
        page = client.get("/hello/")
        assert page.status_code == 200
        assert '<strong id="hello-count">1</strong>' in page.text
        schema = client.get("/schema/openapi.json").json()
        assert "/api/v1/hello" in schema["paths"]
    db = connect(settings.db_path)
    assert ("hello", "0001_greetings") in applied_migrations(db)


@pytest.mark.parametrize("payload", [{"name": ""}, {"name": "   "}, {}, {"name": "x" * 81}])
def test_bad_input_is_a_clear_400_and_writes_nothing(settings, payload):
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/v1/hello", json=payload)
        assert response.status_code == 400
        body = response.json()
        assert "name" in body["detail"]
        assert client.get("/api/v1/hello").json() == {"greetings": 0}


def test_cli_command(settings, monkeypatch, capsys):
    monkeypatch.setenv("VIRAGE_DB", str(settings.db_path))
    assert main(["hello", "Camille"]) == 0
    assert "Bonjour Camille !" in capsys.readouterr().out
    assert main(["hello", " "]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Erreur : ") and "Traceback" not in err


def test_plugins_listing_shows_hello(settings, monkeypatch, capsys):
    monkeypatch.setenv("VIRAGE_DB", str(settings.db_path))
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "hello 0.1.0" in out
    assert "register_commands" in out and "register_routes" in out


def test_allow_list_excludes_it(tmp_path):
    settings = Settings(db_path=tmp_path / "v.db", plugins=())
    with TestClient(create_app(settings)) as client:
        assert client.get("/hello/").status_code == 404
        assert all(p["name"] != "hello" for p in client.get("/api/v1/plugins").json())

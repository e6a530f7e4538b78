"""The application over HTTP: health, API schema, offline API page, French errors."""

from __future__ import annotations

import os
import re

import pytest
from litestar.testing import TestClient

from virage.app import create_app
from virage.db import TEST_REDIRECT_ENV, Migration
from virage.plugins import hookimpl
from virage.system import service as system_service
from virage.web.templating import paris_time

ENGINE = "postgresql" if os.environ.get(TEST_REDIRECT_ENV) else "sqlite"


def test_healthz(settings):
    with TestClient(create_app(settings)) as client:
        response = client.get("/healthz")
        assert response.status_code == 200
        health = response.json()
        assert health["status"] == "ok"
        assert health["database"] == "ok"
        assert health["engine"] == ENGINE
        assert health["migrations"] == 0
        assert health["failed_plugins"] == 0


class _LateMigration:
    """A plugin installed after the process started: its migration is not applied yet."""

    @hookimpl
    def register_migrations(self):
        return [
            Migration("late", "0001_table", lambda db: db.execute("CREATE TABLE late (x TEXT)"))
        ]


def test_healthz_counts_the_migrations_not_applied(settings):
    app = create_app(settings)
    with TestClient(app) as client:
        app.state.plugins.register(_LateMigration(), "late")
        health = client.get("/healthz").json()
        assert health["status"] == "ok"
        assert health["migrations"] == 1


def test_healthz_when_the_database_does_not_answer(settings, monkeypatch):
    app = create_app(settings)
    with TestClient(app) as client:
        db = app.state.pool.get()

        def down(_db):
            raise db.Error("the server closed the connection")

        monkeypatch.setattr(system_service, "ping", down)
        response = client.get("/healthz")
        assert response.status_code == 503
        health = response.json()
        assert (health["status"], health["database"]) == ("degraded", "unavailable")
        assert health["engine"] == ENGINE
        assert health["migrations"] is None


def test_home_is_french_and_mobile_first(settings):
    with TestClient(create_app(settings)) as client:
        html = client.get("/").text
        assert '<html lang="fr">' in html
        assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
        assert "Bienvenue sur Virage" in html
        assert 'aria-label="Navigation principale"' in html


def test_openapi_lists_the_api(settings):
    with TestClient(create_app(settings)) as client:
        schema = client.get("/schema/openapi.json").json()
        assert schema["openapi"].startswith("3.1")
        assert "/api/v1/plugins" in schema["paths"]
        assert "/healthz" in schema["paths"]


def test_api_page_uses_only_local_assets(settings):
    with TestClient(create_app(settings)) as client:
        html = client.get("/schema/").text
        urls = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", html)
        assert urls, html
        for url in urls:
            assert url.startswith("/"), f"external asset on the API page: {url}"
            assert client.get(url).status_code == 200, url


def test_unknown_page_is_a_french_404(settings):
    with TestClient(create_app(settings)) as client:
        page = client.get("/nulle-part")
        assert page.status_code == 404
        assert "Introuvable" in page.text and "Traceback" not in page.text
        api = client.get("/api/v1/nulle-part")
        assert api.status_code == 404
        assert api.json()["detail"].startswith("Cette page")


def test_docs_fallback_when_site_not_built(settings):
    with TestClient(create_app(settings)) as client:
        response = client.get("/docs/")
        assert response.status_code == 404
        assert "Documentation non construite" in response.text


def test_docs_served_when_built(settings, tmp_path):
    site = tmp_path / "site"
    (site / "leviers").mkdir(parents=True)
    (site / "index.html").write_text("<html lang=fr><title>Docs</title></html>")
    (site / "leviers" / "index.html").write_text("<p>leviers</p>")
    with TestClient(create_app(settings.with_(docs_dir=site))) as client:
        assert client.get("/docs/").text.startswith("<html lang=fr>")
        assert client.get("/docs/leviers/").text == "<p>leviers</p>"


def test_bad_query_parameter_is_a_clear_400(settings):
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/v1/plugins", params={"builtins": "peut-être"})
        assert response.status_code == 400
        body = response.json()
        assert "builtins" in body["detail"]
        assert body["errors"][0]["champ"] == "builtins"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2026-11-24T13:05:00+00:00", "24 novembre 2026 à 14 h 05"),  # winter: UTC+1
        ("2026-07-01T22:30:00Z", "2 juillet 2026 à 0 h 30"),  # summer: UTC+2, next day in Paris
        ("2026-03-29T00:59:00+00:00", "29 mars 2026 à 1 h 59"),  # just before the spring change
        ("2026-03-29T01:00:00+00:00", "29 mars 2026 à 3 h 00"),  # just after it
        ("2026-11-24T13:05:00", "24 novembre 2026 à 14 h 05"),  # naive values are UTC (as stored)
        (None, ""),
        ("", ""),
    ],
)
def test_times_are_shown_in_paris_time(stored, shown):
    assert paris_time(stored) == shown

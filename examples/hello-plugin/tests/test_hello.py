"""Tests of the example plugin, through the public surface: entry point, HTTP, CLI.

Nothing is anonymous: the API needs a bearer token, the page a session, the command an account;
the plugin's own permission is decided by the core and each greeting is in the audit trail.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from importlib.metadata import entry_points

import pytest
from litestar.testing import TestClient

from virage.accounts import notice, notice_storage, service, storage
from virage.accounts.auth import SESSION_COOKIE
from virage.app import create_app, prepare_database
from virage.cli import main
from virage.db import applied_migrations, connect, transaction, utcnow, utcnow_iso
from virage.plugins import PluginHost
from virage.settings import Settings

PASSWORD = "mot-de-passe-de-test"


@dataclass
class Team:
    settings: Settings
    structure_id: int
    tokens: dict[str, str]  # username -> bearer token


@pytest.fixture
def team(tmp_path) -> Team:
    """One structure, a nurse (may greet) and a care assistant (may only count), with tokens."""
    settings = Settings(db_path=tmp_path / "virage.db", secret_key="secret-de-test")
    db = prepare_database(settings, PluginHost(settings))
    sid = storage.create_structure(db, "SSIAD Hello", "SSIAD")
    tokens = {}
    for username, role in (("infirmiere", "nurse"), ("aide", "care_assistant")):
        uid = service.create_user(
            db,
            username=username,
            display_name=username.title(),
            password=PASSWORD,
            structure_id=sid,
            role=role,
        )
        tokens[username] = service.create_token(db, uid, sid, f"jeton {username}")[1]
    db.conn.close()
    return Team(settings, sid, tokens)


def signed_in(team: Team, username: str) -> str:
    """A session as the log-in opens it (the log-in itself is the core's to test), for a worker
    who has read the first-use notice (until then every page leads to it)."""
    db = connect(team.settings.db_path)
    try:
        user = storage.get_user_by_username(db, username)
        token = secrets.token_urlsafe(32)
        expires = utcnow() + timedelta(hours=1)
        with transaction(db):
            storage.create_session(db, service.hash_secret(token), user["id"], expires)
            notice_storage.acknowledge(db, user["id"], notice.NOTICE_VERSION, utcnow_iso(), [])
    finally:
        db.conn.close()
    return token


def auth(team: Team, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {team.tokens[username]}"}


def audit(team: Team, action: str) -> list[tuple]:
    conn = sqlite3.connect(team.settings.db_path)
    try:
        return conn.execute(
            "SELECT outcome, structure_id, via FROM audit_log WHERE action = ? ORDER BY id",
            [action],
        ).fetchall()
    finally:
        conn.close()


def test_discovered_through_its_entry_point():
    eps = {ep.name: ep.value for ep in entry_points(group="virage")}
    assert eps.get("hello") == "virage_hello"


def test_anonymous_calls_are_refused_and_write_nothing(team):
    with TestClient(create_app(team.settings)) as client:
        for response in (
            client.get("/api/v1/hello"),
            client.post("/api/v1/hello", json={"name": "Camille"}),
            client.post("/api/v1/hello", json={"name": "Camille"}, headers={"Authorization": "x"}),
        ):
            assert response.status_code == 401
            assert "Jeton" in response.json()["detail"]
        page = client.get("/hello/", follow_redirects=False)
        assert page.status_code in (302, 303) and "/connexion" in page.headers["location"]
        assert client.get("/api/v1/hello", headers=auth(team, "aide")).json() == {"greetings": 0}


def test_a_greeting_needs_the_plugin_permission_and_is_audited(team):
    with TestClient(create_app(team.settings)) as client:
        refused = client.post("/api/v1/hello", json={"name": "Camille"}, headers=auth(team, "aide"))
        assert refused.status_code == 403
        assert "ne permet pas" in refused.json()["detail"]
        created = client.post(
            "/api/v1/hello", json={"name": "  Camille "}, headers=auth(team, "infirmiere")
        )
        assert created.status_code == 201, created.text
        assert created.json()["message"] == "Bonjour Camille !"
        assert client.get("/api/v1/hello", headers=auth(team, "aide")).json() == {"greetings": 1}
        # The core lists the plugin's permission with the others.
        registry = client.app.state.plugins
        declared = [p.name for p in registry.call_flat("register_permissions")]
        assert {"hello.greet", "hello.read"} <= set(declared)
    assert audit(team, "hello.greet") == [
        ("denied", team.structure_id, "token"),
        ("allowed", team.structure_id, "token"),
    ]


def test_page_nav_and_migrations_for_a_signed_in_user(team):
    with TestClient(create_app(team.settings)) as client:
        client.post("/api/v1/hello", json={"name": "Camille"}, headers=auth(team, "infirmiere"))
        client.cookies.set(SESSION_COOKIE, signed_in(team, "aide"))
        home = client.get("/")
        assert 'href="/hello/"' in home.text and "Bonjour" in home.text
        page = client.get("/hello/")
        assert page.status_code == 200
        assert "SSIAD Hello : <strong>1</strong> salutation<" in page.text
        schema = client.get("/schema/openapi.json").json()
        assert "/api/v1/hello" in schema["paths"]
    db = connect(team.settings.db_path)
    assert ("hello", "0001_greetings") in applied_migrations(db)
    assert ("hello", "0002_structure_and_author") in applied_migrations(db)
    db.conn.close()


@pytest.mark.parametrize("payload", [{"name": ""}, {"name": "   "}, {}, {"name": "x" * 81}])
def test_bad_input_is_a_clear_400_and_writes_nothing(team, payload):
    with TestClient(create_app(team.settings)) as client:
        response = client.post("/api/v1/hello", json=payload, headers=auth(team, "infirmiere"))
        assert response.status_code == 400
        body = response.json()
        assert "name" in body["detail"]
        assert client.get("/api/v1/hello", headers=auth(team, "aide")).json() == {"greetings": 0}


def test_cli_command_acts_as_an_account(team, monkeypatch, capsys):
    monkeypatch.setenv("VIRAGE_DB", str(team.settings.db_path))
    args = ["hello", "Camille", "--structure", "SSIAD Hello"]
    assert main([*args, "--as", "infirmiere"]) == 0
    assert "Bonjour Camille !" in capsys.readouterr().out
    assert main([*args, "--as", "aide"]) == 1  # the care assistant may not greet
    err = capsys.readouterr().err
    assert err.startswith("Erreur : ") and "ne permet pas" in err and "Traceback" not in err
    assert main(["hello", " ", "--structure", "SSIAD Hello", "--as", "infirmiere"]) == 1
    assert main(["hello", "Camille", "--structure", "Nulle part", "--as", "infirmiere"]) == 1
    assert "introuvable" in capsys.readouterr().err
    assert [(o, v) for o, _, v in audit(team, "hello.greet")] == [
        ("allowed", "cli"),
        ("denied", "cli"),
    ]


def test_plugins_listing_shows_hello(team, monkeypatch, capsys):
    monkeypatch.setenv("VIRAGE_DB", str(team.settings.db_path))
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "hello 0.1.0" in out
    assert "register_permissions" in out and "register_routes" in out


def test_allow_list_excludes_it(tmp_path):
    settings = Settings(db_path=tmp_path / "v.db", plugins=())
    with TestClient(create_app(settings)) as client:
        assert client.get("/hello/", follow_redirects=False).status_code == 404
        assert all(p["name"] != "hello" for p in client.get("/api/v1/plugins").json())

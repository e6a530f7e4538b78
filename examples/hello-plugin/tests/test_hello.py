"""Tests of the example plugin, through the public surface: entry point, HTTP, CLI.

Nothing is anonymous: the API needs a bearer token, the page a session, the command an account;
the plugin's own permission is decided by the core and each greeting is in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points

import pytest
import virage_hello
from litestar.testing import TestClient

from virage.sdk import Settings, accounts
from virage.sdk.testing import (
    SESSION_COOKIE,
    applied_migrations,
    cli,
    connect,
    create_app,
    open_database,
    signed_in,
    token_for,
)

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
    db = open_database(settings)
    sid = accounts.create_structure(db, "SSIAD Hello", "SSIAD")
    tokens = {}
    for username, role in (("infirmiere", "nurse"), ("aide", "care_assistant")):
        uid = accounts.create_user(
            db,
            username=username,
            display_name=username.title(),
            password=PASSWORD,
            structure_id=sid,
            role=role,
        )
        tokens[username] = token_for(db, uid, sid, f"jeton {username}")
    db.close()
    return Team(settings, sid, tokens)


def session(team: Team, username: str) -> str:
    """A session as the log-in opens it (the log-in itself is the core's to test), for a worker
    who has read the first-use notice (until then every page leads to it)."""
    db = connect(team.settings.db_path)
    try:
        return signed_in(db, username)
    finally:
        db.close()


def auth(team: Team, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {team.tokens[username]}"}


def audit(team: Team, action: str) -> list[tuple]:
    db = connect(team.settings.db_path)
    try:
        return [
            tuple(row)
            for row in db.execute(
                "SELECT outcome, structure_id, via FROM audit_log WHERE action = ? ORDER BY id",
                [action],
            ).fetchall()
        ]
    finally:
        db.close()


def test_discovered_through_its_entry_point():
    eps = {ep.name: ep.value for ep in entry_points(group="virage")}
    assert eps.get("hello") == "virage_hello"
    # the SDK range it is written for: a Virage outside it refuses to load the plugin
    assert virage_hello.VIRAGE_SDK == ">=1,<2"


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
        client.cookies.set(SESSION_COOKIE, session(team, "aide"))
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
    assert ("hello", "0003_row_security") in applied_migrations(db)
    db.close()


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
    assert cli([*args, "--as", "infirmiere"]) == 0
    assert "Bonjour Camille !" in capsys.readouterr().out
    assert cli([*args, "--as", "aide"]) == 1  # the care assistant may not greet
    err = capsys.readouterr().err
    assert err.startswith("Erreur : ") and "ne permet pas" in err and "Traceback" not in err
    assert cli(["hello", " ", "--structure", "SSIAD Hello", "--as", "infirmiere"]) == 1
    assert cli(["hello", "Camille", "--structure", "Nulle part", "--as", "infirmiere"]) == 1
    assert "introuvable" in capsys.readouterr().err
    assert [(o, v) for o, _, v in audit(team, "hello.greet")] == [
        ("allowed", "cli"),
        ("denied", "cli"),
    ]


def test_plugins_listing_shows_hello(team, monkeypatch, capsys):
    monkeypatch.setenv("VIRAGE_DB", str(team.settings.db_path))
    assert cli(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "hello 0.1.0" in out
    assert "register_permissions" in out and "register_routes" in out


def test_allow_list_excludes_it(tmp_path):
    settings = Settings(db_path=tmp_path / "v.db", plugins=())
    with TestClient(create_app(settings)) as client:
        assert client.get("/hello/", follow_redirects=False).status_code == 404
        assert all(p["name"] != "hello" for p in client.get("/api/v1/plugins").json())


@pytest.mark.postgres_only
def test_postgresql_shows_a_structure_only_its_own_greetings(team):
    """Row-level security (``structure_policy``): a query without ``WHERE structure_id = ?``
    still sees only the greetings of the structures the request acts for."""
    with TestClient(create_app(team.settings)) as client:
        created = client.post(
            "/api/v1/hello", json={"name": "Camille"}, headers=auth(team, "infirmiere")
        )
        assert created.status_code == 201, created.text
    db = connect(team.settings.db_path)
    try:
        count = "SELECT count(*) FROM hello_greetings"
        assert db.execute(count).fetchone()[0] == 1  # the command line acts for every structure
        # what a request of a worker of another structure tells the database (see db_scope)
        db.execute("SELECT set_config('virage.structures', ?, false)", [str(team.structure_id + 1)])
        assert db.execute(count).fetchone()[0] == 0
        db.execute("SELECT set_config('virage.structures', ?, false)", [str(team.structure_id)])
        assert db.execute(count).fetchone()[0] == 1
    finally:
        db.close()

"""The command line: one clear line on errors, never a traceback."""

from __future__ import annotations

import json
import socket

import pytest

from tests.accounts.sql import query
from virage.cli import main


@pytest.fixture
def env_db(tmp_path, monkeypatch):
    path = tmp_path / "virage.db"
    monkeypatch.setenv("VIRAGE_DB", str(path))
    return path


def test_db_migrate_and_status(env_db, capsys):
    assert main(["db", "migrate"]) == 0
    out = capsys.readouterr().out
    assert "appliquée : core/0001_instance" in out
    assert main(["db", "migrate"]) == 0
    assert "est à jour" in capsys.readouterr().out
    assert main(["db", "status"]) == 0
    assert "appliquée   core/0001_instance" in capsys.readouterr().out


def test_plugins_json(env_db, capsys):
    assert main(["plugins", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert any(p["name"] == "hello" and p["hooks"] for p in listing)


def test_demo_creates_then_refreshes(env_db, capsys):
    assert main(["demo", "--no-serve"]) == 0
    assert "Base de démonstration prête" in capsys.readouterr().out
    assert query(env_db, "SELECT value FROM instance WHERE key='demo'") == [("1",)]
    persons = query(env_db, "SELECT count(*) FROM persons")
    assert main(["demo", "--no-serve", "--seed", "7"]) == 0
    # Refreshed, not added to: the same territory again, with the new seed.
    assert query(env_db, "SELECT value FROM instance WHERE key='demo_seed'") == [("7",)]
    assert query(env_db, "SELECT count(*) FROM persons") == persons


def test_demo_without_a_territory_says_what_to_install(env_db, capsys, monkeypatch):
    monkeypatch.setenv("VIRAGE_PLUGINS", "finess,hello")  # the territory plugin left out
    assert main(["demo", "--no-serve"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Erreur : Aucun territoire de démonstration")
    assert "virage-demo-territory" in err and err.count("\n") == 1
    assert not env_db.exists()  # no half-made database left behind


def test_demo_never_overwrites_a_real_database(env_db, capsys):
    assert main(["db", "migrate"]) == 0
    capsys.readouterr()
    assert main(["demo", "--no-serve"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Erreur : ") and "n'est pas une base de démonstration" in err
    assert err.count("\n") == 1


def test_serve_on_a_busy_port_is_one_clear_line(env_db, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert "déjà utilisé" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "code", "expected"),
    [
        (["serve", "--port", "99999"], 2, "--port"),
        (["commande-inconnue"], 2, "commande-inconnue"),
    ],
)
def test_usage_errors(env_db, capsys, argv, code, expected):
    assert main(argv) == code
    err = capsys.readouterr().err
    assert err.startswith("Erreur : ") and expected in err and "Traceback" not in err


def test_bad_environment_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VIRAGE_DB", str(tmp_path))  # a folder, not a file
    assert main(["db", "migrate"]) == 1
    assert "VIRAGE_DB" in capsys.readouterr().err
    monkeypatch.setenv("VIRAGE_DB", str(tmp_path / "ok.db"))
    monkeypatch.setenv("VIRAGE_TRACE_HOOKS", "peut-être")
    assert main(["plugins"]) == 1
    assert "VIRAGE_TRACE_HOOKS" in capsys.readouterr().err

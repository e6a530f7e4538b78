"""The demo for evaluators (issue 17): kept between runs, rebuilt on demand, without the example
plugin; on both engines (a SQLite path becomes a PostgreSQL schema in that pass)."""

from __future__ import annotations

import pytest

from tests.accounts.sql import query
from virage.cli import main
from virage.db import connect
from virage.demo import NOT_IN_DEMO, demo_plugins
from virage.settings import Settings
from virage.system import service as system


@pytest.fixture
def env_db(tmp_path, monkeypatch):
    path = tmp_path / "demo.db"
    monkeypatch.setenv("VIRAGE_DB", str(path))
    monkeypatch.delenv("VIRAGE_PLUGINS", raising=False)
    return path


def _mark(path, value: str) -> None:
    """What an evaluator tried: a trace of her own in the database."""
    db = connect(path)
    try:
        system.set_instance_info(db, "essai_evaluatrice", value)
    finally:
        db.close()


def test_the_example_plugin_is_not_in_the_demo(tmp_path):
    settings = demo_plugins(Settings(db_path=tmp_path / "x.db", plugins=None))
    assert settings.plugins is not None
    assert "hello" in NOT_IN_DEMO and "hello" not in settings.plugins
    assert {"demo_territory", "finess"} <= set(settings.plugins)
    # VIRAGE_PLUGINS decides when it is set, example included
    chosen = Settings(db_path=tmp_path / "x.db", plugins=("hello", "demo_territory"))
    assert demo_plugins(chosen).plugins == ("hello", "demo_territory")


def test_keep_serves_what_the_evaluator_did_and_reset_rebuilds(env_db, capsys):
    assert main(["demo", "--no-serve", "--keep"]) == 0  # nothing to keep: built
    first = capsys.readouterr().out
    assert "Base de démonstration prête" in first and "paul.infirmier" in first
    assert query(env_db, "SELECT count(*) FROM _migrations WHERE namespace = 'hello'") == [(0,)]
    _mark(env_db, "oui")
    assert main(["demo", "--no-serve", "--keep"]) == 0
    kept = capsys.readouterr().out
    assert "conservée" in kept and "--reset" in kept
    # the same logins are listed again, from the banner stored with the database
    assert "admin.reseau" in kept and "sylvie.accueil" in kept
    assert query(env_db, "SELECT value FROM instance WHERE key = 'essai_evaluatrice'") == [("oui",)]
    # without --keep (./scripts/demo --reset): built again from its seed, her trace is gone
    assert main(["demo", "--no-serve"]) == 0
    assert query(env_db, "SELECT count(*) FROM instance WHERE key = 'essai_evaluatrice'") == [(0,)]


def test_keep_never_takes_a_real_database(env_db, capsys):
    assert main(["db", "migrate"]) == 0
    capsys.readouterr()
    assert main(["demo", "--no-serve", "--keep"]) == 1
    err = capsys.readouterr().err
    assert "n'est pas une base de démonstration" in err and err.count("\n") == 1
    assert query(env_db, "SELECT count(*) FROM instance WHERE key = 'demo'") == [(0,)]


def test_scripts_demo_keeps_unless_reset():
    from pathlib import Path

    script = (Path(__file__).parents[2] / "scripts" / "demo").read_text(encoding="utf-8")
    assert "keep=(--keep)" in script and '"--reset"' in script

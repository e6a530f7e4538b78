"""``virage demo`` with ``VIRAGE_DB=postgresql://…``: built in the database of the URL, built
again over a demonstration database, and never over one that holds anything else."""

from __future__ import annotations

from virage.sdk.testing import cli, connect


def _count(url: str, sql: str) -> int:
    db = connect(url)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.close()


def test_the_demo_on_a_postgresql_url(pg_url, monkeypatch, capsys):
    monkeypatch.setenv("VIRAGE_DB", pg_url)
    monkeypatch.delenv("VIRAGE_PLUGINS", raising=False)
    assert cli(["demo", "--no-serve", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    assert "Base de démonstration prête : " in out
    assert ":virage@" not in out  # the server and the base, never the URL's password
    requests = _count(pg_url, "SELECT count(*) FROM orientation_requests")
    persons = _count(pg_url, "SELECT count(*) FROM persons")
    assert requests > 0 and persons > 0
    # again: the demonstration database is built anew, not added to
    assert cli(["demo", "--no-serve"]) == 0
    assert _count(pg_url, "SELECT count(*) FROM orientation_requests") == requests
    assert _count(pg_url, "SELECT count(*) FROM persons") == persons
    seed = "SELECT count(*) FROM instance WHERE key = 'demo_seed' AND value = '2026'"
    assert _count(pg_url, seed) == 1
    # a database that is not a demonstration database is left as it is
    db = connect(pg_url)
    try:
        db.execute("DELETE FROM instance WHERE key = 'demo'")
    finally:
        db.close()
    capsys.readouterr()
    assert cli(["demo", "--no-serve"]) == 1
    assert "n'est pas une base de démonstration" in capsys.readouterr().err
    assert _count(pg_url, "SELECT count(*) FROM persons") == persons

"""The demo logins: the README's table, the start-up banner and the accounts of the demo are one
list (virage_demo_territory.logins) — they cannot drift apart."""

from __future__ import annotations

from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

import pytest
from virage_demo_territory import logins

from virage.sdk.testing import cli, connect

README = Path(__file__).parents[3] / "README.md"


def _readme_rows() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Identifiants de démonstration", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| `")]


def test_the_readme_lists_exactly_the_logins_of_the_banner():
    assert _readme_rows() == [login.readme_row() for login in logins.LOGINS]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo-logins") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VIRAGE_DB", str(db))
        mp.delenv("VIRAGE_PLUGINS", raising=False)
        out = StringIO()
        with redirect_stdout(out):
            assert cli(["demo", "--no-serve"]) == 0
    return db, out.getvalue()


def test_the_banner_lists_every_login_of_the_readme(demo_run):
    _db, out = demo_run
    for login in logins.LOGINS:
        assert login.banner_line() in out.splitlines(), login.usernames
    assert logins.PASSWORD in out


def test_every_account_of_the_demo_is_listed(demo_run):
    db_path, _out = demo_run
    db = connect(db_path)
    try:
        accounts = {r[0] for r in db.execute("SELECT username FROM users").fetchall()}
    finally:
        db.close()
    assert accounts == set(logins.usernames())

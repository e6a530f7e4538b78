"""Every FINESS and RPPS number of the demo territory passes its check digit (issue 25)."""

from __future__ import annotations

import pytest

from virage.sdk.directory import finess_problem, rpps_problem
from virage.sdk.testing import cli, connect


def _luhn(digits: str) -> bool:
    """Luhn, written again here so that the test does not trust the code it checks."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo-identifiers") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VIRAGE_DB", str(db))
        mp.delenv("VIRAGE_PLUGINS", raising=False)
        assert cli(["demo", "--no-serve"]) == 0
    return db


def _column(demo_db, sql: str) -> list[str]:
    conn = connect(demo_db)
    try:
        return [r[0] for r in conn.execute(sql).fetchall()]
    finally:
        conn.close()


def test_demo_identifiers_pass_their_check_digit(demo_db):
    finess = _column(demo_db, "SELECT finess FROM directory_structures")
    finess += [n for n in _column(demo_db, "SELECT ej_finess FROM directory_structures") if n]
    rpps = [n for n in _column(demo_db, "SELECT rpps FROM directory_professionals") if n]
    idnps = _column(demo_db, "SELECT idnps FROM directory_professionals")
    assert len(finess) > 20 and len(rpps) > 5
    assert [n for n in finess if finess_problem(n)] == []
    assert [n for n in finess if n.isdigit() and not _luhn(n)] == []
    assert [n for n in rpps if rpps_problem(n)] == []
    assert [n for n in idnps if n.startswith("8") and rpps_problem(n[1:])] == []

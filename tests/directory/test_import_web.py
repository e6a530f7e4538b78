"""The FINESS import from the browser, by attack: network administrator only, same checks as the
command line, progress page without JavaScript, audited, bounded size."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.accounts.conftest import csrf_from
from tests.accounts.test_structures_admin import clients, db  # noqa: F401
from virage.directory import import_jobs

pytest.importorskip("virage_finess")

FIXTURES = Path(__file__).resolve().parents[2] / "packages/plugins/finess/tests/fixtures"
PAGE = "/administration/annuaire/import"


def upload(client, name: str, content: bytes, **fields):
    csrf = csrf_from(client.get(PAGE).text)
    return client.post(
        PAGE,
        data={"source": "finess", "_csrf_token": csrf, **fields},
        files={"file": (name, content, "text/csv")},
        follow_redirects=False,
    )


def wait(client, location: str) -> str:
    for _ in range(200):
        page = client.get(location)
        if 'http-equiv="refresh"' not in page.text:
            return page.text
        time.sleep(0.05)
    raise AssertionError("import still running")


def test_only_the_network_admin_imports(world, clients, db):  # noqa: F811
    assert clients("admin").get(PAGE).status_code == 200
    for name in ("director_a", "nurse_a", "secretary_a", "coord_b"):
        assert clients(name).get(PAGE).status_code == 403, name
    director = clients("director_a")
    director.get("/moi")
    forged = director.post(
        PAGE,
        data={"source": "finess", "_csrf_token": director.cookies.get("virage_csrf", "")},
        files={"file": ("f.csv", b"x", "text/csv")},
    )
    assert forged.status_code == 403
    count = db.execute("SELECT COUNT(*) FROM directory_imports").fetchone()[0]
    assert count == 0


def test_import_with_progress_and_summary(world, clients, db):  # noqa: F811
    admin = clients("admin")
    content = (FIXTURES / "etalab-synthetique.csv").read_bytes()
    response = upload(admin, "etalab-synthetique.csv", content)
    assert response.status_code == 303
    text = wait(admin, response.headers["location"])
    assert "Import terminé" in text and "créé" in text
    assert db.execute("SELECT COUNT(*) FROM directory_structures").fetchone()[0] > 0
    actions = {r[0] for r in db.execute("SELECT action FROM audit_log").fetchall()}
    assert {"directory.import.started", "directory.import"} <= actions
    job_id = response.headers["location"].rsplit("/", 1)[1]
    state = admin.get(f"{PAGE}/{job_id}/etat").json()
    assert state["etat"] == "done"
    assert clients("director_a").get(f"{PAGE}/{job_id}").status_code == 403


def test_a_cut_file_is_refused_whole(world, clients, db):  # noqa: F811
    admin = clients("admin")
    content = (FIXTURES / "etalab-guillemet-non-ferme.csv").read_bytes()
    response = upload(admin, "coupe.csv", content)
    assert response.status_code == 303
    text = wait(admin, response.headers["location"])
    assert "annulé" in text
    assert db.execute("SELECT COUNT(*) FROM directory_structures").fetchone()[0] == 0


def test_bad_uploads(world, clients, monkeypatch):  # noqa: F811
    admin = clients("admin")
    assert upload(admin, "vide.csv", b"").status_code == 400
    bad_source = upload(admin, "f.csv", b"abc", source="pirate")
    assert bad_source.status_code == 400 and "source" in bad_source.text
    monkeypatch.setattr(import_jobs, "MAX_UPLOAD_BYTES", 10)
    big = upload(admin, "gros.csv", b"x" * 100)
    assert big.status_code == 400 and "trop gros" in big.text

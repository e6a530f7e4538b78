"""Rights of persons: closing keeps the record read-only; deletion follows the retention rule."""

from __future__ import annotations

from virage.cli import main
from virage.db import connect


def test_purge_deletes_only_expired_closed_records_and_keeps_the_audit(
    world, client, monkeypatch, capsys
):
    from tests.accounts.conftest import bearer

    p1, p2 = world.persons["p1"], world.persons["p2"]
    client.get(f"/api/v1/persons/{p1}", headers=bearer(world, "nurse_a"))  # leaves audit entries
    assert (
        client.post(f"/api/v1/persons/{p1}/close", headers=bearer(world, "coord_a")).status_code
        == 200
    )
    db = connect(world.settings.db_path)
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))

    # closed today: kept
    assert main(["persons", "purge", "--apply"]) == 0
    assert "0 dossier supprimé." in capsys.readouterr().out
    # closed 6 years ago, retention 5 years: deleted; p2 (still followed) is kept
    db.execute("UPDATE persons SET closed_at = '2019-01-01T00:00:00+00:00' WHERE id = ?", [p1])
    audit_before = db.execute(
        "SELECT count(*) FROM audit_log WHERE person_id = ?", [p1]
    ).fetchone()[0]
    assert main(["persons", "purge"]) == 0  # dry run lists, deletes nothing
    assert "à supprimer" in capsys.readouterr().out
    assert db.execute("SELECT count(*) FROM persons WHERE id = ?", [p1]).fetchone()[0] == 1
    assert main(["persons", "purge", "--apply"]) == 0
    assert f"dossier n° {p1}" in capsys.readouterr().out
    assert db.execute("SELECT count(*) FROM persons WHERE id = ?", [p1]).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM care_team WHERE person_id = ?", [p1]).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM persons WHERE id = ?", [p2]).fetchone()[0] == 1
    audit_after = db.execute("SELECT count(*) FROM audit_log WHERE person_id = ?", [p1]).fetchone()[
        0
    ]
    assert audit_after == audit_before + 1  # kept, plus the deletion itself
    assert (
        db.execute("SELECT actor_label FROM audit_log WHERE action = 'persons.deleted'")
        .fetchone()[0]
        .startswith("règle de conservation")
    )

"""Backup and restore of an embedded instance: a drill (back up while serving, destroy, restore,
compare every table), and the refusals that protect data."""

from __future__ import annotations

import sqlite3

import pytest
from litestar.testing import TestClient

from tests.accounts.conftest import bearer
from virage.app import create_app
from virage.backup import backup, fingerprint, restore
from virage.cli import main
from virage.errors import InvalidInput

# The embedded engine's own backup (online backup API, files): PostgreSQL has its drill in
# tests/core/test_db_copy.py.
pytestmark = pytest.mark.sqlite_only


def _fingerprint(path) -> dict:
    conn = sqlite3.connect(path)
    try:
        return fingerprint(conn)
    finally:
        conn.close()


def _add_person(client, world, name: str) -> int:
    r = client.post(
        "/api/v1/persons",
        json={
            "structure_id": world.structures["a"],
            "family_name": name,
            "given_names": "Jeanne",
            "birth_date": "1940-05-02",
        },
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_the_restore_drill(world, tmp_path):
    db_path = world.settings.db_path
    copy = tmp_path / "sauvegarde.db"
    with TestClient(create_app(world.settings)) as client:
        kept_id = _add_person(client, world, "Sauvegardée")
        report = backup(db_path, copy)  # the service is running
        _add_person(client, world, "Après la sauvegarde")
    assert report.tables > 10 and report.rows > 0 and copy.stat().st_size == report.bytes
    saved = _fingerprint(copy)
    live = _fingerprint(db_path)
    assert saved["persons"][0] == live["persons"][0] - 1  # the later write is not in the copy
    # Destroy the instance, then restore it.
    for suffix in ("", "-wal", "-shm"):
        (db_path.parent / (db_path.name + suffix)).unlink(missing_ok=True)
    restore(copy, db_path)
    assert _fingerprint(db_path) == saved
    with TestClient(create_app(world.settings)) as client:
        listed = client.get(
            f"/api/v1/persons?structure_id={world.structures['a']}",
            headers=bearer(world, "coord_a"),
        )
        found = client.get(f"/api/v1/persons/{kept_id}", headers=bearer(world, "coord_a"))
    assert listed.status_code == 200 and found.status_code == 200
    names = [p["family_name"].upper() for p in listed.json()]
    assert "SAUVEGARDÉE" in names and "APRÈS LA SAUVEGARDE" not in names


def test_a_backup_never_overwrites_and_a_restore_never_erases(world, tmp_path):
    db_path = world.settings.db_path
    copy = tmp_path / "sauvegarde.db"
    backup(db_path, copy)
    before = copy.stat().st_mtime_ns
    with pytest.raises(InvalidInput, match="n'en écrase jamais"):
        backup(db_path, copy)
    assert copy.stat().st_mtime_ns == before
    current = _fingerprint(db_path)
    with pytest.raises(InvalidInput, match="--replace"):
        restore(copy, db_path)
    assert _fingerprint(db_path) == current
    restore(copy, db_path, replace=True)
    kept = db_path.with_name(db_path.name + ".avant-restauration")
    assert kept.exists() and _fingerprint(kept) == current


def test_what_is_not_a_virage_database_is_refused(tmp_path):
    other = tmp_path / "autre.db"
    sqlite3.connect(other).execute("CREATE TABLE notes (x)").connection.commit()
    with pytest.raises(InvalidInput, match="pas une base Virage"):
        backup(other, tmp_path / "copie.db")
    with pytest.raises(InvalidInput, match="pas une base Virage"):
        restore(other, tmp_path / "cible.db")
    garbage = tmp_path / "abime.db"
    garbage.write_bytes(b"ceci n'est pas une base" * 100)
    with pytest.raises(InvalidInput, match="pas une base SQLite lisible"):
        restore(garbage, tmp_path / "cible.db")
    assert not (tmp_path / "copie.db").exists() and not (tmp_path / "cible.db").exists()


def test_the_command_line(tmp_path, monkeypatch, capsys):
    db_path = tmp_path / "virage.db"
    monkeypatch.setenv("VIRAGE_DB", str(db_path))
    assert main(["db", "migrate"]) == 0
    capsys.readouterr()
    assert main(["db", "backup", str(tmp_path / "s.db")]) == 0
    assert "Sauvegarde vérifiée" in capsys.readouterr().out
    assert main(["db", "backup", str(tmp_path / "s.db")]) != 0
    err = capsys.readouterr().err
    assert err.startswith("Erreur : ") and "Traceback" not in err
    assert main(["db", "restore", str(tmp_path / "s.db")]) != 0
    assert "--replace" in capsys.readouterr().err
    assert main(["db", "restore", str(tmp_path / "s.db"), "--replace"]) == 0
    assert "Base restaurée et vérifiée" in capsys.readouterr().out

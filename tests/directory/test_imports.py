"""What every import does, whatever the source: idempotence, updates, closing, rejections,
one transaction, and the guards against a wrong or partial file."""

from __future__ import annotations

import dataclasses
import json

import pytest

from tests.directory.conftest import PROFESSIONALS, STRUCTURES, structure
from virage.accounts import service as accounts_service
from virage.db import connect
from virage.directory import search, storage
from virage.directory.imports import run_import
from virage.directory.sources import ProfessionalRecord, Rejected, RoleRecord
from virage.errors import InvalidInput, NotFound


@pytest.fixture
def db(world):
    database = connect(world.settings.db_path)
    yield database
    database.conn.close()


def counts(db) -> dict[str, int]:
    return {
        "structures": db.execute("SELECT COUNT(*) FROM directory_structures").fetchone()[0],
        "open": db.execute(
            "SELECT COUNT(*) FROM directory_structures WHERE status = 'open'"
        ).fetchone()[0],
        "professionals": db.execute("SELECT COUNT(*) FROM directory_professionals").fetchone()[0],
        "roles": db.execute("SELECT COUNT(*) FROM directory_roles").fetchone()[0],
        "index": db.execute("SELECT COUNT(*) FROM directory_structures_search").fetchone()[0],
    }


def test_first_import_report(db, source, list_file):
    report = run_import(db, source, list_file)
    n = len(STRUCTURES)
    assert (report.created, report.updated, report.unchanged, report.closed) == (n + 2, 0, 0, 0)
    assert report.rejected == []
    assert report.kinds["ET"].seen == n - 1 and report.kinds["ET"].open == n - 2
    assert report.kinds["EJ"].seen == 1 and report.kinds["PS"].seen == 2
    assert counts(db) == {
        "structures": n,
        "open": n - 1,
        "professionals": 2,
        "roles": 3,
        "index": n,
    }
    history = storage.list_imports(db)[0]
    assert history["status"] == "done" and history["report"]["crees"] == n + 2
    audit = db.execute(
        "SELECT action, actor_label FROM audit_log WHERE action = 'directory.import'"
    ).fetchall()
    assert audit == [("directory.import", "ligne de commande")]


def test_reimport_is_idempotent(db, source, list_file):
    run_import(db, source, list_file)
    before = counts(db)
    report = run_import(db, source, list_file)
    assert (report.created, report.updated, report.closed) == (0, 0, 0)
    assert report.unchanged == len(STRUCTURES) + 2
    assert counts(db) == before


def test_changes_update_and_keep_the_network_fields(db, source, importer, list_file):
    run_import(db, source, list_file)
    sid = storage.get_structure_by_finess(db, "010000073")["id"]
    storage.set_structure_extra(db, sid, {"Places": "40"})
    changed = dataclasses.replace(
        STRUCTURES[2], name="SSIAD du Bassin Burgien et Revermont", phone="0474000099"
    )
    importer.items = [changed if s is STRUCTURES[2] else s for s in importer.items]
    report = run_import(db, source, list_file)
    assert (report.created, report.updated) == (0, 1)
    row = storage.get_structure(db, sid)
    assert row["name"] == "SSIAD du Bassin Burgien et Revermont" and row["phone"] == "0474000099"
    assert json.loads(row["extra"]) == {"Places": "40"}
    hits = search.search_structures(db, search.SearchParams(q="revermont", open_only=False))
    assert [r["id"] for r in hits.results] == [sid]  # the index follows the new name


def test_absent_and_inactive_entries_are_closed(db, source, importer, list_file):
    run_import(db, source, list_file)
    gone = STRUCTURES[3]  # SSIAD de Péronnas
    now_inactive = dataclasses.replace(STRUCTURES[2], open=False, closed_on="2026-02-01")
    importer.items = [
        now_inactive if s is STRUCTURES[2] else s for s in importer.items if s is not gone
    ]
    report = run_import(db, source, list_file)
    assert report.closed == 2
    closed = storage.get_structure_by_finess(db, gone.finess)
    assert closed["status"] == "closed" and closed["closed_on"]
    assert storage.get_structure_by_finess(db, "010000073")["closed_on"] == "2026-02-01"
    assert counts(db)["structures"] == len(STRUCTURES)  # nothing deleted, nothing duplicated


def test_partial_import_closes_nothing(db, source, importer, list_file):
    run_import(db, source, list_file)
    importer.items = importer.items[:3]
    report = run_import(db, source, list_file, partial=True)
    assert report.closed == 0 and report.partial
    assert counts(db)["open"] == len(STRUCTURES) - 1


def test_a_file_missing_most_entries_is_refused(db, source, importer, list_file):
    run_import(db, source, list_file)
    importer.items = importer.items[:5]
    with pytest.raises(InvalidInput, match="--partiel"):
        run_import(db, source, list_file)
    assert counts(db)["open"] == len(STRUCTURES) - 1


def test_bad_records_are_rejected_with_their_line(db, source, importer, list_file):
    importer.items = [
        *STRUCTURES,
        structure("12345", "Numéro trop court", line=40),
        structure("010000099", "   ", line=41),
        structure("010000081", "Doublon", line=42),
        structure("010000198", "Coordonnées fausses", lat=123.0, lon=5.0, postcode="1000", line=43),
        Rejected(44, "ligne illisible pour l'importeur", "010000097"),
        ProfessionalRecord(family_name="Sans numéro", line=45),
        ProfessionalRecord(family_name="Mauvais RPPS", rpps="123", line=46),
        structure("010000082", "Clé fausse", line=47),
        ProfessionalRecord(family_name="Clé RPPS fausse", rpps="10000000042", line=48),
    ]
    report = run_import(db, source, list_file)
    reasons = {r.line: r.reason for r in report.rejected}
    assert set(reasons) == {40, 41, 42, 44, 45, 46, 47, 48}
    assert reasons[47] == "numéro FINESS « 010000082 » : clé de contrôle fausse"
    assert reasons[48] == "numéro RPPS « 10000000042 » : clé de contrôle fausse"
    assert storage.get_structure_by_finess(db, "010000082") is None
    assert "FINESS invalide" in reasons[40]
    assert "raison sociale" in reasons[41]
    assert "double" in reasons[42]
    assert "RPPS" in reasons[46]
    warned = [w.reason for w in report.warnings if w.line == 43]
    assert any("coordonnées" in w for w in warned) and any("postal" in w for w in warned)
    kept = storage.get_structure_by_finess(db, "010000198")
    assert kept["lat"] is None and kept["postcode"] is None
    assert storage.get_structure_by_finess(db, "010000081")["name"] == "EHPAD Saint-Étienne"
    lines = "\n".join(report.summary_lines())
    assert "rejet ligne 40 [12345] : numéro FINESS invalide" in lines
    assert (
        "rejet ligne 47 [010000082] : numéro FINESS « 010000082 » : clé de contrôle fausse" in lines
    )


def test_a_fatal_error_rolls_everything_back(db, source, importer, list_file):
    run_import(db, source, list_file)
    before = counts(db)
    changed = dataclasses.replace(STRUCTURES[0], name="Nom qui ne doit pas rester")
    importer.items = [changed, *STRUCTURES[1:], *PROFESSIONALS]
    importer.fail_after = 5
    with pytest.raises(InvalidInput, match=r"annulé.*fichier tronqué .ligne 6."):
        run_import(db, source, list_file)
    assert counts(db) == before
    assert storage.get_structure_by_finess(db, "010000081")["name"] == "EHPAD Saint-Étienne"
    history = storage.list_imports(db)
    assert [h["status"] for h in history] == ["failed", "done"]
    assert "fichier tronqué" in history[0]["report"]["erreur"]


def test_a_file_of_rejections_only_is_refused(db, source, importer, list_file):
    importer.items = [Rejected(i, "colonne manquante") for i in range(2, 30)]
    with pytest.raises(InvalidInput, match="aucune structure"):
        run_import(db, source, list_file)
    importer.items = [*STRUCTURES[:3], *(Rejected(i, "colonne manquante") for i in range(20))]
    with pytest.raises(InvalidInput, match="format annoncé"):
        run_import(db, source, list_file)
    assert counts(db)["structures"] == 0


def test_missing_file_unknown_format(db, source, tmp_path):
    with pytest.raises(NotFound, match="introuvable"):
        run_import(db, source, tmp_path / "absent.json")
    other = tmp_path / "autre.txt"
    other.write_text("nom;prénom\n")
    with pytest.raises(InvalidInput, match="non reconnu"):
        run_import(db, source, other)
    empty = tmp_path / "vide.txt"
    empty.write_text("")
    with pytest.raises(InvalidInput, match="vide"):
        run_import(db, source, empty)
    with pytest.raises(InvalidInput, match="dossier"):
        run_import(db, source, tmp_path)


def test_professionals_are_linked_to_accounts_with_the_same_rpps(db, source, importer, list_file):
    uid = accounts_service.create_user(
        db,
        username="marie.cm",
        display_name="Marie Curie-Martin",
        password="x" * 12,
        rpps="10000000041",
    )
    run_import(db, source, list_file)
    assert storage.professional_of_user(db, uid)["family_name"] == "Curie-Martin"
    # roles are replaced, not duplicated, when they change
    moved = dataclasses.replace(PROFESSIONALS[0], roles=[RoleRecord("010000081", "Médecin")])
    importer.items = [*STRUCTURES, moved, PROFESSIONALS[1]]
    report = run_import(db, source, list_file)
    assert report.updated == 1
    pid = storage.professional_of_user(db, uid)["id"]
    assert [r["structure_name"] for r in storage.roles_of(db, pid)] == ["EHPAD Saint-Étienne"]

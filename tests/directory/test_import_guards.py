"""The guards of every import against a truncated or incomplete file, whatever the source: a drop of
open entries beyond the allowance (even in a small directory), closures the file itself announces,
lost coordinates, a file far smaller than the previous complete one; entries whose record is
rejected are not closed; --partiel never closes what the file does not contain."""

from __future__ import annotations

import dataclasses

import pytest

from tests.directory.conftest import STRUCTURES
from virage.db import connect
from virage.directory import import_guards, storage
from virage.directory.imports import run_import
from virage.errors import InvalidInput

#: 14 structures, 13 of them open (« EHPAD Les Anciens » is closed), like the directory of the
#: report (a CSV cut mid-file closed 8 of 14 structures).
SMALL = STRUCTURES[:14]


@pytest.fixture
def db(world):
    database = connect(world.settings.db_path)
    yield database
    database.conn.close()


def snapshot(db) -> list[tuple]:
    return db.execute(
        "SELECT id, finess, name, status, lat, updated_at, seen_import FROM directory_structures"
        " ORDER BY id"
    ).fetchall()


def statuses(db) -> dict[str, str]:
    return dict(db.execute("SELECT finess, status FROM directory_structures").fetchall())


def test_a_file_missing_8_of_13_open_structures_is_refused(db, source, importer, list_file):
    importer.items = list(SMALL)
    run_import(db, source, list_file)
    before = snapshot(db)
    importer.items = SMALL[:5]  # the rest of the file was cut
    with pytest.raises(InvalidInput) as refused:
        run_import(db, source, list_file)
    message = str(refused.value)
    assert message.startswith("Import annulé, l'annuaire n'a pas été modifié : ce fichier ne ")
    assert "ne mentionne pas 8 des 13 structures ouvertes de la source essai" in message
    assert "--partiel" in message and "--confirmer-baisse" in message
    assert snapshot(db) == before
    assert [i["status"] for i in storage.list_imports(db)] == ["failed", "done"]


def test_a_few_closures_pass_and_large_real_ones_can_be_confirmed(db, source, importer, list_file):
    importer.items = list(SMALL)
    run_import(db, source, list_file)
    importer.items = SMALL[2:]  # two structures gone: within the allowance
    assert run_import(db, source, list_file).closed == 2
    importer.items = list(SMALL)
    run_import(db, source, list_file)  # back again (the closed ones reopen)
    importer.items = SMALL[:5]
    report = run_import(db, source, list_file, confirmed=True)
    assert report.closed == 8
    assert list(statuses(db).values()).count("open") == 5


def test_a_file_closing_most_structures_itself_is_refused(db, source, importer, list_file):
    importer.items = list(SMALL)
    run_import(db, source, list_file)
    before = snapshot(db)
    importer.items = [
        dataclasses.replace(s, open=False) if i < 8 and s.open else s for i, s in enumerate(SMALL)
    ]
    with pytest.raises(InvalidInput, match="dit fermées 7 des 13 structures ouvertes"):
        run_import(db, source, list_file, partial=True)
    assert snapshot(db) == before


def test_partial_imports_never_close_absent_entries(db, source, importer, list_file):
    importer.items = list(SMALL)
    run_import(db, source, list_file)
    importer.items = SMALL[:1]
    for confirmed in (False, True):
        report = run_import(db, source, list_file, partial=True, confirmed=confirmed)
        assert report.closed == 0
    assert list(statuses(db).values()).count("open") == 13


def test_an_entry_whose_record_is_rejected_is_not_closed(db, source, importer, list_file):
    importer.items = list(SMALL)
    run_import(db, source, list_file)
    nameless = dataclasses.replace(SMALL[2], name="  ", line=3)
    importer.items = [nameless if s is SMALL[2] else s for s in SMALL]
    report = run_import(db, source, list_file)
    assert [r.line for r in report.rejected] == [3] and report.closed == 0
    assert statuses(db)[SMALL[2].finess] == "open"
    assert storage.get_structure_by_finess(db, SMALL[2].finess)["name"] == SMALL[2].name


def test_a_file_removing_many_coordinates_is_refused(db, source, importer, list_file):
    importer.items = list(SMALL)
    run_import(db, source, list_file)
    before = snapshot(db)
    importer.items = [dataclasses.replace(s, lat=None, lon=None) for s in SMALL]
    with pytest.raises(
        InvalidInput, match="retirerait leurs coordonnées à 13 des 13 structures qui en ont"
    ):
        run_import(db, source, list_file)
    assert snapshot(db) == before
    report = run_import(db, source, list_file, confirmed=True)
    assert report.lost_coordinates == 13


def test_a_complete_file_far_smaller_than_the_last_one_is_refused(db, source, importer, list_file):
    importer.items = list(SMALL)
    list_file.write_text("liste d'essai\n" + "x" * 20_000)
    report = run_import(db, source, list_file)
    assert report.as_dict()["octets"] == list_file.stat().st_size
    before = snapshot(db)
    list_file.write_text("liste d'essai\n" + "x" * 5_000)
    with pytest.raises(InvalidInput) as refused:
        run_import(db, source, list_file)
    message = str(refused.value)
    assert (
        "liste.txt fait 5 ko, contre 20 ko pour le dernier extrait complet importé le " in message
    )
    assert "semble tronqué" in message and "--partiel" in message
    assert snapshot(db) == before
    assert run_import(db, source, list_file, partial=True).unchanged == 14
    assert run_import(db, source, list_file, confirmed=True).unchanged == 14
    # the confirmed complete import is the new reference
    assert run_import(db, source, list_file).unchanged == 14


def test_the_allowance():
    assert import_guards._allowed(13) == 2 and import_guards._allowed(30) == 3
    assert import_guards._allowed(100_000) == 10_000

"""The ANS JSON flux « Structures »: the real sample imports with the expected report, is found by
searches, re-imports idempotently, closes what disappears, and a malformed file changes nothing."""

from __future__ import annotations

import json
import re

import pytest
from virage_finess import SOURCE

from tests.accounts.conftest import bearer
from virage.sdk import InvalidInput, directory
from virage.sdk.directory import run_import
from virage.sdk.testing import cli

EXPECTED_REPORT = [
    "Import finess (finess-json) de finess-structures-sample-20260309.json, extrait du 9 mars 2026",
    "  créés : 50 · mis à jour : 0 · inchangés : 0 · fermés : 0 · lignes rejetées : 0",
    "  entités juridiques lus : 23 (9 ouverts, 14 fermés)",
    "  établissements lus : 27 (15 ouverts, 12 fermés)",
]


def test_bundled_sample_is_the_shared_one(sample, shared_sample):
    if not shared_sample.exists():
        pytest.skip("shared/ is not beside the repository")
    assert sample.read_bytes() == shared_sample.read_bytes()


def test_cli_import_of_the_real_sample(cli_env, sample, capsys):
    assert cli(["import", "finess", str(sample)]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == EXPECTED_REPORT
    assert out.err == ""
    # once more: nothing created, nothing changed
    assert cli(["import", "finess", str(sample)]) == 0
    second = capsys.readouterr().out.splitlines()
    assert second[1] == (
        "  créés : 0 · mis à jour : 0 · inchangés : 50 · fermés : 0 · lignes rejetées : 0"
    )


def test_report_and_records(db, sample):
    report = run_import(db, SOURCE, sample)
    assert report.generated_at == "2026-03-09"
    assert (report.created, report.updated, report.closed, report.rejected) == (50, 0, 0, [])
    assert report.warnings == []
    et = directory.structure_by_finess(db, "010780195")
    assert et["name"] == "CLINIQUE CONVERT" and et["long_name"] == "CLINIQUE DOCTEUR CONVERT"
    assert et["kind"] == "ET" and et["ej_finess"] == "010000156"
    assert et["category_code"] == "365" and et["legal_status_code"] == "73"
    assert (et["lat"], et["lon"]) == (46.211257, 5.254203)
    assert et["address_line"] == "62 AVENUE DE JASSERON" and et["address_extra"] == "BP 132"
    assert (et["postcode"], et["city"], et["commune_code"]) == ("01000", "BOURG EN BRESSE", "01053")
    assert et["phone"] == "0428631234" and et["siret"] == "77220148900022"
    assert et["opened_on"] == "1956-11-16" and et["status"] == "open"
    # trailing spaces of older records are trimmed
    assert directory.structure_by_finess(db, "010000164")["name"] == "POLYCLINIQUE D'AMBERIEU"
    closed = directory.structure_by_finess(db, "010780211")
    assert closed["status"] == "closed" and closed["closed_on"] == "1996-08-29"
    wallis = directory.structure_by_finess(db, "980600027")
    assert wallis["departement"] == "986" and wallis["commune_code"] == "98613"
    assert directory.structure_by_finess(db, "010780906")["category_label"].startswith(
        "Établissement d'hébergement"
    )


def test_searching_the_sample(client, world, db, sample):
    run_import(db, SOURCE, sample)
    h = bearer(world, "coord_a")
    api = "/api/v1/directory/structures"

    def names(**params):
        response = client.get(api, params=params, headers=h)
        assert response.status_code == 200, response.text
        return [r["name"] for r in response.json()["results"]]

    assert names(q="clinique convert") == ["CLINIQUE CONVERT", "CLINIQUE CONVERT"]
    assert names(q="ehpad amberieu") == [
        "EHPAD RESIDENCE FONTELUNE AMBERIEU",
        "SSIAD EHPAD FONTELUNE",
    ]
    assert names(q="ehpad résidence d'urfé") == ["EHPAD RESIDENCE D'URFE"]
    assert names(q="SSIAD") == ["SSIAD EHPAD FONTELUNE"]
    assert len(names(category="500")) == 6
    assert sorted(names(department="986", kind="ET")) == ["HOPITAL DE KALEVELEVE", "HOPITAL DE SIA"]
    near = client.get(
        api, params={"near_commune": "Bourg-en-Bresse", "radius_km": 5, "kind": "ET"}, headers=h
    ).json()
    assert near["total"] == 5
    assert {r["name"] for r in near["results"]} >= {
        "CLINIQUE CONVERT",
        "INSTITUT DES JEUNES SOURDS",
    }
    assert all(r["distance_km"] <= 5 for r in near["results"])
    closed = names(q="smur amberieu", open_only="false")
    assert closed == ["SMUR POLYCLINIQUE AMBERIEU"]
    assert names(q="smur amberieu") == []


def _modified(sample, tmp_path, *, remove=None, deactivate=None, metadata=False, name=None):
    data = json.loads(sample.read_text(encoding="utf-8"))
    for pmej in data["pmej"]:
        pmej["ege"] = [
            e for e in pmej["ege"] if e["informationsGeneralesEGE"]["numFinessEge"] != remove
        ]
        for e in pmej["ege"]:
            if e["informationsGeneralesEGE"]["numFinessEge"] == deactivate:
                e["etatObjet"] = "I"
            if name and e["informationsGeneralesEGE"]["numFinessEge"] == name[0]:
                e["informationsGeneralesEGE"]["nomEgeCourt"] = name[1]
    if metadata:
        data = {
            "metadata": {
                "schemaVersion": data.pop("schemaVersion"),
                "generatedAt": data.pop("generatedAt"),
            },
            **data,
        }
    path = tmp_path / "finess-modifie.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_closed_and_absent_establishments_are_marked_closed(db, sample, tmp_path):
    run_import(db, SOURCE, sample)
    path = _modified(
        sample,
        tmp_path,
        remove="010780195",
        deactivate="010780914",
        metadata=True,
        name=("010780930", "EHPAD COSTAZ CHAMPAGNE EN VALROMEY"),
    )
    report = run_import(db, SOURCE, path)
    assert (report.created, report.updated, report.closed) == (0, 1, 2)
    assert report.unchanged == 47 and report.generated_at == "2026-03-09"
    assert directory.structure_by_finess(db, "010780195")["status"] == "closed"
    assert directory.structure_by_finess(db, "010780914")["status"] == "closed"
    assert directory.structure_by_finess(db, "010780930")["name"].endswith("VALROMEY")
    total = db.execute("SELECT COUNT(*) FROM directory_structures").fetchone()[0]
    assert total == 50


def test_truncated_file_leaves_the_directory_untouched(db, sample, tmp_path, cli_env, capsys):
    run_import(db, SOURCE, sample)
    modified = _modified(sample, tmp_path, name=("010780930", "NOM QUI NE DOIT PAS RESTER"))
    text = modified.read_text(encoding="utf-8")
    truncated = tmp_path / "tronque.json"
    truncated.write_text(text[: int(len(text) * 0.8)], encoding="utf-8")
    assert cli(["import", "finess", str(truncated)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("Erreur : Import annulé, l'annuaire n'a pas été modifié : JSON incomplet")
    assert directory.structure_by_finess(db, "010780930")["name"] == (
        "EHPAD FONDATION COSTAZ CHAMPAGNE"
    )
    assert [i["status"] for i in directory.imports(db)][:2] == ["failed", "done"]


def test_syntax_error_names_its_line(db, sample, tmp_path):
    text = sample.read_text(encoding="utf-8")
    broken = tmp_path / "casse.json"
    broken.write_text(
        text.replace('"numFinessEge" : "010780955",', '"numFinessEge" "010780955",'),
        encoding="utf-8",
    )
    expected_line = text[: text.index('"numFinessEge" : "010780955"')].count("\n") + 1
    with pytest.raises(InvalidInput, match=rf"JSON invalide .*\(ligne {expected_line}\)"):
        run_import(db, SOURCE, broken)
    assert db.execute("SELECT COUNT(*) FROM directory_structures").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"schemaVersion": "v1.0.0", "gcc": []}', "aucune liste « pmej »"),
        ('{"schemaVersion": "v2.0.0", "pmej": []}', "version de schéma v2.0.0"),
        ('{"foo": [1, 2, 3]}', "non reconnu"),
        ("[1, 2, 3]", "non reconnu"),
    ],
)
def test_not_a_finess_flux(db, tmp_path, content, message):
    path = tmp_path / "autre.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=re.escape(message)):
        run_import(db, SOURCE, path)


def test_rejected_entity_lines(db, sample, tmp_path):
    data = json.loads(sample.read_text(encoding="utf-8"))
    data["pmej"][1]["ege"][0]["informationsGeneralesEGE"]["numFinessEge"] = "01078019"
    path = tmp_path / "rejet.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    report = run_import(db, SOURCE, path)
    (rejected,) = report.rejected
    lines = path.read_text().splitlines()
    assert '"informationsGeneralesEGE"' in lines[rejected.line] or "{" in lines[rejected.line - 1]
    assert rejected.reference == "01078019" and "FINESS invalide" in rejected.reason
    assert report.created == 49


def test_plugin_is_listed(cli_env, capsys):
    assert cli(["plugins"]) == 0
    assert "finess 0.1.0" in capsys.readouterr().out

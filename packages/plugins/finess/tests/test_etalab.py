"""The Etalab CSV extract etalab_cs1100507, on SYNTHETIC fixtures built from the format
description (see fixtures/README.md): Latin-1, quoted fields, trailing field, Lambert 93 and UTM
projections converted to WGS84, rejected lines with their number, malformed files refused whole."""

from __future__ import annotations

import json

import pytest
from virage_finess import SOURCE
from virage_finess.projections import ProjectionError, epsg_of, to_wgs84

from virage.sdk import InvalidInput, directory
from virage.sdk.directory import run_import
from virage.sdk.testing import cli

EXPECTED = [
    "Import finess (etalab-csv) de etalab-synthetique.csv, extrait du 15 janvier 2026",
    "  créés : 9 · mis à jour : 0 · inchangés : 0 · fermés : 0 · lignes rejetées : 4",
    "  établissements lus : 9 (9 ouverts, 0 fermés)",
    "  rejet ligne 11 [010990108] : ligne structureet incomplète : 14 champs au lieu de 30",
    "  rejet ligne 12 [01O99A1] : numéro FINESS invalide « 01O99A1 »",
    "  rejet ligne 20 [010990091] : projection inconnue "
    "« 1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,MERCATOR_FANTAISIE » : coordonnées ignorées",
    "  rejet ligne 21 [010999993] : géolocalisation d'un établissement absent du fichier",
]


def test_cli_report(cli_env, fixtures, capsys):
    assert cli(["import", "finess", str(fixtures / "etalab-synthetique.csv")]) == 0
    assert capsys.readouterr().out.splitlines() == EXPECTED
    assert cli(["import", "finess", str(fixtures / "etalab-synthetique.csv")]) == 0
    again = capsys.readouterr().out.splitlines()
    assert again[1].startswith("  créés : 0 · mis à jour : 0 · inchangés : 9 · fermés : 0")


def test_fields_and_coordinates(db, fixtures):
    run_import(db, SOURCE, fixtures / "etalab-synthetique.csv")
    st = directory.structure_by_finess(db, "010990018")
    assert st["name"] == "EHPAD SAINT-ÉTIENNE"  # Latin-1 decoded
    assert (st["lat"], st["lon"]) == pytest.approx((46.2868, 5.2962), abs=1e-5)
    assert st["address_line"] == "3 RUE DES TISSERANDS" and st["commune_code"] == "01350"
    assert (st["postcode"], st["city"]) == ("01370", "SAINT ETIENNE DU BOIS")
    assert st["category_label"] == "Etablissement d'hébergement pour personnes âgées dépendantes"
    assert st["ej_finess"] == "010991016" and st["source_updated"] == "2025-12-01"
    quoted = directory.structure_by_finess(db, "010990034")
    assert quoted["name"] == 'SAAD "LE FIL D\'ARGENT"'
    assert quoted["long_name"] == 'AIDE A DOMICILE "LE FIL D\'ARGENT"; BRESSE ET REVERMONT'
    assert quoted["city"] == "BOURG EN BRESSE"  # « CEDEX » dropped from the routing line
    corsica = directory.structure_by_finess(db, "2A0990042")
    assert (corsica["departement"], corsica["commune_code"]) == ("2A", "2A004")
    assert (corsica["lat"], corsica["lon"]) == pytest.approx((41.9192, 8.7386), abs=1e-5)
    guadeloupe = directory.structure_by_finess(db, "970990057")
    assert (guadeloupe["departement"], guadeloupe["commune_code"]) == ("971", "97120")
    assert (guadeloupe["lat"], guadeloupe["lon"]) == pytest.approx((16.2411, -61.5331), abs=1e-5)
    reunion = directory.structure_by_finess(db, "970990065")
    assert (reunion["lat"], reunion["lon"]) == pytest.approx((-20.8823, 55.4504), abs=1e-5)
    assert directory.structure_by_finess(db, "010990083")["lat"] is None  # no geolocation
    assert directory.structure_by_finess(db, "010990091")["lat"] is None  # unknown projection


def test_utf8_extract_and_absent_establishments(db, fixtures, tmp_path):
    run_import(db, SOURCE, fixtures / "etalab-synthetique.csv")
    text = (fixtures / "etalab-synthetique.csv").read_bytes().decode("latin-1")
    lines = [line for line in text.splitlines() if "MAS LES ARCADES" not in line]
    utf8 = tmp_path / "etalab-utf8.csv"
    utf8.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = run_import(db, SOURCE, utf8)
    assert report.closed == 1 and report.created == 0 and report.unchanged == 8
    assert directory.structure_by_finess(db, "010990018")["name"] == "EHPAD SAINT-ÉTIENNE"
    assert directory.structure_by_finess(db, "750990079")["status"] == "closed"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("etalab-guillemet-non-ferme.csv", "guillemet ouvert ligne 5 et jamais fermé"),
        ("etalab-colonnes.csv", "aucune structure"),
        ("etalab-vide.csv", "aucune structure"),
    ],
)
def test_malformed_files_change_nothing(db, fixtures, name, message):
    run_import(db, SOURCE, fixtures / "etalab-synthetique.csv")
    before = db.execute("SELECT id, name, status, updated_at FROM directory_structures").fetchall()
    with pytest.raises(InvalidInput, match=message):
        run_import(db, SOURCE, fixtures / name)
    after = db.execute("SELECT id, name, status, updated_at FROM directory_structures").fetchall()
    assert after == before


def test_cli_errors_are_one_line(cli_env, fixtures, tmp_path, capsys):
    cases = [
        (["import", "finess", str(fixtures / "etalab-guillemet-non-ferme.csv")], 1, "guillemet"),
        (["import", "finess", str(tmp_path / "absent.csv")], 1, "introuvable"),
        (["import", "finess", str(tmp_path)], 1, "dossier"),
        (["import", "inconnue", "x.csv"], 2, "Source « inconnue » inconnue"),
        (["import", "finess"], 2, "PATH"),
        (["import", "finess", "--format", "xml", "x"], 2, "xml"),
    ]
    other = tmp_path / "autre.csv"
    other.write_text("nom;prenom\nDupont;Jean\n", encoding="utf-8")
    cases.append((["import", "finess", str(other)], 1, "non reconnu"))
    for argv, code, fragment in cases:
        assert cli(argv) == code, argv
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1, err
        assert err.startswith("Erreur : ") and fragment in err, err


def test_partial_import_and_json_report(cli_env, fixtures, tmp_path, capsys):
    assert cli(["import", "finess", str(fixtures / "etalab-synthetique.csv")]) == 0
    capsys.readouterr()
    lines = (fixtures / "etalab-synthetique.csv").read_bytes().split(b"\r\n")
    part = tmp_path / "extrait-partiel.csv"
    # the header, two establishments (one renamed) and their geolocations
    renamed = lines[2].replace(
        b"SSIAD DU BASSIN BURGIEN;", b"SSIAD DU BASSIN BURGIEN ET DU REVERMONT;"
    )
    part.write_bytes(b"\r\n".join([lines[0], lines[1], renamed, lines[12], lines[13]]) + b"\r\n")
    assert cli(["import", "finess", str(part), "--partiel", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["partiel"] is True and report["fermes"] == 0
    assert (report["mis_a_jour"], report["inchanges"]) == (1, 1)
    assert report["par_type"] == {"ET": {"vus": 2, "ouverts": 2, "fermes": 0}}
    assert report["coordonnees_perdues"] == 0


def test_projections():
    assert epsg_of("1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93") == 2154
    assert epsg_of("1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,UTM_N20") == 5490
    assert epsg_of("UTM_S40") == 2975 and epsg_of("UTM_N31") == 32631
    assert epsg_of("") == 2154
    with pytest.raises(ProjectionError, match="inconnue"):
        epsg_of("GAUSS_LABORDE")
    lat, lon = to_wgs84(700000.0, 6600000.0, "LAMBERT_93")  # the projection's origin
    assert (lat, lon) == pytest.approx((46.5, 3.0), abs=1e-6)

"""A truncated or incomplete FINESS file is refused whole, in both formats, with one French line and
a non-zero exit on the command line: nothing is created, updated or closed. A record without its
state is rejected, never taken as closed; --partiel never closes what the file does not contain."""

from __future__ import annotations

import json

import pytest
from virage_finess import SOURCE

from virage.sdk import InvalidInput, directory
from virage.sdk.directory import run_import
from virage.sdk.testing import cli


def snapshot(db) -> list[tuple]:
    return db.execute(
        "SELECT finess, name, status, lat, lon, updated_at FROM directory_structures ORDER BY id"
    ).fetchall()


def refused_on_the_cli(path, capsys, *args) -> str:
    assert cli(["import", "finess", str(path), *args]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith("Erreur : Import annulé, l'annuaire n'a pas été modifié : "), err
    return err


@pytest.fixture
def etalab_lines(fixtures) -> list[bytes]:
    return (fixtures / "etalab-synthetique.csv").read_bytes().split(b"\r\n")[:-1]


def write_lines(path, lines: list[bytes], end: bytes = b"\r\n"):
    path.write_bytes(b"\r\n".join(lines) + end)
    return path


# --------------------------------------------------------------------------- Etalab CSV


def test_csv_cut_in_the_middle_of_a_line(cli_env, db, fixtures, tmp_path, capsys, etalab_lines):
    run_import(db, SOURCE, fixtures / "etalab-synthetique.csv")
    before = snapshot(db)
    text = b"\r\n".join(etalab_lines)
    cut = tmp_path / "coupe.csv"
    cut.write_bytes(text[: text.index(b"MAS LES ARCADES") + 20])  # inside a structureet row
    err = refused_on_the_cli(cut, capsys)
    assert "la dernière ligne n'a pas de fin de ligne : le fichier est tronqué" in err
    cut.write_bytes(text[:-10])  # inside the last geolocation row
    refused_on_the_cli(cut, capsys, "--partiel")
    assert snapshot(db) == before


def test_csv_cut_at_a_line_break_before_the_geolocations(
    cli_env, db, fixtures, tmp_path, capsys, etalab_lines
):
    run_import(db, SOURCE, fixtures / "etalab-synthetique.csv")
    before = snapshot(db)
    cut = write_lines(tmp_path / "coupe.csv", etalab_lines[:5])
    for args in ((), ("--partiel",)):
        err = refused_on_the_cli(cut, capsys, *args)
        assert "aucune ligne « geolocalisation » : l'extrait est tronqué" in err
    assert snapshot(db) == before


def test_csv_cut_at_a_line_break_among_the_geolocations(
    cli_env, db, fixtures, tmp_path, capsys, etalab_lines
):
    run_import(db, SOURCE, fixtures / "etalab-synthetique.csv")
    before = snapshot(db)
    cut = write_lines(tmp_path / "coupe.csv", etalab_lines[:16])  # 3 of the 9 geolocations
    err = refused_on_the_cli(cut, capsys)
    assert "retirerait leurs coordonnées à 3 des 7 structures qui en ont" in err
    assert snapshot(db) == before


def test_csv_whose_last_row_is_short_or_ends_with_a_cut_date(db, fixtures, tmp_path, etalab_lines):
    run_import(db, SOURCE, fixtures / "etalab-synthetique.csv")
    before = snapshot(db)
    last = etalab_lines[-1]
    cases = {
        last[: last.rindex(b";")]: "n'a que 4 champs au lieu de 5",
        last[:-4]: "finit par une date coupée « 2025-1 »",
    }
    for row, message in cases.items():
        path = write_lines(tmp_path / "coupe.csv", [*etalab_lines[:-1], row])
        with pytest.raises(InvalidInput, match=message):
            run_import(db, SOURCE, path)
    assert snapshot(db) == before


def test_csv_without_line_breaks_is_refused_before_being_read(db, tmp_path):
    path = tmp_path / "une-ligne.csv"
    path.write_bytes(b"finess;etalab;100;2026-01-15\n" + b"structureet;x" * 20_000 + b"\n")
    with pytest.raises(InvalidInput, match=r"ligne 2 trop longue \(plus de 64 ko\)"):
        run_import(db, SOURCE, path)


# --------------------------------------------------------------------------- ANS JSON flux


def _flux(sample, tmp_path, name: str, keep) -> object:
    data = json.loads(sample.read_text(encoding="utf-8"))
    data["pmej"] = [p for p in data["pmej"] if keep(p)]
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_a_complete_json_missing_most_open_structures_is_refused(
    cli_env, db, sample, tmp_path, capsys
):
    run_import(db, SOURCE, sample)  # 50 structures, 24 of them open
    before = snapshot(db)
    assert directory.structure_by_finess(db, "010780195")["status"] == "open"  # a clinic
    # a well-formed document listing only the first entities: the rest is missing
    path = _flux(sample, tmp_path, "extrait.json", lambda p: p["etatObjet"] == "I")
    err = refused_on_the_cli(path, capsys)
    assert "ne mentionne pas 22 des 24 structures ouvertes de la source finess" in err
    assert snapshot(db) == before
    # the same file as a partial extract closes nothing
    assert cli(["import", "finess", str(path), "--partiel"]) == 0
    assert directory.structure_by_finess(db, "010780195")["status"] == "open"
    # a real drop, confirmed
    assert cli(["import", "finess", str(path), "--confirmer-baisse"]) == 0
    assert "fermés : 22" in capsys.readouterr().out
    assert directory.structure_by_finess(db, "010780195")["status"] == "closed"


def test_a_record_without_its_state_is_rejected_not_closed(db, sample, tmp_path):
    run_import(db, SOURCE, sample)
    data = json.loads(sample.read_text(encoding="utf-8"))
    entity = next(p for p in data["pmej"] if p["etatObjet"] == "A" and p.get("ege"))
    number = entity["ege"][0]["informationsGeneralesEGE"]["numFinessEge"]
    del entity["ege"][0]["etatObjet"]
    entity["etatObjet"] = "X"
    path = tmp_path / "sans-etat.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    for partial in (True, False):
        report = run_import(db, SOURCE, path, partial=partial)
        reasons = {r.reference: r.reason for r in report.rejected}
        assert reasons[number].startswith("état « etatObjet » absent : « A » (actif)")
        ej = entity["informationsGeneralesPMEJ"]["numFinessPm"]
        assert reasons[ej].startswith("état « etatObjet » « X »")
        assert report.closed == 0
        assert directory.structure_by_finess(db, number)["status"] == "open"
        assert directory.structure_by_finess(db, ej)["status"] == "open"


def test_odd_field_types_are_read_past_without_a_crash(db, sample, tmp_path):
    data = json.loads(sample.read_text(encoding="utf-8"))
    entity = next(p for p in data["pmej"] if p.get("ege"))
    entity["adresse"] = "pas une liste"
    entity["contact"] = [{"telecom": "pas un objet"}, 42]
    establishment = entity["ege"][0]
    establishment["adresse"] = [{"coordonneesGeographique": ["x"], "codePostal": 1000}]
    establishment["informationsGeneralesEGE"]["nomEgeCourt"] = {"nom": "objet"}
    entity["ege"].append("pas un objet")
    path = tmp_path / "types.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    report = run_import(db, SOURCE, path)
    reasons = [r.reason for r in report.rejected]
    assert "établissement sans « informationsGeneralesEGE »" in reasons
    ej = directory.structure_by_finess(db, entity["informationsGeneralesPMEJ"]["numFinessPm"])
    assert ej["address_line"] is None and ej["phone"] is None
    number = establishment["informationsGeneralesEGE"]["numFinessEge"]
    et = directory.structure_by_finess(db, number)
    assert et["postcode"] is None and et["lat"] is None  # 1000 is not a postcode
    assert et["name"] == establishment["informationsGeneralesEGE"]["nomEgeLong"].strip()

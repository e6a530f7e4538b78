"""The entourage in the person's FHIR file: RelatedPerson, AllergyIntolerance,
MedicationStatement and Consent, valid R4 (``fhir.resources``), read back by another instance;
and its sections of the page « Dossier »."""

from __future__ import annotations

import json

from fhir.resources.R4B import get_fhir_model_class

from tests.dossier.test_fhir import second_instance  # noqa: F401
from tests.entourage.conftest import ALLERGY, TREATMENT, TRUSTED, add, bearer, login
from tests.entourage.conftest import words as text
from virage.dossier import fhir_export, fhir_import
from virage.sdk.accounts import access_for

MINE = ("RelatedPerson", "AllergyIntolerance", "MedicationStatement", "Consent")


def _record_everything(client, world):
    for user, body in (
        ("secretary_a", TRUSTED),
        (
            "secretary_a",
            {**TRUSTED, "kind": "relative", "name": "Luc Durand", "may_know": "organisation"},
        ),
        ("secretary_a", {"kind": "protection", "detail": "curatelle", "name": "UDAF du Doubs"}),
        ("nurse_a", ALLERGY),
        ("nurse_a", TREATMENT),
        ("nurse_a", {"kind": "directives", "detail": "oui", "extra": "chez son médecin"}),
    ):
        assert add(client, world, user, body).status_code == 201


def _mine(bundle: dict) -> list[dict]:
    out = []
    for entry in bundle["entry"]:
        r = json.loads(json.dumps(entry["resource"]))
        if r["resourceType"] not in MINE:
            continue
        r.pop("id")
        for key in ("patient", "subject"):
            r.pop(key, None)
        out.append(r)
    return sorted(out, key=json.dumps)


def test_exported_valid_and_read_back_by_another_instance(client, world, second_instance):  # noqa: F811
    _record_everything(client, world)
    p1 = world.persons["p1"]
    bundle = client.get(f"/api/v1/persons/{p1}/dossier/fhir", headers=bearer(world, "coord_a"))
    assert bundle.status_code == 200, bundle.text
    bundle = bundle.json()
    mine = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] in MINE]
    assert sorted(r["resourceType"] for r in mine) == [
        "AllergyIntolerance",
        "Consent",
        "MedicationStatement",
        "RelatedPerson",
        "RelatedPerson",
        "RelatedPerson",
    ]
    for resource in mine:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        ref = resource.get("patient") or resource.get("subject")
        assert ref == {"reference": f"Patient/{p1}"}
    db, plugins, structure = second_instance
    (new_id,) = fhir_import.import_bundle(access_for(db, plugins, "coord_c"), structure, bundle)
    db.commit()
    again = fhir_export.export_person(access_for(db, plugins, "coord_c"), new_id)
    assert _mine(again) == _mine(bundle)


def test_sections_of_the_file_page(client, world):
    _record_everything(client, world)
    p1 = world.persons["p1"]
    login(client, "secretary_a")
    page = client.get(f"/personnes/{p1}/dossier")
    if page.status_code == 200:  # the secretariat may open the file page: no health there
        said = text(page.text)
        assert "Personne de confiance : Marie Durand" in said
        assert "Pénicilline" not in said and "Santé déclarée" not in said
    client.cookies.clear()
    login(client, "nurse_a")
    said = text(client.get(f"/personnes/{p1}/dossier").text)
    assert "Identité provisoire" in said
    assert "Curatelle exercée par UDAF du Doubs" in said and "1 proche enregistré" in said
    assert "Allergies déclarées : Pénicilline" in said
    assert "1 traitement en cours déclaré" in said
    assert "traitement déclaré il y a plus de six mois" in said  # the DLU section

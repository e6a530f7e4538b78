"""The file that can leave: FHIR R4 export, validated with ``fhir.resources`` (R4B models, the
same elements for these resources), imported into another Virage instance (a fresh database)
and exported again: the same file comes back."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B import get_fhir_model_class

from tests.dossier.conftest import PLAN, bearer, write_assessment, write_plan
from virage.accounts import lookups
from virage.app import prepare_database
from virage.dossier import fhir_export, fhir_import
from virage.plugins import PluginHost
from virage.sdk.accounts import access_for

FALLS = {
    "questionnaire": "chutes",
    "answers": {
        "chutes_12_mois": "1",
        "chute_grave": "oui",
        "timed_up_and_go": "24",
        "medicaments": "5",
        "psychotropes": "non",
        "peur_de_tomber": "oui",
        "troubles_vue": "non",
        "logement": "non",
        "remarques": "Tapis du salon retiré",
    },
    "answered_on": "2026-12-02",
    "respondent": "proche",
    "respondent_name": "son fils",
}


def _file(client, world):
    p1 = world.persons["p1"]
    assert write_plan(client, world).status_code == 201
    revised = {**PLAN, "review_on": "2027-06-01", "agreed_how": "representant"}
    revised["objectives"] = [*PLAN["objectives"], {"words": "Revoir mes petits-enfants"}]
    assert write_plan(client, world, body=revised).status_code == 201
    assert write_assessment(client, world).status_code == 201
    response = client.post(
        f"/api/v1/persons/{p1}/dossier/assessments", json=FALLS, headers=bearer(world, "nurse_a")
    )
    assert response.status_code == 201 and response.json()["result"].startswith("5 facteurs")
    bundle = client.get(f"/api/v1/persons/{p1}/dossier/fhir", headers=bearer(world, "coord_a"))
    assert bundle.status_code == 200
    assert bundle.headers["content-type"].startswith("application/fhir+json")
    return bundle.json()


def _validate(bundle: dict) -> None:
    get_fhir_model_class("Bundle").model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def _normal(bundle: dict) -> list[dict]:
    """The resources without what an instance assigns (ids, references' ids, times of writing,
    the care team's members: each instance composes its own team)."""
    out = []
    for entry in bundle["entry"]:
        r = json.loads(json.dumps(entry["resource"]))
        r.pop("id", None)
        if r["resourceType"] in ("Encounter", "CareTeam"):
            out.append({"resourceType": r["resourceType"], "status": r["status"]})
            continue
        for key in ("subject", "source"):
            if isinstance(r.get(key), dict):
                r[key].pop("reference", None)
        r.pop("goal", None)
        for activity in r.get("activity", []):
            activity["detail"].pop("goal", None)
        out.append(r)
    return out


@pytest.fixture
def second_instance(world, tmp_path):
    """Another Virage: its own database, one structure, one coordinator."""
    settings = world.settings.with_(db_path=tmp_path / "autre.db")
    plugins = PluginHost(settings)
    db = prepare_database(settings, plugins)
    structure = lookups.create_structure(db, "SSIAD d'accueil", "SSIAD")
    from virage.accounts import service

    service.create_user(
        db,
        username="coord_c",
        display_name="coord c",
        password="mot-de-passe-de-test",
        structure_id=structure,
        role="coordinator",
    )
    db.commit()
    yield db, plugins, structure
    db.close()


def test_the_exported_file_is_valid_fhir(client, world):
    bundle = _file(client, world)
    _validate(bundle)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    for kind in ("Patient", "Encounter", "CareTeam", "CarePlan", "Goal", "QuestionnaireResponse"):
        assert kind in kinds
    plans = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"]
    assert [p["status"] for p in plans] == ["revoked", "active"]
    assert plans[1]["period"]["end"] == "2027-06-01"


def test_round_trip_into_another_instance(client, world, second_instance):
    bundle = _file(client, world)
    db, plugins, structure = second_instance
    access = access_for(db, plugins, "coord_c", route="test")
    (new_id,) = fhir_import.import_bundle(access, structure, bundle)
    db.commit()
    again = fhir_export.export_person(access_for(db, plugins, "coord_c"), new_id)
    _validate(again)
    assert _normal(again) == _normal(bundle)
    # the GIR was computed again by the receiving instance, from the answers
    from virage.dossier import service

    rows = service.assessments(access_for(db, plugins, "coord_c"), new_id)
    assert {r["result"] for r in rows} == {"GIR 2", "5 facteurs de risque repérés"}


def test_a_structure_leaves_with_its_files(client, world, second_instance):
    _file(client, world)
    everything = client.get("/api/v1/dossiers/fhir", headers=bearer(world, "coord_a"))
    assert everything.status_code == 200
    patients = [e for e in everything.json()["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert len(patients) == 1  # p2 belongs to structure b
    db, plugins, structure = second_instance
    created = fhir_import.import_bundle(
        access_for(db, plugins, "coord_c"), structure, everything.json()
    )
    assert len(created) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"pas du json", "JSON lisible"),
        (b'{"resourceType": "Patient"}', "Bundle FHIR est attendu"),
        (b'{"resourceType": "Bundle", "entry": []}', "aucun Patient"),
        (b'{"resourceType": "Bundle", "entry": [{"resource": 3}]}', "pas de ressource"),
        (
            json.dumps(
                {
                    "resourceType": "Bundle",
                    "entry": [{"resource": {"resourceType": "Basic"}}] * 20_001,
                }
            ).encode(),
            "plus de 20000",
        ),
    ],
)
def test_a_bad_import_is_refused_in_french_and_nothing_is_kept(client, world, body, message):
    before = client.get("/api/v1/persons", headers=bearer(world, "coord_a")).json()
    response = client.post("/api/v1/dossiers/fhir", content=body, headers=bearer(world, "coord_a"))
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert client.get("/api/v1/persons", headers=bearer(world, "coord_a")).json() == before


def test_an_import_too_large_is_refused(client, world):
    body = b" " * (fhir_import.MAX_BYTES + 10)
    response = client.post("/api/v1/dossiers/fhir", content=body, headers=bearer(world, "coord_a"))
    assert response.status_code == 413


def test_export_and_import_are_in_the_journal(client, world):
    bundle = _file(client, world)
    response = client.post(
        "/api/v1/dossiers/fhir", content=json.dumps(bundle), headers=bearer(world, "coord_a")
    )
    assert response.status_code == 201, response.text
    from tests.accounts.sql import query

    actions = {
        r[0]
        for r in query(
            world.settings.db_path,
            "SELECT action FROM audit_log WHERE action IN ('dossier.export', 'dossier.import')",
        )
    }
    assert actions == {"dossier.export", "dossier.import"}

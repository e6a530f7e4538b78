"""Every FHIR resource of the test directory meets the rules of the profiles it claims.

The rules are in ``tests/directory/fhir_rules.py``, written from the FSH sources of FR Core 2.2.0
and of the ANS Annuaire Santé guide; each resource is also validated as R4 JSON with
``fhir.resources`` (R4B models: these four resources are unchanged from R4).
"""

from __future__ import annotations

import pytest
from fhir.resources.R4B.healthcareservice import HealthcareService
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole

from tests.accounts.conftest import bearer
from tests.directory import fhir_rules

FHIR = "/api/v1/directory/fhir"
MODELS = {
    "Organization": Organization,
    "HealthcareService": HealthcareService,
    "Practitioner": Practitioner,
    "PractitionerRole": PractitionerRole,
}


@pytest.fixture
def h(world, directory):
    return bearer(world, "nurse_a")


def _all_resources(client, h):
    structures = client.get(
        "/api/v1/directory/structures", params={"open_only": False, "per_page": 100}, headers=h
    ).json()["results"]
    professionals = client.get(
        "/api/v1/directory/professionals", params={"open_only": False}, headers=h
    ).json()["results"]
    assert len(structures) > 30 and len(professionals) == 2
    for s in structures:
        yield client.get(f"{FHIR}/Organization/{s['id']}", headers=h).json()
        if s["kind"] == "ET":
            yield client.get(f"{FHIR}/HealthcareService/{s['id']}", headers=h).json()
    for p in professionals:
        yield client.get(f"{FHIR}/Practitioner/{p['id']}", headers=h).json()
        roles = client.get(
            f"{FHIR}/PractitionerRole", params={"practitioner": p["id"]}, headers=h
        ).json()
        yield from (e["resource"] for e in roles["entry"])


def test_every_resource_meets_the_rules_of_its_profiles(client, h):
    seen: dict[str, int] = {}
    problems = {}
    for resource in _all_resources(client, h):
        rtype = resource["resourceType"]
        MODELS[rtype].model_validate(resource)
        seen[rtype] = seen.get(rtype, 0) + 1
        found = fhir_rules.violations(resource)
        if found:
            problems[f"{rtype}/{resource['id']}"] = found
    assert problems == {}
    assert set(seen) == set(MODELS) and seen["PractitionerRole"] == 3


def test_the_mailbox_and_the_identifiers_are_those_of_the_guides(client, h):
    found = client.get("/api/v1/directory/professionals", params={"q": "curie"}, headers=h)
    pract = client.get(f"{FHIR}/Practitioner/{found.json()['results'][0]['id']}", headers=h).json()
    (mailbox,) = [t for t in pract["telecom"] if t.get("extension")]
    assert mailbox == {
        "extension": [
            {
                "url": fhir_rules.EMAIL_TYPE,
                "valueCoding": {"system": fhir_rules.R256, "code": "MSSANTE"},
            }
        ],
        "system": "email",
        "value": "marie.curie-martin@medecin.mssante.example",
        "use": "work",
    }
    assert {i["system"] for i in pract["identifier"]} == {
        "urn:oid:1.2.250.1.71.4.2.1",
        "https://rpps.esante.gouv.fr",
    }
    assert pract["name"][0]["suffix"] == ["DR"] and "prefix" not in pract["name"][0]


def test_the_rules_catch_what_the_guides_forbid():
    """The checker is not blind: Virage's export before issue 25 broke these rules."""
    old = {
        "resourceType": "Practitioner",
        "id": "1",
        "meta": {"profile": [fhir_rules.FR_CORE + "fr-core-practitioner"]},
        "identifier": [
            {
                "type": {"coding": [{"system": fhir_rules.CS_0203, "code": "RPPS"}]},
                "system": "http://rpps.fr",
                "value": "10000000001",
            },
            {"system": "https://rpps.esante.gouv.fr", "value": "10000000001"},
        ],
        "name": [{"family": "X", "prefix": ["Dr"]}],
        "telecom": [
            {
                "system": "email",
                "value": "x@y.mssante.fr",
                "extension": [
                    {
                        "url": "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-email-type",
                        "valueCoding": {"code": "MSSANTE"},
                    }
                ],
            }
        ],
    }
    text = "\n".join(fhir_rules.violations(old))
    for expected in (
        "meta.profile",
        "replaced: http://rpps.fr",
        "type must be {'RPPS'}",
        "wrong check digit",
        "outside JDV_J78",
        "no guide defines",
    ):
        assert expected in text

"""FHIR R4 export: valid resources (checked with fhir.resources, R4B models: Organization,
HealthcareService, Practitioner and PractitionerRole are unchanged from R4), French Annuaire Santé
identifiers, application/fhir+json."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.healthcareservice import HealthcareService
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole

from tests.accounts.conftest import bearer

FHIR = "/api/v1/directory/fhir"


@pytest.fixture
def h(world, directory):
    return bearer(world, "nurse_a")


def _id(client, h, finess):
    return client.get(f"/api/v1/directory/structures/finess/{finess}", headers=h).json()["id"]


def fhir_json(response):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    return response.json()


def ident(resource, code):
    return [i for i in resource["identifier"] if i["type"]["coding"][0]["code"] == code]


def test_establishment_as_organization_and_service(client, h):
    sid = _id(client, h, "010000081")
    org = fhir_json(client.get(f"{FHIR}/Organization/{sid}", headers=h))
    Organization.model_validate(org)
    (fineg,) = ident(org, "FINEG")
    assert fineg["system"] == "https://finess.esante.gouv.fr" and fineg["value"] == "010000081"
    assert ident(org, "IDNST")[0] == {
        **ident(org, "IDNST")[0],
        "value": "1010000081",
        "system": "urn:oid:1.2.250.1.71.4.2.2",
    }
    assert org["active"] is True
    codes = {c["coding"][0]["code"] for c in org["type"]}
    assert {"GEOGRAPHICAL-ENTITY", "500"} <= codes
    assert org["partOf"]["identifier"]["value"] == "010000990"
    assert org["partOf"]["reference"].startswith("Organization/")
    geo = org["address"][0]["extension"][0]["extension"]
    assert geo[0]["valueDecimal"] == pytest.approx(46.2052)
    service = fhir_json(client.get(f"{FHIR}/HealthcareService/{sid}", headers=h))
    HealthcareService.model_validate(service)
    assert service["providedBy"]["reference"] == f"Organization/{sid}"


def test_legal_entity_and_closed_structure(client, h):
    ej = fhir_json(client.get(f"{FHIR}/Organization/{_id(client, h, '010000990')}", headers=h))
    Organization.model_validate(ej)
    assert ident(ej, "FINEJ")[0]["value"] == "010000990"
    no_service = client.get(f"{FHIR}/HealthcareService/{_id(client, h, '010000990')}", headers=h)
    assert no_service.status_code == 404
    assert "entité juridique" in no_service.json()["issue"][0]["details"]["text"]
    closed = fhir_json(client.get(f"{FHIR}/Organization/{_id(client, h, '010000008')}", headers=h))
    assert closed["active"] is False


def test_search_by_identifier_gives_a_bundle(client, h):
    bundle = fhir_json(
        client.get(
            f"{FHIR}/Organization",
            params={"identifier": "https://finess.esante.gouv.fr|2A0000010"},
            headers=h,
        )
    )
    Bundle.model_validate(bundle)
    assert bundle["total"] == 1 and bundle["entry"][0]["resource"]["name"] == "EHPAD U Castellu"
    empty = fhir_json(
        client.get(f"{FHIR}/Organization", params={"identifier": "990000002"}, headers=h)
    )
    assert empty["total"] == 0 and empty["entry"] == []
    wrong = client.get(f"{FHIR}/Organization", params={"identifier": "http://x|1"}, headers=h)
    assert wrong.status_code == 400
    assert "non pris en charge" in wrong.json()["issue"][0]["details"]["text"]


def test_practitioner_and_roles(client, h):
    found = client.get("/api/v1/directory/professionals", params={"q": "curie"}, headers=h).json()[
        "results"
    ][0]
    pract = fhir_json(client.get(f"{FHIR}/Practitioner/{found['id']}", headers=h))
    Practitioner.model_validate(pract)
    (idnps,) = ident(pract, "IDNPS")
    assert idnps == {**idnps, "system": "urn:oid:1.2.250.1.71.4.2.1", "value": "810000000041"}
    assert ident(pract, "RPPS")[0]["value"] == "10000000041"
    assert pract["qualification"][0]["code"]["coding"][0]["code"] == "10"
    mss = [t for t in pract["telecom"] if t.get("extension")]
    assert mss[0]["extension"][0]["valueCoding"]["code"] == "MSSANTE"
    by_rpps = fhir_json(
        client.get(
            f"{FHIR}/Practitioner",
            params={"identifier": "https://rpps.esante.gouv.fr|10000000041"},
            headers=h,
        )
    )
    Bundle.model_validate(by_rpps)
    assert by_rpps["total"] == 1
    roles = fhir_json(
        client.get(
            f"{FHIR}/PractitionerRole",
            params={"practitioner": f"Practitioner/{found['id']}"},
            headers=h,
        )
    )
    Bundle.model_validate(roles)
    role = roles["entry"][0]["resource"]
    PractitionerRole.model_validate(role)
    assert role["organization"]["reference"].startswith("Organization/")
    assert role["code"][1]["text"] == "Médecin coordonnateur"
    single = fhir_json(client.get(f"{FHIR}/PractitionerRole/{role['id']}", headers=h))
    assert single == role
    adeli = client.get("/api/v1/directory/professionals", params={"q": "brule"}, headers=h).json()[
        "results"
    ][0]
    pract2 = fhir_json(client.get(f"{FHIR}/Practitioner/{adeli['id']}", headers=h))
    Practitioner.model_validate(pract2)
    assert ident(pract2, "IDNPS")[0]["value"] == "0019999999"


def test_fhir_needs_a_token_and_known_ids(client, h):
    assert client.get(f"{FHIR}/Organization/1").status_code == 401
    assert client.get(f"{FHIR}/Organization/999999", headers=h).status_code == 404
    assert (
        client.get(f"{FHIR}/PractitionerRole", params={"practitioner": "x"}, headers=h).status_code
        == 400
    )

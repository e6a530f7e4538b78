"""The FHIR base speaks the guides: their identifier systems in searches (the old ones as
aliases), check digits, ``[base]/metadata``, and errors as ``OperationOutcome`` in French."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome

from tests.accounts.conftest import bearer

FHIR = "/api/v1/directory/fhir"


@pytest.fixture
def h(world, directory):
    return bearer(world, "nurse_a")


def found(client, h, resource, identifier):
    response = client.get(f"{FHIR}/{resource}", params={"identifier": identifier}, headers=h)
    assert response.status_code == 200, response.text
    Bundle.model_validate(response.json())
    return [e["resource"]["id"] for e in response.json()["entry"]]


def outcome(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    body = response.json()
    OperationOutcome.model_validate(body)
    return body["issue"][0]


def test_search_with_the_guides_systems_and_the_old_ones(client, h):
    (org,) = found(client, h, "Organization", "https://finess.esante.gouv.fr|010000081")
    assert found(client, h, "Organization", "urn:oid:1.2.250.1.71.4.2.2|1010000081") == [org]
    assert found(client, h, "Organization", "http://finess.sante.gouv.fr|010000081") == [org]
    assert found(client, h, "Organization", "010000081") == [org]
    (pract,) = found(client, h, "Practitioner", "https://rpps.esante.gouv.fr|10000000041")
    assert found(client, h, "Practitioner", "urn:oid:1.2.250.1.71.4.2.1|810000000041") == [pract]
    assert found(client, h, "Practitioner", "http://rpps.fr|10000000041") == [pract]


def test_check_digits_are_verified_with_a_clear_message(client, h):
    issue = outcome(
        client.get(
            f"{FHIR}/Organization",
            params={"identifier": "https://finess.esante.gouv.fr|010000082"},
            headers=h,
        ),
        400,
    )
    assert issue["code"] == "invalid"
    assert "clé de contrôle fausse" in issue["details"]["text"]
    issue = outcome(
        client.get(
            f"{FHIR}/Practitioner",
            params={"identifier": "https://rpps.esante.gouv.fr|10000000042"},
            headers=h,
        ),
        400,
    )
    assert "numéro RPPS « 10000000042 » a une clé de contrôle fausse" in issue["details"]["text"]
    # The JSON API checks the same, and keeps Virage's error body.
    plain = client.get("/api/v1/directory/structures/finess/010000082", headers=h)
    assert plain.status_code == 400 and "clé de contrôle" in plain.json()["detail"]


def test_metadata_lists_what_is_supported_without_a_token(client, h):
    response = client.get(f"{FHIR}/metadata")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    statement = response.json()
    CapabilityStatement.model_validate(statement)
    assert statement["fhirVersion"] == "4.0.1" and statement["kind"] == "instance"
    resources = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(resources) == {
        "Organization",
        "HealthcareService",
        "Practitioner",
        "PractitionerRole",
    }
    assert {p["name"] for p in resources["Organization"]["searchParam"]} == {"identifier"}
    assert "searchParam" not in resources["HealthcareService"]
    interactions = {i["code"] for r in resources.values() for i in r["interaction"]}
    assert interactions == {"read", "search-type"}  # no write of any kind
    # What is declared works: each read with a token, each declared search.
    org = client.get(f"{FHIR}/Organization/1", headers=h).json()
    assert org["meta"]["profile"] == resources["Organization"]["supportedProfile"]
    assert (
        "http://finess.sante.gouv.fr"
        in resources["Organization"]["searchParam"][0]["documentation"]
    )


def test_errors_under_the_fhir_base_are_operation_outcomes_in_french(client, h):
    assert outcome(client.get(f"{FHIR}/Organization/1"), 401)["code"] == "login"
    issue = outcome(client.get(f"{FHIR}/Organization/999999", headers=h), 404)
    assert issue["code"] == "not-found" and "n'existe" in issue["details"]["text"]
    assert outcome(client.get(f"{FHIR}/Patient/1", headers=h), 404)["code"] == "not-found"
    refused = client.post(f"{FHIR}/Organization", json={}, headers=h)
    assert outcome(refused, 405)["code"] == "not-supported" and "GET" in refused.headers["allow"]
    missing = outcome(client.get(f"{FHIR}/Organization", headers=h), 400)
    assert "Corrigez" in missing["details"]["text"]
    issue = outcome(
        client.get(f"{FHIR}/Organization", params={"identifier": "http://x|1"}, headers=h), 400
    )
    assert "Système d'identifiant non pris en charge" in issue["details"]["text"]
    # Elsewhere the API keeps Virage's error body.
    plain = client.get("/api/v1/directory/structures/999999", headers=h)
    assert plain.status_code == 404 and set(plain.json()) >= {"status_code", "detail"}

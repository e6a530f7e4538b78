"""The agenda's FHIR interface checked against the rules of the guides it claims.

Rules, written from the sources (not from Virage's code):
- ANS GAP 3.0.0 (ansforge/IG-fhir-gestion-agendas-partages, sushi-config.yaml: FHIR 4.0.1):
  profiles gap-fr-schedule / gap-fr-slot / gap-fr-appointment derive from FR Core's with no
  added constraint (input/fsh/profiles/GAP_*.fsh).
- FR Core (Interop-Sante/hl7.fhir.fr.core, input/fsh/profiles/FRCoreScheduleProfile.fsh,
  FRCoreSlotProfile.fsh, FRCoreAppointmentProfile.fsh): Schedule.serviceType 0..0,
  serviceCategory 0..1, actor types; Slot.status from SlotStatus (required);
  Appointment.participant.actor types.
- FHIR R4 base (cardinalities, value sets, invariants app-2, app-3, app-4), validated with
  ``fhir.resources`` (R4B models, the same elements for these three resources).
"""

from __future__ import annotations

from datetime import timedelta

from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.schedule import Schedule
from fhir.resources.R4B.slot import Slot

from tests.accounts.conftest import bearer
from tests.agenda.helpers import visit
from virage.agenda.timeutil import today_paris

BASE = "/api/v1/agenda/fhir"
GAP = "https://interop.esante.gouv.fr/ig/fhir/gap/StructureDefinition/"
SLOT_STATUS = {"busy", "free", "busy-unavailable", "busy-tentative", "entered-in-error"}
APPOINTMENT_STATUS = {
    "proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow",
    "entered-in-error", "checked-in", "waitlist",
}  # fmt: skip
PARTICIPATION_STATUS = {"accepted", "declined", "tentative", "needs-action"}
FR_CORE_SCHEDULE_ACTORS = {
    "Device", "PractitionerRole", "RelatedPerson", "HealthcareService", "Location", "Patient",
    "Practitioner",
}  # fmt: skip


def _get(client, world, path, who="coord_a", **params):
    return client.get(f"{BASE}/{path}", params=params, headers=bearer(world, who))


def _day(days=7):
    day = today_paris() + timedelta(days=days)
    while day.weekday() >= 5:  # default working hours: Monday to Friday
        day += timedelta(days=1)
    return day


def _pro_schedule(world):
    return f"pro-{world.structures['a']}-{world.users['nurse_a']}"


def check_schedule(resource):
    Schedule.model_validate(resource)
    assert resource["meta"]["profile"] == [GAP + "gap-fr-schedule"]
    assert resource["actor"], "R4: Schedule.actor 1..*"
    assert "serviceType" not in resource, "FR Core: serviceType 0..0"
    assert len(resource.get("serviceCategory", [])) <= 1, "FR Core: serviceCategory 0..1"
    assert "specialty" not in resource  # bound (required) to FR Core's value set: not claimed
    for actor in resource["actor"]:
        assert actor["reference"].split("/")[0] in FR_CORE_SCHEDULE_ACTORS


def check_slot(resource):
    Slot.model_validate(resource)
    assert resource["meta"]["profile"] == [GAP + "gap-fr-slot"]
    assert resource["status"] in SLOT_STATUS
    assert resource["schedule"]["reference"].startswith("Schedule/")
    assert resource["start"] < resource["end"]


def check_appointment(resource):
    Appointment.model_validate(resource)
    assert resource["meta"]["profile"] == [GAP + "gap-fr-appointment"]
    assert resource["status"] in APPOINTMENT_STATUS
    assert resource["participant"], "R4: participant 1..*"
    for p in resource["participant"]:
        assert p["status"] in PARTICIPATION_STATUS
        assert p["actor"]["reference"].split("/")[0] in FR_CORE_SCHEDULE_ACTORS
    assert ("start" in resource) == ("end" in resource), "app-2"
    if resource["status"] not in ("proposed", "cancelled", "waitlist"):
        assert "start" in resource, "app-3"
    if "cancelationReason" in resource:
        assert resource["status"] in ("cancelled", "noshow"), "app-4"


def test_metadata_is_a_capability_statement_of_what_is_supported(client):
    r = client.get(f"{BASE}/metadata")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/fhir+json")
    cs = r.json()
    CapabilityStatement.model_validate(cs)
    assert cs["fhirVersion"] == "4.0.1" and cs["kind"] == "instance"
    types = {res["type"]: res for res in cs["rest"][0]["resource"]}
    assert set(types) == {"Schedule", "Slot", "Appointment"}
    assert {i["code"] for i in types["Appointment"]["interaction"]} == {"create", "read", "update"}


def test_schedules_and_free_slots_conform(client, world):
    r = _get(client, world, "Schedule")
    assert r.status_code == 200, r.text
    entries = [e["resource"] for e in r.json()["entry"]]
    assert entries
    for resource in entries:
        check_schedule(resource)
    one = _get(client, world, f"Schedule/{_pro_schedule(world)}").json()
    check_schedule(one)
    day = _day()
    r = _get(
        client,
        world,
        "Slot",
        schedule=f"Schedule/{_pro_schedule(world)}",
        start=[f"ge{day}", f"le{day}"],
    )
    assert r.status_code == 200, r.text
    slots = [e["resource"] for e in r.json()["entry"]]
    assert slots and all(s["start"][:10] == str(day) or s["start"] > str(day) for s in slots)
    for resource in slots:
        check_slot(resource)
        assert resource["status"] == "free"


def test_book_from_a_slot_read_back_without_health_content_then_cancel(client, world):
    day = _day()
    slots = _get(
        client, world, "Slot", schedule=f"Schedule/{_pro_schedule(world)}", start=f"ge{day}"
    ).json()["entry"]
    slot = slots[0]["resource"]
    body = {
        "resourceType": "Appointment",
        "status": "booked",
        "slot": [{"reference": f"Slot/{slot['id']}"}],
        "participant": [
            {"actor": {"reference": f"Patient/{world.persons['p1']}"}, "status": "accepted"}
        ],
    }
    r = client.post(f"{BASE}/Appointment", json=body, headers=bearer(world, "coord_a"))
    assert r.status_code == 201, r.text
    created = r.json()
    check_appointment(created)
    assert created["start"] == slot["start"] and created["status"] == "booked"
    assert r.headers["location"].endswith(f"/Appointment/{created['id']}")
    # the slot is taken now
    again = client.post(f"{BASE}/Appointment", json=body, headers=bearer(world, "coord_a"))
    assert again.status_code == 409
    outcome = again.json()
    OperationOutcome.model_validate(outcome)
    assert outcome["issue"][0]["code"] == "conflict"
    assert "Créneau impossible" in outcome["issue"][0]["details"]["text"]
    taken = _get(client, world, f"Slot/{slot['id']}").json()
    check_slot(taken)
    assert taken["status"] == "busy"

    r = client.put(
        f"{BASE}/Appointment/{created['id']}",
        json={**created, "status": "cancelled", "cancelationReason": {"text": "reporté"}},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200, r.text
    check_appointment(r.json())
    assert r.json()["status"] == "cancelled"
    assert r.json()["cancelationReason"]["text"] == "reporté"


def test_no_health_content_nor_identity_without_the_rights(client, world):
    v = visit(
        client,
        world,
        start=f"{_day()}T10:00",
        notes="Diabète : glycémie avant insuline",
        title="Injection d'insuline",
    ).json()
    with_rights = _get(client, world, f"Appointment/{v['id']}").json()
    check_appointment(with_rights)
    text = str(with_rights)
    for forbidden in ("Diabète", "glycémie", "insuline"):
        assert forbidden not in text
    # a colleague outside the care team reads the agenda, not the person's identity: initials
    secretary = _get(client, world, f"Appointment/{v['id']}", who="nurse2_a")
    assert secretary.status_code == 200, secretary.text
    patient = [p for p in secretary.json()["participant"] if "Patient/" in p["actor"]["reference"]]
    assert patient[0]["actor"]["display"] == "J. D."
    assert "insuline" not in secretary.text and "Jeanne" not in secretary.text


def test_errors_are_operation_outcomes_in_french(client, world):
    r = client.get(f"{BASE}/Schedule")
    assert r.status_code == 401
    OperationOutcome.model_validate(r.json())
    assert "jeton" in r.json()["issue"][0]["details"]["text"]
    other = f"pro-{world.structures['b']}-{world.users['nurse_b']}"
    r = _get(client, world, f"Schedule/{other}")
    assert r.status_code in (403, 404)
    OperationOutcome.model_validate(r.json())
    r = client.post(
        f"{BASE}/Appointment", json={"resourceType": "Patient"}, headers=bearer(world, "coord_a")
    )
    assert r.status_code == 400 and "Appointment" in r.json()["issue"][0]["details"]["text"]
    r = _get(client, world, "Slot/pas-un-creneau")
    assert r.status_code == 404 and r.json()["resourceType"] == "OperationOutcome"

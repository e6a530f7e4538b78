"""The agenda as FHIR R4 resources, per the ANS guide « Gestion d'Agendas Partagés » (GAP).

Guide: ``ansforge/IG-fhir-gestion-agendas-partages`` version 3.0.0 (sushi-config.yaml: FHIR 4.0.1,
depends on FR Core 2.0.1). Its profiles add no constraint to FR Core's (input/fsh/profiles/
GAP_Schedule.fsh, GAP_Slot.fsh, GAP_Appointment.fsh: « sans contraintes ajoutées »), so the rules
applied here are FR Core's (``Interop-Sante/hl7.fhir.fr.core``, input/fsh/profiles/
FRCoreScheduleProfile.fsh, FRCoreSlotProfile.fsh, FRCoreAppointmentProfile.fsh) on top of R4:

- Schedule: ``actor`` 1..* (R4) referencing Practitioner, PractitionerRole, HealthcareService…
  (FR Core); ``serviceType`` 0..0 and ``serviceCategory`` 0..1 (FR Core); ``specialty`` bound
  (required) to FR Core's specialty value set — left out, Virage has no such codes.
- Slot: ``schedule``, ``status`` (R4 ``SlotStatus``, required binding), ``start`` and ``end`` 1..1.
- Appointment: ``status`` (R4 ``AppointmentStatus``) and ``participant`` 1..* with its
  ``status`` (``ParticipationStatus``); ``start``/``end`` both or neither (app-2), present unless
  proposed, cancelled or waitlisted (app-3); ``cancelationReason`` only when cancelled (app-4).

Nothing here reads health content: care notes are never part of a resource, the free-text title
of a visit is replaced by its kind (as in the calendar feed), and a person's name appears only
when the caller may read the identity (initials otherwise).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from virage.errors import InvalidInput, NotFound

GAP_VERSION = "3.0.0"
GAP_CANONICAL = "https://interop.esante.gouv.fr/ig/fhir/gap"
PROFILES = {
    "Schedule": f"{GAP_CANONICAL}/StructureDefinition/gap-fr-schedule",
    "Slot": f"{GAP_CANONICAL}/StructureDefinition/gap-fr-slot",
    "Appointment": f"{GAP_CANONICAL}/StructureDefinition/gap-fr-appointment",
}
#: Virage's own kinds of appointment (local code system, documented in agenda-fhir.md).
KIND_SYSTEM = "urn:virage:agenda:type-rendez-vous"

#: Virage status → R4 AppointmentStatus (http://hl7.org/fhir/appointmentstatus).
STATUS_TO_FHIR = {
    "planned": "booked",
    "confirmed": "booked",
    "done": "fulfilled",
    "missed": "noshow",
    "cancelled": "cancelled",
}
#: Statuses another system may give when it books.
BOOKABLE = {"booked", "pending", "proposed"}

_SCHEDULE_ID = re.compile(r"^(pro|team)-([1-9][0-9]{0,9})-([1-9][0-9]{0,9})$")
_SLOT_ID = re.compile(
    r"^((?:pro|team)-[1-9][0-9]{0,9}-[1-9][0-9]{0,9})\.([0-9]{12})\.([0-9]{1,3})\.([1-9][0-9]{0,9})$"
)
_REF = re.compile(r"^(?:.*/)?(Practitioner|Patient|Slot|Schedule)/([A-Za-z0-9\-.]{1,64})$")


# --------------------------------------------------------------------------- identifiers


def schedule_id(kind: str, structure_id: int, owner_id: int) -> str:
    """``pro-<structure>-<user>`` (a professional) or ``team-<structure>-<team>``."""
    return f"{kind}-{structure_id}-{owner_id}"


def parse_schedule_id(value: str) -> tuple[str, int, int]:
    match = _SCHEDULE_ID.match(value or "")
    if not match:
        raise NotFound("Cet agenda (Schedule) n'existe pas.")
    return match[1], int(match[2]), int(match[3])


def slot_id(schedule: str, start: datetime, minutes: int, user_id: int) -> str:
    """A computed slot names its schedule, its start (UTC), length and the professional free."""
    return f"{schedule}.{start.astimezone(UTC):%Y%m%d%H%M}.{minutes}.{user_id}"


def parse_slot_id(value: str) -> tuple[str, datetime, int, int]:
    match = _SLOT_ID.match(value or "")
    if not match:
        raise NotFound("Ce créneau (Slot) n'existe pas.")
    try:
        start = datetime.strptime(match[2], "%Y%m%d%H%M").replace(tzinfo=UTC)
    except ValueError:
        raise NotFound("Ce créneau (Slot) n'existe pas.") from None
    minutes = int(match[3])
    if not 5 <= minutes <= 12 * 60:
        raise NotFound("Ce créneau (Slot) n'existe pas.")
    return match[1], start, minutes, int(match[4])


def parse_reference(value: Any, expected: str) -> str:
    """The id of a reference ``Expected/<id>`` (relative or absolute); ``InvalidInput`` else."""
    ref = value.get("reference") if isinstance(value, dict) else None
    match = _REF.match(ref or "") if isinstance(ref, str) else None
    if not match or match[1] != expected:
        raise InvalidInput(f"Référence attendue : {expected}/<identifiant> (reçu : {ref!r}).")
    return match[2]


def parse_instant(value: Any, field: str) -> datetime:
    """A FHIR dateTime with a time zone (``2030-05-06T09:30:00+02:00``)."""
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidInput(f"{field} : date et heure attendues (ex. 2030-05-06T09:30:00+02:00).")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"{field} : date et heure attendues (ex. 2030-05-06T09:30:00+02:00)."
        ) from None
    if parsed.tzinfo is None:
        raise InvalidInput(f"{field} : indiquez le fuseau horaire (ex. +02:00 ou Z).")
    return parsed.astimezone(UTC)


def instant(value: str | datetime) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --------------------------------------------------------------------------- resources


def _practitioner(user_id: int, name: str) -> dict:
    return {"reference": f"Practitioner/{user_id}", "type": "Practitioner", "display": name}


def schedule(
    kind: str, structure: dict, owner_id: int, name: str, members: list[dict], horizon: tuple
) -> dict:
    """A professional's or a team's availability in a structure (its free slots are computed)."""
    actors = (
        [_practitioner(owner_id, name)]
        if kind == "pro"
        else [_practitioner(m["id"], m["display_name"]) for m in members]
    )
    label = f"Agenda de {name}" if kind == "pro" else f"Agenda de l'équipe « {name} »"
    resource: dict[str, Any] = {
        "resourceType": "Schedule",
        "id": schedule_id(kind, structure["id"], owner_id),
        "meta": {"profile": [PROFILES["Schedule"]]},
        "active": True,
        "actor": actors,
        "planningHorizon": {"start": instant(horizon[0]), "end": instant(horizon[1])},
        "comment": f"{label} — {structure['name']}",
    }
    if not actors:  # R4: actor 1..*: an empty team is not a conformant Schedule
        resource.pop("meta")
    return resource


def slot(schedule_ref: str, found: dict, minutes: int) -> dict:
    start = datetime.fromisoformat(found["start"])
    user_id = found["professionals"][0]["id"]
    return {
        "resourceType": "Slot",
        "id": slot_id(schedule_ref, start, minutes, user_id),
        "meta": {"profile": [PROFILES["Slot"]]},
        "schedule": {"reference": f"Schedule/{schedule_ref}"},
        "status": "free",
        "start": instant(start),
        "end": instant(start + timedelta(minutes=minutes)),
        "comment": f"Libre : {found['professionals'][0]['display_name']}",
    }


def appointment(data: dict) -> dict:
    """An appointment as :func:`virage.agenda.service.get` returned it to the caller."""
    person = data.get("person")
    description = data["kind_label"] if person else data["title"]
    participants = [
        {
            "actor": _practitioner(p["id"], p["display_name"]),
            "required": "required",
            "status": "accepted",
        }
        for p in data["professionals"]
    ]
    if person:
        actor: dict[str, Any] = {"reference": f"Patient/{person['id']}", "type": "Patient"}
        actor["display"] = person["display"]  # full name only with the identity right
        participants.append({"actor": actor, "required": "required", "status": "accepted"})
    status = STATUS_TO_FHIR.get(data["status"], "booked")
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": str(data["id"]),
        "meta": {"profile": [PROFILES["Appointment"]], "lastUpdated": instant(data["updated_at"])},
        "status": status,
        "appointmentType": {
            "coding": [{"system": KIND_SYSTEM, "code": data["kind"], "display": data["kind_label"]}]
        },
        "description": description,
        "start": instant(data["start"]),
        "end": instant(data["end"]),
        "created": instant(data["created_at"]),
        "participant": participants,
    }
    if status == "cancelled" and data.get("cancel_reason"):
        resource["cancelationReason"] = {"text": data["cancel_reason"]}
    return resource


def bundle(resources: list[dict], base: str, total: int | None = None) -> dict:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources) if total is None else total,
        "entry": [
            {
                "fullUrl": f"{base}/{r['resourceType']}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }

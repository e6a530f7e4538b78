"""The entourage in a person's FHIR R4 file (hooks ``dossier_fhir_resources`` and
``dossier_fhir_import`` of :mod:`virage.dossier`).

- trusted person, relatives, legal protection → ``RelatedPerson``;
- allergies as declared → ``AllergyIntolerance``;
- treatments as declared → ``MedicationStatement`` (never a prescription);
- advance directives (whether they exist, where they are kept) → ``Consent`` (scope ``adr``,
  category ``acd``).

Every resource carries the extension ``urn:virage:entourage`` (kind, relation, what a relative
may know, the measure or the answer, the source): the import reads it back exactly. Resources
without it (written by other software) are left aside.
"""

from __future__ import annotations

from typing import Any

from virage.accounts.context import AccessContext
from virage.db import transaction
from virage.entourage import storage
from virage.entourage.kinds import HEALTH_KINDS, KINDS, SOCIAL_KINDS
from virage.entourage.models import validate_entry
from virage.errors import InvalidInput

EXTENSION = "urn:virage:entourage"
FIELDS = frozenset(storage.FIELDS)
RESOURCE_TYPES = ("RelatedPerson", "AllergyIntolerance", "MedicationStatement", "Consent")
#: Entries taken from one imported file, at most.
MAX_IMPORTED = storage.MAX_PER_PERSON


def _extension(row: dict) -> dict:
    parts = [
        {"url": key, "valueString": str(row[key])}
        for key in ("kind", "relation", "may_know", "detail", "extra", "source")
        if row.get(key)
    ]
    return {"url": EXTENSION, "extension": parts}


def _resource(row: dict, patient: dict) -> dict[str, Any]:
    kind, rid = row["kind"], f"entourage-{row['id']}"
    day = row.get("declared_on")
    common = {"id": rid, "extension": [_extension(row)]}
    if kind in SOCIAL_KINDS:
        res: dict[str, Any] = {
            "resourceType": "RelatedPerson",
            **common,
            "patient": patient,
            "relationship": [
                {"coding": [{"system": EXTENSION, "code": kind}], "text": KINDS[kind].label}
            ],
            "name": [{"text": row["name"]}],
        }
        if row.get("phone"):
            res["telecom"] = [{"system": "phone", "value": row["phone"]}]
        if day:
            res["period"] = {"start": day}
        return res
    if kind == "allergy":
        res = {
            "resourceType": "AllergyIntolerance",
            **common,
            "patient": patient,
            "code": {"text": row["detail"]},
        }
        if row.get("extra"):
            res["reaction"] = [{"manifestation": [{"text": row["extra"]}]}]
        if day:
            res["recordedDate"] = day
        return res
    if kind == "treatment":
        res = {
            "resourceType": "MedicationStatement",
            **common,
            "status": "active",
            "subject": patient,
            "medicationCodeableConcept": {"text": row["detail"]},
        }
        if row.get("extra"):
            res["dosage"] = [{"text": row["extra"]}]
        if day:
            res["dateAsserted"] = day
        return res
    res = {  # advance directives
        "resourceType": "Consent",
        **common,
        "status": "active",
        "scope": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "adr"}
            ]
        },
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/consentcategorycodes",
                        "code": "acd",
                    }
                ]
            }
        ],
        "patient": patient,
        "policyRule": {"text": "Directives anticipées (code de la santé publique, L1111-11)"},
    }
    if day:
        res["dateTime"] = day
    return res


def resources(access: AccessContext, person_id: int) -> list[dict]:
    """The person's entourage as FHIR resources, as the actor may read it (audited)."""
    _, ref = access.load_person(person_id)
    kinds: tuple[str, ...] = ()
    if access.allowed("persons.identity.read", person=ref):
        access.require("persons.identity.read", person_id=person_id, action="entourage.read")
        kinds += SOCIAL_KINDS
    if access.allowed("persons.health.read", person=ref):
        access.require("persons.health.read", person_id=person_id, action="entourage.health.read")
        kinds += HEALTH_KINDS
    patient = {"reference": f"Patient/{person_id}"}
    return [_resource(row, patient) for row in storage.entries(access.db, person_id, kinds)]


def _values(resource: dict) -> dict[str, Any] | None:
    ext = next(
        (
            e
            for e in resource.get("extension") or []
            if isinstance(e, dict) and e.get("url") == EXTENSION
        ),
        None,
    )
    if ext is None:
        return None
    values: dict[str, Any] = {
        str(p.get("url")): p.get("valueString")
        for p in (ext.get("extension") or [])[:10]
        if isinstance(p, dict)
    }
    rtype = resource["resourceType"]
    if rtype == "RelatedPerson":
        values["name"] = ((resource.get("name") or [{}])[0] or {}).get("text") or ""
        values["phone"] = ((resource.get("telecom") or [{}])[0] or {}).get("value") or ""
        values["declared_on"] = (resource.get("period") or {}).get("start")
    elif rtype == "AllergyIntolerance":
        values["declared_on"] = resource.get("recordedDate")
    elif rtype == "MedicationStatement":
        values["declared_on"] = resource.get("dateAsserted")
    else:
        values["declared_on"] = resource.get("dateTime")
    return values


def import_resources(access: AccessContext, person_id: int, resources: list[dict]) -> int:
    """Recreate the entries of an imported file for the person just created; how many."""
    mine = [r for r in resources if r.get("resourceType") in RESOURCE_TYPES]
    if len(mine) > MAX_IMPORTED:
        raise InvalidInput(f"Plus de {MAX_IMPORTED} mentions d'entourage pour une personne.")
    person, _ = access.load_person(person_id)
    actor = access.require_login()
    count = 0
    with transaction(access.db):
        for resource in mine:
            values = _values(resource)
            if values is None:
                continue
            values = {k: v for k, v in values.items() if k in FIELDS and v not in (None, "")}
            entry = validate_entry(values)
            storage.add(
                access.db,
                person["structure_id"],
                person_id,
                entry.model_dump(mode="json"),
                actor.user_id,
                f"import ({actor.label})",
            )
            count += 1
        if count:
            access.audit(
                "entourage.imported",
                structure_id=person["structure_id"],
                person_id=person_id,
                details={"mentions": count},
            )
    return count

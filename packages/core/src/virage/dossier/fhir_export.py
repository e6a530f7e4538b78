"""A person's file, or a whole structure's files, as a FHIR R4 Bundle.

Shaped after the ANS guide « Transfert de données DUI » (TDDUI) where it fits: a ``Patient``
with her INS (NIR, OID ``1.2.250.1.213.1.4.8``), an ``Encounter`` for the stay, the ``CareTeam``,
one ``CarePlan`` per version of the support plan with a ``Goal`` per objective, and one
``QuestionnaireResponse`` per assessment. Other domains add theirs (hook
``dossier_fhir_resources``). The tests validate every resource with ``fhir.resources`` (R4B
models) and read it back with :mod:`virage.dossier.fhir_import`.

Mapping of Virage's fields (read back exactly by the import):

- review date of a plan → ``CarePlan.period.end``; version → ``CarePlan.identifier``;
  superseded version → ``status = "revoked"``, current → ``"active"``;
- participation → extension ``PARTICIPATION`` (``how`` code, ``date``, ``who``);
- objective → ``Goal.description.text`` (the person's words), « soins » → category
  ``nursing``; actions and who does what → ``CarePlan.activity.detail`` (``description``,
  ``performer.display``) pointing to its goal;
- assessment → ``questionnaire`` ``urn:virage:questionnaire:<code>``, ``authored`` (date),
  ``author.display`` (who filled it), ``source`` (``Patient``, or ``RelatedPerson`` /
  ``Practitioner`` by ``type`` and ``display``), one item per answer (``valueString``).
"""

from __future__ import annotations

from typing import Any

from virage.accounts import persons
from virage.accounts.context import AccessContext
from virage.db import utcnow_iso
from virage.dossier import storage
from virage.errors import InvalidInput

INS_NIR_OID = "1.2.250.1.213.1.4.8"
VIRAGE = "https://virage.numerique-social.fr/fhir"
PARTICIPATION = f"{VIRAGE}/StructureDefinition/participation"
PLAN_VERSION = f"{VIRAGE}/plan-version"
QUESTIONNAIRE = "urn:virage:questionnaire:"
GOAL_CATEGORY = "http://terminology.hl7.org/CodeSystem/goal-category"
SOURCES = {"personne": "Patient", "proche": "RelatedPerson", "professionnel": "Practitioner"}
MAX_STRUCTURE_PERSONS = 2000


def _patient(person: dict) -> dict:
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(person["id"]),
        "name": [
            {
                "use": "official",
                "family": person.get("birth_name") or person["family_name"],
                "given": (person.get("given_names") or "").split() or None,
            },
        ],
    }
    if person.get("birth_name") and person["birth_name"] != person["family_name"]:
        patient["name"].append({"use": "usual", "family": person["family_name"]})
    patient["name"] = [{k: v for k, v in n.items() if v} for n in patient["name"]]
    if person.get("ins_nir"):
        patient["identifier"] = [
            {
                "use": "official",
                "type": {
                    "coding": [
                        {
                            "system": "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203",
                            "code": "INS-NIR",
                        }
                    ]
                },
                "system": f"urn:oid:{person.get('ins_oid') or INS_NIR_OID}",
                "value": person["ins_nir"],
            }
        ]
    if person.get("birth_date"):
        patient["birthDate"] = person["birth_date"]
    sex = (person.get("sex") or "").upper()
    if sex in ("F", "M"):
        patient["gender"] = {"F": "female", "M": "male"}[sex]
    if person.get("phone"):
        patient["telecom"] = [{"system": "phone", "value": person["phone"]}]
    address = {
        k: v
        for k, v in {
            "line": [person["address"]] if person.get("address") else None,
            "postalCode": person.get("postcode"),
            "city": person.get("city"),
        }.items()
        if v
    }
    if address:
        patient["address"] = [address]
    patient["active"] = person.get("status", "active") == "active"
    return patient


def _patient_ref(person_id: int) -> dict:
    return {"reference": f"Patient/{person_id}"}


def _encounter(person: dict) -> dict:
    period = {"start": person["created_at"]}
    if person.get("closed_at"):
        period["end"] = person["closed_at"]
    return {
        "resourceType": "Encounter",
        "id": f"sejour-{person['id']}",
        "status": "finished" if person.get("status") == "closed" else "in-progress",
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "HH",
            "display": "home health",
        },
        "subject": _patient_ref(person["id"]),
        "period": period,
    }


def _care_team(person_id: int, team: list[dict]) -> dict:
    return {
        "resourceType": "CareTeam",
        "id": f"equipe-{person_id}",
        "status": "active",
        "subject": _patient_ref(person_id),
        "participant": [
            {"member": {"display": m.get("display_name") or m.get("username")}} for m in team
        ]
        or None,
    }


def _plan_resources(person_id: int, plan: dict, objectives: list[dict]) -> list[dict]:
    goals = []
    activities = []
    for o in objectives:
        goal_id = f"objectif-{o['id']}"
        goal: dict[str, Any] = {
            "resourceType": "Goal",
            "id": goal_id,
            "lifecycleStatus": "active" if plan["status"] == "current" else "completed",
            "description": {"text": o["words"]},
            "subject": _patient_ref(person_id),
        }
        if o["care"]:
            goal["category"] = [{"coding": [{"system": GOAL_CATEGORY, "code": "nursing"}]}]
        goals.append(goal)
        detail: dict[str, Any] = {
            "status": "in-progress" if plan["status"] == "current" else "completed",
            "goal": [{"reference": f"Goal/{goal_id}"}],
        }
        if o["actions"]:
            detail["description"] = o["actions"]
        if o["who"]:
            detail["performer"] = [{"display": o["who"]}]
        activities.append({"detail": detail})
    participation = [
        {"url": "how", "valueCode": plan["agreed_how"]} if plan["agreed_how"] else None,
        {"url": "date", "valueDate": plan["agreed_on"]} if plan["agreed_on"] else None,
        {"url": "who", "valueString": plan["agreed_by"]} if plan["agreed_by"] else None,
    ]
    care_plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": f"projet-{plan['id']}",
        "identifier": [{"system": PLAN_VERSION, "value": str(plan["version"])}],
        "status": "active" if plan["status"] == "current" else "revoked",
        "intent": "plan",
        "title": f"Projet personnalisé, version {plan['version']}",
        "subject": _patient_ref(person_id),
        "period": {"end": plan["review_on"]},
        "created": plan["created_at"],
        "author": {"display": plan["author_label"]},
        "goal": [{"reference": f"Goal/{g['id']}"} for g in goals] or None,
        "activity": activities or None,
    }
    kept = [e for e in participation if e]
    if kept:
        care_plan["extension"] = [{"url": PARTICIPATION, "extension": kept}]
    return [{k: v for k, v in care_plan.items() if v is not None}, *goals]


def _response(person_id: int, row: dict) -> dict:
    source: dict[str, Any] = {"type": SOURCES[row["respondent"]]}
    if row["respondent"] == "personne":
        source["reference"] = f"Patient/{person_id}"
    if row["respondent_name"]:
        source["display"] = row["respondent_name"]
    return {
        "resourceType": "QuestionnaireResponse",
        "id": f"evaluation-{row['id']}",
        "questionnaire": f"{QUESTIONNAIRE}{row['questionnaire']}",
        "status": "completed",
        "subject": _patient_ref(person_id),
        "authored": row["answered_on"],
        "author": {"display": row["filled_by_label"]},
        "source": source,
        "item": [
            {"linkId": code, "answer": [{"valueString": str(value)}]}
            for code, value in row["responses"].items()
        ]
        or None,
    }


def person_resources(access: AccessContext, person_id: int) -> list[dict]:
    """Every resource of one person's file (the caller has checked ``dossier.export``)."""
    view = persons.view(access, person_id)
    person = view["person"]
    if person.get("health_notes") is None:
        raise InvalidInput("L'export complet du dossier demande l'accès aux informations de santé.")
    out = [_patient(person), _encounter(person), _care_team(person_id, view["care_team"])]
    out[-1] = {k: v for k, v in out[-1].items() if v is not None}
    for plan in reversed(storage.plans(access.db, person_id)):
        out += _plan_resources(person_id, plan, storage.objectives(access.db, plan["id"]))
    for row in reversed(storage.assessments(access.db, person_id, limit=100_000)):
        out.append({k: v for k, v in _response(person_id, row).items() if v is not None})
    if access.plugins is not None:
        for extra in access.plugins.call_flat(
            "dossier_fhir_resources", access=access, person_id=person_id
        ):
            if isinstance(extra, dict) and extra.get("resourceType"):
                out.append(extra)
    return out


def bundle(resources: list[dict]) -> dict:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": utcnow_iso(),
        "entry": [
            {"fullUrl": f"urn:virage:{r['resourceType']}/{r['id']}", "resource": r}
            for r in resources
        ],
    }


def export_person(access: AccessContext, person_id: int) -> dict:
    """A person's whole file (audited)."""
    access.require("dossier.export", person_id=person_id, action="dossier.export")
    return bundle(person_resources(access, person_id))


def export_structure(access: AccessContext, structure_id: int) -> dict:
    """Every file of a structure, closed ones included (audited once, with the count)."""
    access.require(
        "dossier.export.structure", structure_id=structure_id, action="dossier.export.structure"
    )
    rows = persons.list_for(access, structure_id, status=None)[:MAX_STRUCTURE_PERSONS]
    resources: list[dict] = []
    for row in rows:
        access.require("dossier.export", person_id=row["id"], action="dossier.export")
        resources += person_resources(access, row["id"])
    return bundle(resources)

"""Import a FHIR R4 Bundle exported by :mod:`virage.dossier.fhir_export` (this instance or
another): each ``Patient`` becomes a new person of the importing structure, with her plans (every
version, in order) and assessments; other domains take back their part (hook
``dossier_fhir_import``). All or nothing: one transaction, a French 4xx on the first problem.
"""

from __future__ import annotations

import json
from typing import Any

from virage.accounts import persons
from virage.accounts.context import AccessContext
from virage.db import transaction, utcnow_iso
from virage.dossier import service, storage
from virage.dossier.fhir_export import (
    GOAL_CATEGORY,
    INS_NIR_OID,
    PARTICIPATION,
    QUESTIONNAIRE,
    SOURCES,
)
from virage.errors import InvalidInput

MAX_BYTES = 20 * 1024 * 1024
MAX_RESOURCES = 20_000
MAX_PATIENTS = 2000
_RESPONDENT = {v: k for k, v in SOURCES.items()}


def parse(raw: bytes | str) -> dict:
    """The bundle read from a file or a request body, bounded."""
    if len(raw) > MAX_BYTES:
        raise InvalidInput(
            f"Le fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo : découpez l'export."
        )
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(
            "Le fichier n'est pas un JSON lisible (un Bundle FHIR est attendu)."
        ) from None
    return data


def _resources(data: Any) -> list[dict]:
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise InvalidInput("Un Bundle FHIR est attendu (resourceType « Bundle »).")
    entries = data.get("entry") or []
    if not isinstance(entries, list):
        raise InvalidInput("Le Bundle n'a pas de liste d'entrées lisible.")
    if len(entries) > MAX_RESOURCES:
        raise InvalidInput(
            f"Le Bundle compte plus de {MAX_RESOURCES} ressources : découpez l'export."
        )
    out = []
    for entry in entries:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            raise InvalidInput("Une entrée du Bundle n'a pas de ressource FHIR.")
        out.append(resource)
    return out


def _subject(resource: dict) -> str | None:
    for key in ("subject", "patient"):
        ref = resource.get(key)
        if isinstance(ref, dict) and str(ref.get("reference", "")).startswith("Patient/"):
            return ref["reference"].split("/", 1)[1]
    return None


def _person_data(patient: dict) -> dict[str, Any]:
    names = patient.get("name") or []
    official = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    usual = next((n for n in names if n.get("use") == "usual"), None)
    if not official.get("family"):
        raise InvalidInput("Un Patient du Bundle n'a pas de nom de famille.")
    data: dict[str, Any] = {
        "family_name": (usual or official)["family"],
        "birth_name": official["family"] if usual else None,
        "given_names": " ".join(official.get("given") or []),
        "birth_date": patient.get("birthDate"),
        "sex": {"female": "F", "male": "M"}.get(patient.get("gender") or ""),
    }
    for identifier in patient.get("identifier") or []:
        system = str(identifier.get("system") or "")
        if system.startswith("urn:oid:1.2.250.1.213.1.4."):
            data["ins_nir"] = identifier.get("value")
            data["ins_oid"] = system.removeprefix("urn:oid:") or INS_NIR_OID
    for telecom in patient.get("telecom") or []:
        if telecom.get("system") == "phone":
            data["phone"] = telecom.get("value")
    address = (patient.get("address") or [{}])[0]
    data["address"] = (address.get("line") or [None])[0]
    data["postcode"] = address.get("postalCode")
    data["city"] = address.get("city")
    return {k: v for k, v in data.items() if v is not None}


def _plans(resources: list[dict]) -> list[tuple[dict, list[dict]]]:
    goals = {g.get("id"): g for g in resources if g["resourceType"] == "Goal"}
    plans = [r for r in resources if r["resourceType"] == "CarePlan"]
    plans.sort(key=lambda p: int((p.get("identifier") or [{}])[0].get("value") or 0))
    out = []
    for plan in plans:
        items = []
        for activity in plan.get("activity") or []:
            detail = activity.get("detail") or {}
            goal_ref = (detail.get("goal") or [{}])[0].get("reference", "")
            goal = goals.get(goal_ref.removeprefix("Goal/"))
            if goal is None:
                raise InvalidInput("Une activité du projet renvoie à un objectif absent du Bundle.")
            care = any(
                c.get("system") == GOAL_CATEGORY and c.get("code") == "nursing"
                for cat in goal.get("category") or []
                for c in cat.get("coding") or []
            )
            items.append(
                {
                    "words": (goal.get("description") or {}).get("text") or "",
                    "actions": detail.get("description") or "",
                    "who": ((detail.get("performer") or [{}])[0]).get("display") or "",
                    "care": care,
                }
            )
        out.append((plan, items))
    return out


def _participation(plan: dict) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for ext in plan.get("extension") or []:
        if ext.get("url") == PARTICIPATION:
            for sub in ext.get("extension") or []:
                value = sub.get("valueCode") or sub.get("valueDate") or sub.get("valueString")
                found[sub.get("url")] = value
    return found


def _import_person(
    access: AccessContext, structure_id: int, patient: dict, mine: list[dict]
) -> int:
    person_id = persons.create(access, structure_id, _person_data(patient))
    known = service.questionnaires(access)
    for plan, items in _plans(mine):
        part = _participation(plan)
        how = part.get("how") or ""
        values = {
            "person_id": person_id,
            "structure_id": structure_id,
            "review_on": service._day((plan.get("period") or {}).get("end"), "la date de révision"),
            "agreed_on": service._day(part.get("date"), "la date de l'accord", required=False),
            "agreed_how": how if how in service.AGREED_HOW else "",
            "agreed_by": service._text(part.get("who"), "qui a donné son accord", limit=200),
            "author_label": service._text(
                (plan.get("author") or {}).get("display") or "import", "l'auteur", limit=200
            ),
        }
        storage.insert_plan(access.db, values, items, plan.get("created") or utcnow_iso())
    for response in (r for r in mine if r["resourceType"] == "QuestionnaireResponse"):
        code = str(response.get("questionnaire") or "").removeprefix(QUESTIONNAIRE)
        answers = {
            item.get("linkId"): (item.get("answer") or [{}])[0].get("valueString")
            for item in response.get("item") or []
        }
        questionnaire = known.get(code)
        kept = questionnaire.check(answers) if questionnaire else answers
        source = response.get("source") or {}
        storage.insert_assessment(
            access.db,
            {
                "person_id": person_id,
                "structure_id": structure_id,
                "questionnaire": code[:60],
                "answered_on": service._day(response.get("authored"), "la date de l'évaluation"),
                "respondent": _RESPONDENT.get(source.get("type"), "professionnel"),
                "respondent_name": str(source.get("display") or "")[:200],
                "filled_by_label": str((response.get("author") or {}).get("display") or "import")[
                    :200
                ],
                "responses": kept,
                "result": questionnaire.result(kept) if questionnaire else None,
                "created_at": utcnow_iso(),
            },
        )
    if access.plugins is not None:
        access.plugins.call(
            "dossier_fhir_import", access=access, person_id=person_id, resources=mine
        )
    return person_id


def import_bundle(access: AccessContext, structure_id: int, data: Any) -> list[int]:
    """Create the bundle's persons in ``structure_id``; their new ids, in the bundle's order."""
    access.require("dossier.import", structure_id=structure_id, action="dossier.import")
    resources = _resources(data)
    patients = [r for r in resources if r["resourceType"] == "Patient"]
    if not patients:
        raise InvalidInput("Le Bundle ne contient aucun Patient : rien à importer.")
    if len(patients) > MAX_PATIENTS:
        raise InvalidInput(
            f"Le Bundle compte plus de {MAX_PATIENTS} personnes : découpez l'export."
        )
    by_patient: dict[str, list[dict]] = {str(p.get("id")): [] for p in patients}
    for resource in resources:
        subject = _subject(resource)
        if subject in by_patient:
            by_patient[subject].append(resource)
    created = []
    with transaction(access.db):
        for patient in patients:
            created.append(
                _import_person(access, structure_id, patient, by_patient[str(patient.get("id"))])
            )
        access.audit(
            "dossier.import",
            structure_id=structure_id,
            details={"personnes": len(created), "ressources": len(resources)},
        )
    return created

"""Export of the directory's correction reports as anomaly ``Task`` resources shaped like the ROR
guide's (``ansforge/IG-fhir-repertoire-offre-ressources-sante``, ``input/fsh/profiles/RORTask.fsh``
and ``examples/RORTaskExemple.fsh``): a network sends them to the regional directory (ROR) or
to the registry, which alone can correct the registry data.

Shape (not a conformance claim: no ``meta.profile``; the ROR's ``requester``/``owner`` are ROR
organisations, which Virage is not): ``status`` requested, ``intent`` order, ``businessStatus``
TRE_R352 ``02`` « À traiter », ``reasonCode`` TRE_R349 ``COR`` « Correction », ``code`` TRE_R350
``06`` « Exactitude », ``focus`` the entry by its national identifier (FINESS or RPPS, systems of
FR Core), ``input`` slices ``pathElementError`` (FHIRPath), ``errorValue``, ``proposedValue``,
``systemRequester`` (« Virage »), ``authoredOn``, ``lastModified``, ``description``.
"""

from __future__ import annotations

from typing import Any

from virage.directory import fhir
from virage.directory.identifiers import FINESS_SYSTEM, RPPS_SYSTEM

INPUT_SYSTEM = "https://interop.esante.gouv.fr/ig/fhir/ror/CodeSystem/input-task-ror-codesystem"
R352 = "https://mos.esante.gouv.fr/NOS/TRE_R352-StatutMetierAnomalie/FHIR/TRE-R352-StatutMetierAnomalie"
R349 = "https://mos.esante.gouv.fr/NOS/TRE_R349-ActionAnomalie/FHIR/TRE-R349-ActionAnomalie"
R350 = "https://mos.esante.gouv.fr/NOS/TRE_R350-ThematiqueAnomalie/FHIR/TRE-R350-ThematiqueAnomalie"

#: Reported field → FHIRPath of the element in error (Organization / Practitioner of the guides).
_PATHS = {
    ("structure", "phone"): "Organization.telecom.where(system='phone')",
    ("structure", "address"): "Organization.address",
    ("structure", "category"): (
        "Organization.type.coding.where(system='https://mos.esante.gouv.fr/NOS/"
        "TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement')"
    ),
    ("structure", "closed"): "Organization.active",
    ("structure", "name"): "Organization.name",
    ("structure", "email"): "Organization.telecom.where(system='email')",
    ("professional", "phone"): "Practitioner.telecom.where(system='phone')",
    ("professional", "address"): "Practitioner.address",
    ("professional", "category"): "Practitioner.qualification",
    ("professional", "closed"): "Practitioner.active",
    ("professional", "name"): "Practitioner.name",
    ("professional", "email"): "Practitioner.telecom.where(system='email')",
}


def _input(code: str, **value: Any) -> dict[str, Any]:
    return {"type": {"coding": [{"system": INPUT_SYSTEM, "code": code}]}, **value}


def _date(stamp: str | None) -> str | None:
    return stamp.replace("+00:00", "Z") if stamp else None


def task(report: dict[str, Any]) -> dict[str, Any]:
    """One anomaly Task for one report (a row decorated by ``corrections.decorate``)."""
    structure = report["target_type"] == "structure"
    focus: dict[str, Any] = {"type": "Organization" if structure else "Practitioner"}
    if structure and report.get("finess"):
        focus["identifier"] = {"system": FINESS_SYSTEM, "value": report["finess"]}
    elif not structure and report.get("rpps"):
        focus["identifier"] = {"system": RPPS_SYSTEM, "value": report["rpps"]}
    focus["display"] = report["entry_name"]
    inputs = [_input("systemRequester", valueString="Virage")]
    path = _PATHS.get((report["target_type"], report["field"]))
    if path:
        inputs.append(
            _input(
                "pathElementError",
                valueExpression={"language": "text/fhirpath", "expression": path},
            )
        )
    if report.get("current_value"):
        inputs.append(_input("errorValue", valueString=report["current_value"]))
    if report.get("proposed"):
        inputs.append(_input("proposedValue", valueString=report["proposed"]))
    description = f"{report['field_label']} : erreur signalée par un utilisateur du réseau"
    if report.get("comment"):
        description += f" : {report['comment']}"
    if report.get("review_note"):
        description += f" (avis du réseau : {report['review_note']})"
    resource: dict[str, Any] = {
        "resourceType": "Task",
        "id": f"signalement-{report['id']}",
        "identifier": [{"system": "urn:virage:annuaire:signalement", "value": str(report["id"])}],
        "status": "requested",
        "businessStatus": {"coding": [{"system": R352, "code": "02", "display": "À traiter"}]},
        "intent": "order",
        "code": {"coding": [{"system": R350, "code": "06", "display": "Exactitude"}]},
        "description": description,
        "focus": focus,
        "authoredOn": _date(report["reported_at"]),
        "lastModified": _date(report.get("reviewed_at") or report["reported_at"]),
        "reasonCode": {"coding": [{"system": R349, "code": "COR", "display": "Correction"}]},
        "input": inputs,
    }
    return resource


def bundle(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """A ``collection`` Bundle of the reports' Tasks (to send as one file)."""
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": task(r)} for r in reports],
    }


MEDIA_TYPE = fhir.MEDIA_TYPE

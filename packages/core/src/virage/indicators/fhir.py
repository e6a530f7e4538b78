"""The SSIAD activity of a period as a FHIR R4 Bundle, shaped after the ANS guide « Médicosocial —
Transfert de données DUI » (TDDUI, ``https://interop.esante.gouv.fr/ig/fhir/tddui``), the flow
that feeds the CNSA's steering system.

TDDUI carries individual records (Patient, Encounter « séjour »…); the sas never lets a person
leave. So the Bundle keeps TDDUI's frame — a ``collection`` Bundle whose first entry is the
structure (``Organization`` identified by its FINESS number) — and carries the activity as
``MeasureReport`` resources of type ``summary``: one per indicator, one group per category, one
stratum per month; a hidden cell is a stratum without ``measureScore`` and with the extension-free
text « masqué ». No Patient, no Practitioner, no Encounter.
"""

from __future__ import annotations

import uuid

from virage.indicators.model import month_bounds

FINESS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.2"
MEASURE_BASE = "urn:virage:indicateur:"
_NS = uuid.UUID("6f1c2f7e-2b7c-4f0a-9a53-9a7b9c1d2e3f")


def _uuid(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NS, '/'.join(str(p) for p in parts))}"


def _quantity(value, unit: str) -> dict:
    return {"value": value, "unit": unit}


def bundle(content: dict) -> dict:
    structure = content["structure"]
    org_ref = _uuid("org", structure["id"], content["period"])
    organization = {
        "resourceType": "Organization",
        "name": structure["name"],
        "identifier": (
            [{"system": FINESS_SYSTEM, "value": structure["finess"]}] if structure["finess"] else []
        ),
        "type": [{"text": structure["kind"]}] if structure["kind"] else [],
    }
    if not organization["identifier"]:
        organization.pop("identifier")
    if not organization["type"]:
        organization.pop("type")
    start = month_bounds(content["months"][0])[0]
    end = month_bounds(content["months"][-1])[1]
    entries = [{"fullUrl": org_ref, "resource": organization}]
    for ind in content["indicators"]:
        groups = []
        for row in ind["rows"]:
            strata = []
            for month in content["months"]:
                value = row["values"].get(month)
                stratum: dict = {"value": {"text": month}}
                if value is None:
                    stratum["value"]["text"] = f"{month} (masqué)"
                else:
                    stratum["measureScore"] = _quantity(value, ind["unit"])
                strata.append(stratum)
            group: dict = {
                "code": {"text": row["category"] or ind["label"]},
                "stratifier": [{"code": [{"text": "mois"}], "stratum": strata}],
            }
            if ind["additive"] and row["total"] is not None:
                group["measureScore"] = _quantity(row["total"], ind["unit"])
            groups.append(group)
        report = {
            "resourceType": "MeasureReport",
            "status": "complete",
            "type": "summary",
            "measure": MEASURE_BASE + ind["key"],
            "reporter": {"reference": org_ref},
            "period": {"start": start, "end": end},
        }
        if groups:
            report["group"] = groups
        entries.append(
            {
                "fullUrl": _uuid("mr", structure["id"], content["period"], ind["key"]),
                "resource": report,
            }
        )
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "identifier": {
            "system": "urn:ietf:rfc:3986",
            "value": _uuid("bundle", structure["id"], content["period"]),
        },
        "entry": entries,
    }

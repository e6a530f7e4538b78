"""FHIR R4 export of the directory, with the identifiers of the French Annuaire Santé.

- ``Organization`` for every structure: FINESS (system ``http://finess.sante.gouv.fr``, type
  FINEG for an establishment, FINEJ for a legal entity), IDNST (``1`` + FINESS, system
  ``urn:oid:1.2.250.1.71.4.2.2``), SIRET; category in the ANS nomenclature TRE_R66; an
  establishment is ``partOf`` its legal entity.
- ``HealthcareService`` for every establishment (what it offers, its intervention zone).
- ``Practitioner``: IDNPS (``8`` + RPPS or ``0`` + ADELI, system ``urn:oid:1.2.250.1.71.4.2.1``)
  and RPPS; profession in TRE_G15; secure messaging address (MSSanté).
- ``PractitionerRole`` for every role of a professional in a structure.

Identifier types use the FR Core code system ``fr-core-cs-v2-0203``. The resources are plain
dicts (valid R4 JSON; the tests validate them with ``fhir.resources``).
"""

from __future__ import annotations

from typing import Any

from virage.directory import categories

FINESS_SYSTEM = "http://finess.sante.gouv.fr"
IDNST_SYSTEM = "urn:oid:1.2.250.1.71.4.2.2"
IDNPS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1"
RPPS_SYSTEM = "http://rpps.fr"
SIRET_SYSTEM = "https://sirene.fr"
ID_TYPE_SYSTEM = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
ORG_TYPE_SYSTEM = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-3307"
EMAIL_TYPE_URL = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-email-type"
EMAIL_TYPE_SYSTEM = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-email-type"
GEOLOCATION_URL = "http://hl7.org/fhir/StructureDefinition/geolocation"
MEDIA_TYPE = "application/fhir+json"


def _identifier(type_code: str, system: str, value: str) -> dict[str, Any]:
    return {
        "use": "official",
        "type": {"coding": [{"system": ID_TYPE_SYSTEM, "code": type_code}]},
        "system": system,
        "value": value,
    }


def _meta(row: dict) -> dict[str, Any]:
    meta: dict[str, Any] = {"source": f"virage:{row.get('source', 'annuaire')}"}
    if row.get("updated_at"):
        meta["lastUpdated"] = row["updated_at"].replace("+00:00", "Z")
    return meta


def _telecom(phone=None, fax=None, email=None, mssante=None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if phone:
        out.append({"system": "phone", "value": phone, "use": "work"})
    if fax:
        out.append({"system": "fax", "value": fax, "use": "work"})
    if email:
        out.append({"system": "email", "value": email, "use": "work"})
    if mssante:
        out.append(
            {
                "system": "email",
                "value": mssante,
                "use": "work",
                "extension": [
                    {
                        "url": EMAIL_TYPE_URL,
                        "valueCoding": {
                            "system": EMAIL_TYPE_SYSTEM,
                            "code": "MSSANTE",
                            "display": "Messagerie sécurisée de santé",
                        },
                    }
                ],
            }
        )
    return out


def _address(row: dict) -> list[dict[str, Any]]:
    if not (row.get("address_line") or row.get("city") or row.get("postcode")):
        return []
    address: dict[str, Any] = {"use": "work", "type": "physical", "country": "FR"}
    lines = [x for x in (row.get("address_line"), row.get("address_extra")) if x]
    if lines:
        address["line"] = lines
    if row.get("city"):
        address["city"] = row["city"]
    if row.get("postcode"):
        address["postalCode"] = row["postcode"]
    if row.get("departement"):
        address["district"] = row["departement"]
    if row.get("lat") is not None and row.get("lon") is not None:
        address["extension"] = [
            {
                "url": GEOLOCATION_URL,
                "extension": [
                    {"url": "latitude", "valueDecimal": row["lat"]},
                    {"url": "longitude", "valueDecimal": row["lon"]},
                ],
            }
        ]
    return [address]


def _category(row: dict) -> dict[str, Any] | None:
    if not row.get("category_code"):
        return None
    coding = {"system": categories.CATEGORY_SYSTEM, "code": row["category_code"]}
    if row.get("category_label"):
        coding["display"] = row["category_label"]
    return {"coding": [coding], "text": row.get("category_label") or row["category_code"]}


def organization(row: dict) -> dict[str, Any]:
    """An ``Organization`` for a structure (row of ``directory_structures`` or its detail)."""
    establishment = row["kind"] == "ET"
    identifiers = []
    if row.get("finess"):
        identifiers.append(
            _identifier("FINEG" if establishment else "FINEJ", FINESS_SYSTEM, row["finess"])
        )
        identifiers.append(_identifier("IDNST", IDNST_SYSTEM, "1" + row["finess"]))
    if row.get("siret"):
        identifiers.append(_identifier("SIRET", SIRET_SYSTEM, row["siret"]))
    types = [
        {
            "coding": [
                {
                    "system": ORG_TYPE_SYSTEM,
                    "code": "GEOGRAPHICAL-ENTITY" if establishment else "LEGAL-ENTITY",
                    "display": "Entité géographique" if establishment else "Entité juridique",
                }
            ]
        }
    ]
    category = _category(row)
    if category:
        types.append(category)
    resource: dict[str, Any] = {
        "resourceType": "Organization",
        "id": str(row["id"]),
        "meta": _meta(row),
        "identifier": identifiers,
        "active": row["status"] == "open",
        "type": types,
        "name": row["name"],
    }
    if row.get("long_name") and row["long_name"] != row["name"]:
        resource["alias"] = [row["long_name"]]
    telecom = _telecom(row.get("phone"), row.get("fax"), row.get("email"))
    if telecom:
        resource["telecom"] = telecom
    address = _address(row)
    if address:
        resource["address"] = address
    if establishment and row.get("ej_finess"):
        part_of: dict[str, Any] = {
            "identifier": _identifier("FINEJ", FINESS_SYSTEM, row["ej_finess"])
        }
        legal = row.get("legal_entity")
        if legal:
            part_of["reference"] = f"Organization/{legal['id']}"
            part_of["display"] = legal["name"]
        resource["partOf"] = part_of
    return resource


def healthcare_service(row: dict) -> dict[str, Any]:
    """A ``HealthcareService`` for an establishment: what it offers and where."""
    resource: dict[str, Any] = {
        "resourceType": "HealthcareService",
        "id": str(row["id"]),
        "meta": _meta(row),
        "active": row["status"] == "open",
        "providedBy": {"reference": f"Organization/{row['id']}", "display": row["name"]},
        "name": row["name"],
    }
    if row.get("finess"):
        resource["identifier"] = [_identifier("FINEG", FINESS_SYSTEM, row["finess"])]
    category = _category(row)
    if category:
        resource["category"] = [category]
    telecom = _telecom(row.get("phone"), row.get("fax"), row.get("email"))
    if telecom:
        resource["telecom"] = telecom
    extra = row.get("extra") or {}
    if extra:
        resource["extraDetails"] = "\n".join(f"- **{k}** : {v}" for k, v in extra.items())
        zone = next((v for k, v in extra.items() if "zone" in k.lower()), None)
        if zone:
            resource["comment"] = f"Zone d'intervention : {zone}"
    return resource


def practitioner(row: dict) -> dict[str, Any]:
    """A ``Practitioner`` for a professional (row of ``directory_professionals`` or its detail)."""
    identifiers = []
    if row.get("idnps"):
        identifiers.append(_identifier("IDNPS", IDNPS_SYSTEM, row["idnps"]))
    if row.get("rpps"):
        identifiers.append(_identifier("RPPS", RPPS_SYSTEM, row["rpps"]))
    name: dict[str, Any] = {"use": "official", "family": row["family_name"]}
    if row.get("given_name"):
        name["given"] = [row["given_name"]]
    if row.get("civility"):
        name["prefix"] = [row["civility"]]
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": str(row["id"]),
        "meta": _meta(row),
        "identifier": identifiers,
        "active": row["status"] == "open",
        "name": [name],
    }
    telecom = _telecom(row.get("phone"), mssante=row.get("mssante"))
    if telecom:
        resource["telecom"] = telecom
    profession = _profession(row)
    if profession:
        resource["qualification"] = [{"code": profession}]
    return resource


def _profession(row: dict) -> dict[str, Any] | None:
    code, label = row.get("profession_code"), row.get("profession_label")
    if not (code or label):
        return None
    concept: dict[str, Any] = {"text": label or code}
    if code in categories.G15_CODES:
        coding = {"system": categories.PROFESSION_SYSTEM, "code": code}
        if label:
            coding["display"] = label
        concept["coding"] = [coding]
    return concept


def practitioner_role(professional: dict, role: dict) -> dict[str, Any]:
    """A ``PractitionerRole``: a professional's role in a structure."""
    resource: dict[str, Any] = {
        "resourceType": "PractitionerRole",
        "id": str(role["id"]),
        "active": professional["status"] == "open",
        "practitioner": {
            "reference": f"Practitioner/{professional['id']}",
            "display": " ".join(
                filter(None, [professional.get("given_name"), professional["family_name"]])
            ),
        },
    }
    if role.get("structure_id"):
        resource["organization"] = {
            "reference": f"Organization/{role['structure_id']}",
            "display": role.get("structure_name") or "",
        }
    elif role.get("finess"):
        resource["organization"] = {
            "identifier": _identifier("FINEG", FINESS_SYSTEM, role["finess"])
        }
    codes = []
    profession = _profession(professional)
    if profession:
        codes.append(profession)
    if role.get("function"):
        codes.append({"text": role["function"]})
    if codes:
        resource["code"] = codes
    specialties = [{"text": s["label"]} for s in professional.get("specialties") or []]
    if specialties:
        resource["specialty"] = specialties
    telecom = _telecom(role.get("phone"), mssante=role.get("mssante"))
    if telecom:
        resource["telecom"] = telecom
    return resource


def bundle(resources: list[dict[str, Any]], base: str) -> dict[str, Any]:
    """A ``searchset`` Bundle of resources."""
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [
            {
                "fullUrl": f"{base}/{r['resourceType']}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }

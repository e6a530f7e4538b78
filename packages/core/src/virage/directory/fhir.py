"""FHIR R4 export of the directory, per FR Core 2.2.0 and the ANS Annuaire Santé guide.

Which rule comes from which guide file is said in :mod:`virage.directory.identifiers` and beside
each function; the profiles claimed in ``meta.profile`` are those whose rules the conformance
tests (``tests/directory/test_fhir_conformance.py``) check on every resource:

- ``Organization`` for every structure — FR Core ``fr-core-organization`` and Annuaire Santé
  ``as-organization``: FINESS (system ``https://finess.esante.gouv.fr``, type FINEG for an
  establishment, FINEJ for a legal entity), idNatSt (``1`` + FINESS, ``urn:oid:1.2.250.1.71.4.2.2``),
  SIRET; ``type[organizationType]`` (GEOGRAPHICAL-ENTITY or LEGAL-ENTITY with the extension
  ``as-ext-organization-types``), ``type[categorieEtablissementRASS]`` (TRE_R66); an
  establishment is ``partOf`` its legal entity.
- ``HealthcareService`` for every establishment — FR Core ``fr-core-healthcare-service``.
- ``Practitioner`` — FR Core ``fr-core-practitioner`` and ``as-practitioner``: idNatPs (``8`` +
  RPPS or ``0`` + ADELI) and RPPS (``https://rpps.esante.gouv.fr``); profession (TRE_G15) as a
  qualification; the MSSanté address as ``AsMailboxMSSProfile`` defines it.
- ``PractitionerRole`` for every role of a professional in a structure — ``as-practitionerrole``.

The resources are plain dicts (valid R4 JSON; the tests validate them with ``fhir.resources``).
"""

from __future__ import annotations

from typing import Any

from virage.directory import categories
from virage.directory.identifiers import (
    EMAIL_TYPE_URL,
    FINESS_SYSTEM,
    ID_TYPE_SYSTEM,
    IDNPS_SYSTEM,
    IDNST_SYSTEM,
    MESSAGING_TYPE_SYSTEM,
    ORG_TYPE_SYSTEM,
    ORG_TYPES_EXTENSION,
    RPPS_SYSTEM,
    SIRET_SYSTEM,
)

GEOLOCATION_URL = "http://hl7.org/fhir/StructureDefinition/geolocation"
MEDIA_TYPE = "application/fhir+json"

_FR_CORE = "https://hl7.fr/ig/fhir/core/StructureDefinition/"
_AS = "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/"
#: Profiles claimed per resource type (canonical URLs of FR Core 2.2.0 and Annuaire Santé).
PROFILES: dict[str, list[str]] = {
    "Organization": [_FR_CORE + "fr-core-organization", _AS + "as-organization"],
    "HealthcareService": [_FR_CORE + "fr-core-healthcare-service"],
    "Practitioner": [_FR_CORE + "fr-core-practitioner", _AS + "as-practitioner"],
    "PractitionerRole": [_AS + "as-practitionerrole"],
}
#: FR Core HumanName: civility in ``prefix`` (JDV_J78, codes M, MME), title in ``suffix`` (J79).
_PREFIXES = {"M.": "M", "M": "M", "MME": "MME", "MME.": "MME"}
_SUFFIXES = {"DR": "DR", "DR.": "DR", "PR": "PR", "PR.": "PR"}


def _identifier(type_code: str, system: str, value: str) -> dict[str, Any]:
    return {
        "use": "official",
        "type": {"coding": [{"system": ID_TYPE_SYSTEM, "code": type_code}]},
        "system": system,
        "value": value,
    }


def _meta(row: dict, resource_type: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "source": f"virage:{row.get('source', 'annuaire')}",
        "profile": list(PROFILES[resource_type]),
    }
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
        # AsMailboxMSSProfile.fsh (Annuaire Santé): system = email, and the FR Core extension
        # fr-core-contact-point-email-type (1..1) coded MSSANTE in TRE_R256-TypeMessagerie.
        out.append(
            {
                "extension": [
                    {
                        "url": EMAIL_TYPE_URL,
                        "valueCoding": {"system": MESSAGING_TYPE_SYSTEM, "code": "MSSANTE"},
                    }
                ],
                "system": "email",
                "value": mssante,
                "use": "work",
            }
        )
    return out


def _address(row: dict) -> list[dict[str, Any]]:
    if not (row.get("address_line") or row.get("city") or row.get("postcode")):
        return []
    # FRCoreAddressProfile.fsh: country as ISO 3166 3-letter code (FRA), district = COG code.
    address: dict[str, Any] = {"use": "work", "type": "physical", "country": "FRA"}
    lines = [x for x in (row.get("address_line"), row.get("address_extra")) if x]
    if lines:
        address["line"] = lines
    if row.get("city"):
        address["city"] = row["city"]
    if row.get("postcode"):
        address["postalCode"] = row["postcode"]
    if row.get("commune_code"):
        address["district"] = row["commune_code"]
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
    # AsOrganizationProfile.fsh: type[organizationType], one coding of fr-core-cs-v2-3307 and
    # the extension as-ext-organization-types = organizationType (1..1).
    types = [
        {
            "extension": [{"url": ORG_TYPES_EXTENSION, "valueCode": "organizationType"}],
            "coding": [
                {
                    "system": ORG_TYPE_SYSTEM,
                    "code": "GEOGRAPHICAL-ENTITY" if establishment else "LEGAL-ENTITY",
                }
            ],
            "text": "Entité géographique" if establishment else "Entité juridique",
        }
    ]
    category = _category(row)
    if category:
        types.append(category)
    resource: dict[str, Any] = {
        "resourceType": "Organization",
        "id": str(row["id"]),
        "meta": _meta(row, "Organization"),
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
        "meta": _meta(row, "HealthcareService"),
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
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": str(row["id"]),
        "meta": _meta(row, "Practitioner"),
        "identifier": identifiers,
        "active": row["status"] == "open",
        "name": [_name(row)],
    }
    telecom = _telecom(row.get("phone"), mssante=row.get("mssante"))
    if telecom:
        resource["telecom"] = telecom
    qualifications = []
    profession = _profession(row)
    if profession:
        qualifications.append({"code": profession})
    # Specialties are known by their label only: text, in a qualification (PractitionerRole's
    # specialty has a required binding, which a text alone does not meet).
    for specialty in row.get("specialties") or []:
        if specialty.get("label"):
            qualifications.append({"code": {"text": specialty["label"]}})
    if qualifications:
        resource["qualification"] = qualifications
    return resource


def _name(row: dict) -> dict[str, Any]:
    """FRCoreHumanNameProfile.fsh: civility in prefix (..1, J78), title (Dr, Pr) in suffix (J79)."""
    name: dict[str, Any] = {"use": "official", "family": row["family_name"]}
    if row.get("given_name"):
        name["given"] = [row["given_name"]]
    civility = (row.get("civility") or "").strip().upper()
    if civility in _PREFIXES:
        name["prefix"] = [_PREFIXES[civility]]
    elif civility in _SUFFIXES:
        name["suffix"] = [_SUFFIXES[civility]]
    name["text"] = " ".join(
        filter(None, [row.get("civility"), row.get("given_name"), row["family_name"]])
    )
    return name


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
        "meta": {"profile": list(PROFILES["PractitionerRole"])},
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

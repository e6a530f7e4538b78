"""Rules of the profiles Virage claims, written from the guides' FSH sources (not from Virage).

Each rule cites its file. FR Core 2.2.0 (Interop-Sante/hl7.fhir.fr.core, input/fsh/…) and the
ANS Annuaire Santé guide 1.2.0-snapshot-2 (ansforge/IG-fhir-annuaire, input/fsh/…; it depends
on FR Core 2.2.0). ``violations(resource)`` lists what breaks them; an empty list means the
resource meets every rule checked here. Not checked: value-set membership of codes outside the
few lists below (the JDV_J… lists of the ANS are not vendored), and the EU base profiles of
Practitioner and PractitionerRole (hl7.fhir.eu.base), which were not read.
"""

from __future__ import annotations

import re
from typing import Any

FR_CORE = "https://hl7.fr/ig/fhir/core/StructureDefinition/"
AS = "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/"
CS_0203 = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
CS_3307 = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-3307"
EMAIL_TYPE = FR_CORE + "fr-core-contact-point-email-type"
R256 = "https://mos.esante.gouv.fr/NOS/TRE_R256-TypeMessagerie/FHIR/TRE-R256-TypeMessagerie"
# TRE_R256-TypeMessagerie codes (FR Core FRCoreValueSetEmailType: MSSANTE, APICRYPT, OSM, AUTRE).
R256_CODES = {"MSSANTE", "APICRYPT", "OSM", "AUTRE"}
ORG_TYPES_EXT = AS + "as-ext-organization-types"
# http://hl7.org/fhir/R4/valueset-identifier-use.html (required binding, FRCoreOrganizationProfile)
IDENTIFIER_USE = {"usual", "official", "temp", "secondary", "old"}
# http://hl7.org/fhir/R4/valueset-contact-point-system.html
CONTACT_SYSTEMS = {"phone", "fax", "email", "pager", "url", "sms", "other"}
R66 = "https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement"
G15 = "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante"

# Identifier slices: system → (allowed type codes in fr-core-cs-v2-0203, value pattern).
ORGANIZATION_SLICES = {
    # FRCoreOrganizationEtablissementProfile.fsh identifier[finess]: FINEJ | FINEG
    "https://finess.esante.gouv.fr": ({"FINEG", "FINEJ"}, r"[0-9][0-9AB][0-9]{7}"),
    # identifier[idNatSt]: use 1.. = official, type 1.. = IDNST, value 1..
    "urn:oid:1.2.250.1.71.4.2.2": ({"IDNST"}, r"1[0-9][0-9AB][0-9]{7}"),
    # identifier[siret] / [siren]: type SIRET | SIREN, system https://sirene.fr
    "https://sirene.fr": ({"SIRET", "SIREN"}, r"[0-9]{9}|[0-9]{14}"),
}
PRACTITIONER_SLICES = {
    # FRCorePractitionerProfile.fsh identifier[idNatPs]: type 1.. = IDNPS, system 1.., value 1..
    "urn:oid:1.2.250.1.71.4.2.1": ({"IDNPS"}, r"8[0-9]{11}|0[0-9]{9}"),
    # identifier[rpps]: type 1.. = RPPS, system https://rpps.esante.gouv.fr, value 1..
    "https://rpps.esante.gouv.fr": ({"RPPS"}, r"[0-9]{11}"),
}
#: Systems of the guides that replaced these; a resource must not carry the old ones.
OLD_SYSTEMS = {"http://finess.sante.gouv.fr", "http://rpps.fr"}


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _identifiers(res: dict, slices: dict, out: list[str]) -> None:
    for ident in res.get("identifier", []):
        system, value = ident.get("system"), ident.get("value")
        # FRCoreOrganizationProfile.fsh: identifier.system 1.., identifier.value 1..
        if not system or not value:
            out.append(f"identifier without system or value: {ident}")
            continue
        if system in OLD_SYSTEMS:
            out.append(f"identifier with a system the guides replaced: {system}")
        if ident.get("use") and ident["use"] not in IDENTIFIER_USE:
            out.append(f"identifier.use outside IdentifierUse: {ident['use']}")
        if system not in slices:
            continue
        codes, pattern = slices[system]
        coding = (ident.get("type") or {}).get("coding") or []
        if not any(c.get("system") == CS_0203 and c.get("code") in codes for c in coding):
            out.append(f"{system}: type must be {codes} in fr-core-cs-v2-0203, got {coding}")
        if not re.fullmatch(pattern, value):
            out.append(f"{system}: value {value!r} does not match {pattern}")
        if system == "urn:oid:1.2.250.1.71.4.2.2" and ident.get("use") != "official":
            out.append("idNatSt: use must be official")
        # Check digits: FINESS (9 digits, not Corsica 2A/2B) and RPPS (11 digits), Luhn.
        if system == "https://finess.esante.gouv.fr" and value.isdigit() and not luhn(value):
            out.append(f"FINESS {value}: wrong check digit")
        if system == "https://rpps.esante.gouv.fr" and not luhn(value):
            out.append(f"RPPS {value}: wrong check digit")


def _telecom(res: dict, out: list[str]) -> None:
    for cp in res.get("telecom", []):
        # FRCoreContactPointProfile.fsh: system 1.., value 1..
        if cp.get("system") not in CONTACT_SYSTEMS or not cp.get("value"):
            out.append(f"telecom without system or value: {cp}")
        marks = [e for e in cp.get("extension", []) if e.get("url") == EMAIL_TYPE]
        # FRCoreContactPointEmailTypeExtension: ..1, valueCoding from FRCoreValueSetEmailType
        if len(marks) > 1:
            out.append("fr-core-contact-point-email-type more than once")
        for mark in marks:
            coding = mark.get("valueCoding") or {}
            if coding.get("system") != R256 or coding.get("code") not in R256_CODES:
                out.append(f"email type outside TRE_R256-TypeMessagerie: {coding}")
            # AsMailboxMSSProfile.fsh: system = #email for a mailbox (the slice mailbox-mss).
            if cp.get("system") != "email":
                out.append("mailbox-mss: system must be email")
        unknown = [e["url"] for e in cp.get("extension", []) if "esante.gouv.fr" in e["url"]]
        unknown += [e["url"] for e in cp.get("extension", []) if "fr-core-email-type" in e["url"]]
        if unknown:
            out.append(f"telecom extension that no guide defines: {unknown}")


def _profiles(res: dict, expected: set[str], out: list[str]) -> None:
    claimed = set((res.get("meta") or {}).get("profile", []))
    if claimed != expected:
        out.append(f"meta.profile {sorted(claimed)} instead of {sorted(expected)}")


def _address(res: dict, out: list[str]) -> None:
    for address in res.get("address", []):
        # FRCoreAddressProfile.fsh: country « FRA for France »; district = COG code.
        if address.get("country") not in (None, "FRA"):
            out.append(f"address.country {address['country']!r} (FRA expected)")
        district = address.get("district")
        if district and not re.fullmatch(r"[0-9]{5}|2[AB][0-9]{3}", district):
            out.append(f"address.district {district!r} is not a COG commune code")


def organization(res: dict) -> list[str]:
    out: list[str] = []
    _profiles(res, {FR_CORE + "fr-core-organization", AS + "as-organization"}, out)
    _identifiers(res, ORGANIZATION_SLICES, out)
    _telecom(res, out)
    _address(res, out)
    org_types = [t for t in res.get("type", []) if _systems(t) & {CS_3307}]
    # AsOrganizationProfile.fsh type[organizationType] 0..1: coding 1..1 with a system, and the
    # extension as-ext-organization-types = #organizationType (1..1).
    if len(org_types) > 1:
        out.append("type[organizationType] more than once")
    for t in org_types:
        if len(t.get("coding", [])) != 1:
            out.append("type[organizationType]: coding 1..1")
        if t["coding"][0].get("code") not in {"GEOGRAPHICAL-ENTITY", "LEGAL-ENTITY"}:
            out.append(f"type[organizationType] code {t['coding'][0].get('code')}")
        marks = [e for e in t.get("extension", []) if e.get("url") == ORG_TYPES_EXT]
        if len(marks) != 1 or marks[0].get("valueCode") != "organizationType":
            out.append("type[organizationType] without as-ext-organization-types")
    for t in res.get("type", []):
        # FRCoreOrganizationProfile.fsh type[categorieEtablissementRASS]: coding 1..1, system 1..
        if _systems(t) & {R66} and (len(t["coding"]) != 1 or not t["coding"][0].get("code")):
            out.append("type[categorieEtablissementRASS]: one coding with a code")
    if not res.get("name"):
        out.append("name missing (MS in fr-core-organization-etablissement)")
    return out


def healthcare_service(res: dict) -> list[str]:
    out: list[str] = []
    _profiles(res, {FR_CORE + "fr-core-healthcare-service"}, out)
    _identifiers(res, ORGANIZATION_SLICES, out)
    _telecom(res, out)
    # FRCoreHealthcareServiceProfile.fsh: category ..1; providedBy only Reference(Organization).
    if len(res.get("category", [])) > 1:
        out.append("category ..1")
    provided = (res.get("providedBy") or {}).get("reference", "Organization/")
    if not provided.startswith("Organization/"):
        out.append(f"providedBy {provided}")
    return out


def practitioner(res: dict) -> list[str]:
    out: list[str] = []
    _profiles(res, {FR_CORE + "fr-core-practitioner", AS + "as-practitioner"}, out)
    _identifiers(res, PRACTITIONER_SLICES, out)
    _telecom(res, out)
    _address(res, out)
    for name in res.get("name", []):
        # FRCoreHumanNameProfile.fsh: prefix ..1 from J78 (M, MME), suffix from J79 (DR, PR…).
        if len(name.get("prefix", [])) > 1:
            out.append("name.prefix ..1")
        if any(p not in {"M", "MME"} for p in name.get("prefix", [])):
            out.append(f"name.prefix {name.get('prefix')} outside JDV_J78")
        if any(s not in {"DR", "PR", "MC", "MG"} for s in name.get("suffix", [])):
            out.append(f"name.suffix {name.get('suffix')} outside JDV_J79")
    for q in res.get("qualification", []):
        # Practitioner.qualification.code 1..1 (R4); a G15 coding is one profession.
        if not q.get("code"):
            out.append("qualification.code missing")
        for c in q["code"].get("coding", []):
            if c.get("system") == G15 and not c.get("code"):
                out.append("profession coding without code")
    return out


def practitioner_role(res: dict) -> list[str]:
    out: list[str] = []
    _profiles(res, {AS + "as-practitionerrole"}, out)
    _telecom(res, out)
    # AsPractitionerRoleProfile.fsh: practitioner only Reference(as-practitioner), organization
    # only Reference(as-organization). FRCorePractitionerRoleProfile.fsh: specialty from
    # fr-practitioner-specialty (required): a specialty must carry a coding.
    if not (res.get("practitioner") or {}).get("reference", "").startswith("Practitioner/"):
        out.append("practitioner must reference a Practitioner")
    org = res.get("organization") or {}
    if org.get("reference") and not org["reference"].startswith("Organization/"):
        out.append("organization must reference an Organization")
    for s in res.get("specialty", []):
        if not s.get("coding"):
            out.append("specialty without coding (required binding)")
    for ident in res.get("identifier", []):
        # identifier[idSituationExercice].system = https://rpps.esante.gouv.fr
        if ident.get("system") in OLD_SYSTEMS:
            out.append(f"identifier with a replaced system {ident['system']}")
    return out


def _systems(concept: dict[str, Any]) -> set[str]:
    return {c.get("system") for c in concept.get("coding", [])}


CHECKS = {
    "Organization": organization,
    "HealthcareService": healthcare_service,
    "Practitioner": practitioner,
    "PractitionerRole": practitioner_role,
}


def violations(resource: dict) -> list[str]:
    return CHECKS[resource["resourceType"]](resource)

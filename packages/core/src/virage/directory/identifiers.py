"""National identifiers of the directory: FHIR systems, identifier types, check digits.

The systems and types are those of the French guides (read in their FSH sources):

- FR Core 2.2.0 (``Interop-Sante/hl7.fhir.fr.core``): ``FRCoreOrganizationProfile.fsh`` and
  ``FRCoreOrganizationEtablissementProfile.fsh`` (slices ``idNatSt``, ``finess``, ``siret``),
  ``FRCorePractitionerProfile.fsh`` (slices ``idNatPs``, ``rpps``),
  ``FRCoreContactPointProfile.fsh`` and the extension ``fr-core-contact-point-email-type``.
- Annuaire Santé 1.2.0-snapshot-2 (``ansforge/IG-fhir-annuaire``, which depends on FR Core
  2.2.0): ``AsOrganizationProfile.fsh`` (``type[organizationType]`` with the extension
  ``as-ext-organization-types``), ``AsPractitionerRoleProfile.fsh`` (``idSituationExercice`` in
  the RPPS system), ``AsMailboxMSSProfile.fsh`` (MSSanté address: ``system = email`` and the
  FR Core email-type extension coded ``MSSANTE`` in ``TRE_R256-TypeMessagerie``).

Virage's exports before issue 25 used ``http://finess.sante.gouv.fr`` and ``http://rpps.fr``: a
search with those systems is still accepted (aliases), the resources carry the guides' systems.

FINESS (9 characters) and RPPS (11 digits) numbers end with a Luhn check digit. The Corsican
FINESS numbers (``2A…``, ``2B…``) carry a letter whose conversion for the key is not published
in the guides: their format is checked, not their key.
"""

from __future__ import annotations

import re

from virage.errors import InvalidInput

#: FR Core ``identifier[finess].system`` (Organization, HealthcareService).
FINESS_SYSTEM = "https://finess.esante.gouv.fr"
#: FR Core ``identifier[rpps].system`` (Practitioner) and AS ``idSituationExercice``.
RPPS_SYSTEM = "https://rpps.esante.gouv.fr"
#: FR Core ``identifier[idNatSt].system``: national structure identifier (« 1 » + FINESS).
IDNST_SYSTEM = "urn:oid:1.2.250.1.71.4.2.2"
#: FR Core ``identifier[idNatPs].system``: national practitioner identifier (« 8 » + RPPS).
IDNPS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1"
#: FR Core ``identifier[siret].system``.
SIRET_SYSTEM = "https://sirene.fr"

#: Systems Virage used before it followed the guides, still accepted in searches.
LEGACY_FINESS_SYSTEMS = ("http://finess.sante.gouv.fr",)
LEGACY_RPPS_SYSTEMS = ("http://rpps.fr",)

#: FR Core code system of identifier types (IDNST, FINEG, FINEJ, SIRET, IDNPS, RPPS…).
ID_TYPE_SYSTEM = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
#: FR Core code system of organisation types (GEOGRAPHICAL-ENTITY, LEGAL-ENTITY).
ORG_TYPE_SYSTEM = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-3307"
#: Annuaire Santé extension naming the slice of ``Organization.type``.
ORG_TYPES_EXTENSION = (
    "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-organization-types"
)
#: FR Core extension on ContactPoint giving the kind of e-mail (FRCoreContactPointEmailTypeExtension).
EMAIL_TYPE_URL = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-contact-point-email-type"
#: ANS nomenclature of messaging kinds (MSSANTE, APICRYPT…) bound by FR Core.
MESSAGING_TYPE_SYSTEM = (
    "https://mos.esante.gouv.fr/NOS/TRE_R256-TypeMessagerie/FHIR/TRE-R256-TypeMessagerie"
)

_FINESS_RE = re.compile(r"^[0-9][0-9AB][0-9]{7}$")
_RPPS_RE = re.compile(r"^[0-9]{11}$")


def luhn_valid(digits: str) -> bool:
    """True when ``digits`` (its last digit being the key) passes the Luhn algorithm."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_key(body: str) -> str:
    """The digit that makes ``body + key`` pass the Luhn algorithm."""
    for key in "0123456789":
        if luhn_valid(body + key):
            return key
    raise ValueError(body)  # pragma: no cover - one key always fits


def finess_problem(value: str) -> str | None:
    """Why ``value`` is not a FINESS number (a sentence in French), or None when it is one."""
    if not _FINESS_RE.match(value):
        return (
            f"« {value} » n'est pas un numéro FINESS : 9 caractères, des chiffres "
            "(2A ou 2B au début pour la Corse)."
        )
    if not finess_key_ok(value):
        return (
            f"Le numéro FINESS « {value} » a une clé de contrôle fausse (dernier chiffre) : "
            "vérifiez-le, un chiffre a sans doute été mal recopié."
        )
    return None


def rpps_problem(value: str) -> str | None:
    """Why ``value`` is not an RPPS number (a sentence in French), or None when it is one."""
    if not _RPPS_RE.match(value):
        return f"« {value} » n'est pas un numéro RPPS : 11 chiffres."
    if not luhn_valid(value):
        return (
            f"Le numéro RPPS « {value} » a une clé de contrôle fausse (dernier chiffre) : "
            "vérifiez-le, un chiffre a sans doute été mal recopié."
        )
    return None


def check_finess(value: str) -> str:
    """The FINESS number, upper-cased and without spaces; ``InvalidInput`` when it is wrong."""
    number = (value or "").strip().upper().replace(" ", "")
    problem = finess_problem(number)
    if problem:
        raise InvalidInput(problem)
    return number


def check_rpps(value: str) -> str:
    number = (value or "").strip().replace(" ", "")
    problem = rpps_problem(number)
    if problem:
        raise InvalidInput(problem)
    return number


def is_finess_system(system: str | None) -> bool:
    return system == FINESS_SYSTEM or system in LEGACY_FINESS_SYSTEMS


def is_rpps_system(system: str | None) -> bool:
    return system == RPPS_SYSTEM or system in LEGACY_RPPS_SYSTEMS


def finess_key_ok(number: str) -> bool:
    """True when a FINESS number of the right format has a right key (Corsica: not checked)."""
    return number[1] in "AB" or luhn_valid(number)

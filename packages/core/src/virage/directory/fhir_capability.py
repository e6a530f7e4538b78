"""The CapabilityStatement of the directory's FHIR base (``[base]/metadata``).

It lists what the server really does — and only that: read of four resource types, search by
identifier (Organization, Practitioner) and by practitioner (PractitionerRole), JSON only, no
write, no ``_include``, no paging. Its shape follows R4 ``CapabilityStatement`` (kind
``instance``); the Annuaire Santé guide's own statement (``AsServerDPCapabilityStatement.fsh``,
kind ``requirements``) lists far more search parameters, which Virage does not offer (see
``docs/developpeurs/annuaire.md``).
"""

from __future__ import annotations

from typing import Any

from virage import __version__
from virage.directory import fhir, identifiers

#: Fixed publication date of this statement: change it when what is declared changes.
DATE = "2026-07-01"

_IDENTIFIER_DEF = "http://hl7.org/fhir/SearchParameter/{}-identifier"


def _resource(
    rtype: str, documentation: str, search: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "type": rtype,
        "profile": fhir.PROFILES[rtype][0],
        "supportedProfile": list(fhir.PROFILES[rtype]),
        "documentation": documentation,
        "interaction": [{"code": "read"}],
        "versioning": "no-version",
        "readHistory": False,
        "updateCreate": False,
        "conditionalCreate": False,
        "conditionalRead": "not-supported",
        "conditionalUpdate": False,
        "conditionalDelete": "not-supported",
    }
    if search:
        resource["interaction"].append({"code": "search-type"})
        resource["searchParam"] = search
    return resource


def capability_statement(base: str) -> dict[str, Any]:
    organization_search = {
        "name": "identifier",
        "definition": _IDENTIFIER_DEF.format("Organization"),
        "type": "token",
        "documentation": (
            f"Numéro FINESS ({identifiers.FINESS_SYSTEM}|numéro, ou le seul numéro) ou "
            f"identifiant national de structure ({identifiers.IDNST_SYSTEM}|1 + FINESS). "
            f"L'ancien système {identifiers.LEGACY_FINESS_SYSTEMS[0]} reste accepté. "
            "Clé de contrôle vérifiée (sauf numéros corses 2A/2B)."
        ),
    }
    practitioner_search = {
        "name": "identifier",
        "definition": _IDENTIFIER_DEF.format("Practitioner"),
        "type": "token",
        "documentation": (
            f"Identifiant national ({identifiers.IDNPS_SYSTEM}|8 + RPPS ou 0 + ADELI) ou numéro "
            f"RPPS ({identifiers.RPPS_SYSTEM}|numéro). L'ancien système "
            f"{identifiers.LEGACY_RPPS_SYSTEMS[0]} reste accepté. Clé de contrôle RPPS vérifiée."
        ),
    }
    role_search = {
        "name": "practitioner",
        "definition": "http://hl7.org/fhir/SearchParameter/PractitionerRole-practitioner",
        "type": "reference",
        "documentation": "Practitioner/<id> ou <id> : les rôles d'un professionnel.",
    }
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": DATE,
        "publisher": "Virage",
        "kind": "instance",
        "software": {"name": "Virage", "version": __version__},
        "implementation": {"description": "Annuaire Virage (FHIR R4, lecture seule)", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Lecture seule. Profils de FR Core 2.2.0 et du guide Annuaire Santé de l'ANS "
                    "(1.2.0-snapshot-2), pour les seules règles que Virage vérifie. Pas de "
                    "_include, _revinclude, _count ni de pagination : une recherche par "
                    "identifiant rend au plus une ressource. Erreurs en OperationOutcome."
                ),
                "security": {
                    "description": (
                        "Jeton Bearer (« Authorization: Bearer <jeton> ») créé par "
                        "l'administration du réseau ; /metadata se lit sans jeton."
                    )
                },
                "resource": [
                    _resource(
                        "Organization",
                        "Structures FINESS : établissements (EG) et entités juridiques (EJ).",
                        [organization_search],
                    ),
                    _resource(
                        "HealthcareService",
                        "Ce que propose un établissement (même id que son Organization).",
                    ),
                    _resource(
                        "Practitioner",
                        "Professionnels (RPPS, ADELI) et leur messagerie MSSanté.",
                        [practitioner_search],
                    ),
                    _resource(
                        "PractitionerRole",
                        "Rôle d'un professionnel dans une structure.",
                        [role_search],
                    ),
                ],
            }
        ],
    }

"""``[base]/metadata`` of the agenda's FHIR interface: what is really supported, nothing more.

Shaped after the GAP guide 3.0.0 CapabilityStatements (input/fsh/CapabilityStatement/
GAP-GestionnaireAgenda.fsh and GAP-consommateur.fsh) but as an ``instance`` of this server:
Schedule and Slot are read-only here (the guide's manager also creates Schedules), and
Appointment update only cancels.
"""

from __future__ import annotations

from virage import fhir_common
from virage.agenda import fhir

_R4 = "http://hl7.org/fhir/SearchParameter/"


def _param(name: str, definition: str, kind: str, doc: str) -> dict:
    return {"name": name, "definition": definition, "type": kind, "documentation": doc}


def capability_statement(base: str) -> dict:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-01",
        "publisher": "Virage",
        "kind": "instance",
        "software": {"name": "Virage — agenda partagé"},
        "implementation": {"description": "Agenda partagé de Virage (FHIR R4)", "url": base},
        "fhirVersion": fhir_common.FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "description": (
            "Agenda partagé selon le guide ANS « Gestion d'Agendas Partagés » (GAP) "
            f"{fhir.GAP_VERSION} : consultation des disponibilités (Schedule, Slot calculés à la "
            "demande), prise de rendez-vous, lecture et annulation (Appointment). Jeton d'accès "
            "(Authorization: Bearer) obligatoire sauf pour metadata."
        ),
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": False,
                    "description": "Jeton d'accès Virage (Bearer), droits de la structure du jeton.",
                },
                "resource": [
                    {
                        "type": "Schedule",
                        "supportedProfile": [fhir.PROFILES["Schedule"]],
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchParam": [
                            _param(
                                "actor", f"{_R4}Schedule-actor", "reference", "Practitioner/<id>"
                            )
                        ],
                    },
                    {
                        "type": "Slot",
                        "supportedProfile": [fhir.PROFILES["Slot"]],
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchParam": [
                            _param("schedule", f"{_R4}Slot-schedule", "reference", "obligatoire"),
                            _param(
                                "start",
                                f"{fhir.GAP_CANONICAL}/SearchParameter/GAP-Slot-earliestStart",
                                "date",
                                "ge/gt (au plus tôt), le/lt (au plus tard) ; 62 jours au plus",
                            ),
                            _param("status", f"{_R4}Slot-status", "token", "free seulement"),
                            _param(
                                "duration",
                                f"{base}/SearchParameter/slot-duration",
                                "number",
                                "durée des créneaux en minutes (30 par défaut) — propre à Virage",
                            ),
                        ],
                    },
                    {
                        "type": "Appointment",
                        "supportedProfile": [fhir.PROFILES["Appointment"]],
                        "interaction": [
                            {"code": "create"},
                            {"code": "read"},
                            {"code": "update", "documentation": "annulation seulement"},
                        ],
                    },
                ],
            }
        ],
    }

"""virage-orientation: orientation of a person to a suitable structure (ViaTrajectoire-style).

A requesting structure (hospital discharge team, social service, SSIAD…) writes a request with an
administrative part and a medical part, gets a ranked list of structures from the directory (with
the reasons of each rank), sends the request to some of them, and follows their answers. Receiving
structures (linked to the directory by their FINESS number) answer through a state machine.

Everything goes through the core's hooks and its public door, :mod:`virage.sdk`; the plugin's own hook
``orientation_score`` (see :mod:`virage_orientation.hookspecs`) lets a region change the ranking.
"""

from __future__ import annotations

from pathlib import Path

from virage.sdk import ExportSection, Migration, NavItem, PageSection, hookimpl, permission

__version__ = "0.1.0"

#: The versions of the Virage SDK (``virage.sdk``) this plugin works with.
VIRAGE_SDK = ">=1,<2"

NAMESPACE = "orientation"


@hookimpl
def register_hookspecs():
    from virage_orientation import hookspecs

    return [hookspecs]


@hookimpl
def register_migrations():
    from virage_orientation import schema

    return [
        Migration(NAMESPACE, "0001_tables", schema.create_tables, "Tables de l'orientation"),
        Migration(
            NAMESPACE,
            "0002_offers_closed",
            schema.create_offers_table,
            "Orientation : offres qu'une structure ne reçoit pas",
        ),
    ]


@hookimpl
def register_permissions():
    return [
        permission(
            "orientation.request",
            "Créer et suivre une demande d'orientation (volet administratif)",
            ["director", "coordinator", "nurse", "social_worker"],
            "care_team",
            without_team=["director", "coordinator"],
        ),
        permission(
            "orientation.list",
            "Voir les demandes d'orientation émises par la structure",
            ["director", "coordinator", "nurse", "social_worker"],
        ),
        permission(
            "orientation.medical.write",
            "Rédiger et lire le volet médical d'une demande d'orientation (structure demandeuse)",
            ["coordinator", "nurse"],
            "care_team",
            without_team=["coordinator"],
        ),
        permission(
            "orientation.receive",
            "Voir les demandes d'orientation reçues par la structure (volet administratif)",
            ["director", "coordinator", "nurse", "secretariat"],
        ),
        permission(
            "orientation.medical.read",
            "Lire le volet médical des demandes reçues (médecin ou infirmier·e coordinateur·rice)",
            ["coordinator", "nurse"],
        ),
        permission(
            "orientation.answer",
            "Répondre aux demandes d'orientation reçues",
            ["director", "coordinator"],
        ),
        permission(
            "orientation.places",
            "Déclarer les places disponibles de la structure",
            ["director", "coordinator", "secretariat"],
            personal_data=False,
        ),
        permission(
            "orientation.dashboard",
            "Voir le tableau de bord de l'orientation du réseau (agrégé)",
            ["director", "coordinator", "dpo"],
            personal_data=False,
        ),
    ]


@hookimpl
def register_routes():
    from virage_orientation.api import OrientationApi
    from virage_orientation.web import OrientationPages

    return [OrientationApi, OrientationPages]


@hookimpl
def register_template_dirs():
    return [Path(__file__).parent / "templates"]


@hookimpl
def register_nav_items():
    return [
        NavItem(
            "Orientation",
            "/orientation/",
            order=60,
            permission=("orientation.list", "orientation.receive", "orientation.dashboard"),
        )
    ]


@hookimpl
def extra_person_sections(access, person):
    from virage_orientation import web

    html = web.person_section(access, person)
    if html is None:
        return None
    return [PageSection("Orientation", html, "orientation", order=60)]


@hookimpl
def extra_person_export(db, person_id):
    from virage_orientation import storage

    requests = storage.requests_of_person(db, person_id)
    if not requests:
        return None
    administrative = [
        {
            **req,
            "envois": storage.sendings_of(db, req["id"]),
            "historique": storage.events_of(db, req["id"]),
        }
        for req in requests
    ]
    medical = [
        {"demande_id": req["id"], **part}
        for req in requests
        if (part := storage.get_medical(db, req["id"])) is not None
    ]
    # The same permissions as the request page: the medical part is for its authors only.
    sections = [
        ExportSection(
            "demandes",
            "Demandes d'orientation (volet administratif)",
            "orientation.request",
            administrative,
        )
    ]
    if medical:
        sections.append(
            ExportSection(
                "volets_medicaux",
                "Volets médicaux des demandes d'orientation",
                "orientation.medical.write",
                medical,
            )
        )
    return sections


@hookimpl
def on_person_deleted(db, person_id):
    from virage_orientation import storage

    storage.delete_person(db, person_id)


@hookimpl
def persons_merged(access, kept_id, merged_id):
    """The duplicate's orientation requests follow the record kept."""
    from virage_orientation import merge_storage

    merge_storage.move_person(access.db, kept_id, merged_id)


@hookimpl
def extra_plugin_info():
    return {
        "description": "Orientation d'une personne vers une structure adaptée (type ViaTrajectoire).",
        "documentation": "/docs/guides/orientation/",
    }


@hookimpl
def extra_worker_records(db, user_id):
    from virage_orientation import web

    return web.worker_section(db, user_id)


@hookimpl
def structure_settings_sections(access, structure):
    from virage_orientation import settings

    return settings.sections(access, structure)


@hookimpl
def register_audit_actions():
    from virage_orientation.audit_actions import LABELS

    return LABELS


@hookimpl
def register_indicators():
    from virage_orientation.indicators import INDICATORS

    return list(INDICATORS)

"""virage-alerts: fall-detection and call alerts for nursing homes, an alert that cannot be lost
and no surveillance.

A director enrols sensors and nurse-call systems (room, unit; a signing secret shown once).
They post signed events to ``POST /alertes/evenements`` (HMAC-SHA256 over timestamp and body,
stale and replayed requests refused, retries idempotent, stored before the answer). An alert
stays raised until one person says « j'y vais » (the first wins, the others see it taken), then
« sur place », then closed with its outcome; « fausse alerte » in one tap. Nobody took it within
N minutes: it widens to the next level on duty in the agenda. The night board shows rooms, never
names, live (server-sent events). Figures are per unit, never per worker. See README.md.
"""

from __future__ import annotations

from pathlib import Path

from virage.sdk import AppointmentKind, Migration, NavItem, hookimpl, permission

__version__ = "0.1.0"

#: The versions of the Virage SDK (``virage.sdk``) this plugin works with (devices: 1.6,
#: indicators: 1.7).
VIRAGE_SDK = ">=1.7,<2"

NAMESPACE = "alerts"
TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_migrations():
    from virage_alerts import quality_storage, storage

    return [
        Migration(NAMESPACE, "0001_tables", storage.create_tables, "Alertes de nuit : tables"),
        Migration(
            NAMESPACE,
            "0002_row_security",
            storage.create_row_security,
            "Alertes de nuit : sécurité par ligne (PostgreSQL)",
        ),
        Migration(
            NAMESPACE,
            "0003_rooms",
            quality_storage.create_rooms,
            "Alertes de nuit : chambres et personnes (après une chute)",
        ),
    ]


@hookimpl
def register_hookspecs():
    from virage_alerts import hookspecs

    return [hookspecs]


@hookimpl
def register_permissions():
    return [
        permission(
            "alerts.manage",
            "Enregistrer et révoquer les capteurs d'alerte, régler l'élargissement des alertes",
            ["director"],
            personal_data=False,
        ),
        permission(
            "alerts.respond",
            "Recevoir les alertes de nuit (chambre, jamais le nom), les prendre en charge et "
            "les terminer",
            ["director", "coordinator", "nurse", "care_assistant"],
        ),
        permission(
            "alerts.rooms",
            "Indiquer quelle personne occupe chaque chambre équipée d'un capteur (jamais "
            "affiché sur le tableau des alertes)",
            ["director", "coordinator"],
        ),
        permission(
            "alerts.quality",
            "Consulter le registre des chutes et les chiffres des alertes (par unité, jamais par "
            "personne qui travaille)",
            ["director", "coordinator"],
        ),
    ]


@hookimpl
def register_appointment_kinds():
    return [
        AppointmentKind("alerts_night", "Poste de nuit", "structure", 10 * 60, True, "none", "🌙")
    ]


@hookimpl
def register_indicators():
    from virage_alerts.indicators import INDICATORS

    return list(INDICATORS)


@hookimpl
def register_routes():
    from virage_alerts import web, web_quality

    return [web.Webhook, web.AlertPages, web_quality.QualityPages]


@hookimpl
def register_template_dirs():
    return [TEMPLATES]


@hookimpl
def register_nav_items():
    return [
        NavItem("Alertes", "/alertes/", order=90, permission=("alerts.respond", "alerts.manage"))
    ]


@hookimpl
def register_commands(cli):
    from virage_alerts import cli as commands

    commands.register(cli)


@hookimpl
def structure_settings_sections(access, structure):
    from virage_alerts import settings_section

    return settings_section.sections(access, structure)


@hookimpl
def alerts_adapt_event(vendor, payload):
    from virage_alerts import adapters

    return adapters.alerts_adapt_event(vendor, payload)


@hookimpl
def on_person_deleted(db, person_id):
    from virage_alerts import quality_storage, storage

    storage.delete_person(db, person_id)
    quality_storage.forget_person(db, person_id)


@hookimpl
def persons_merged(access, kept_id, merged_id):
    """The duplicate's alerts and room follow the record kept (the kept record's room wins)."""
    from virage_alerts import merge_storage

    merge_storage.move_person(access.db, kept_id, merged_id)


@hookimpl
def on_demo_created(db, seed):
    from virage_alerts import demo

    return demo.create(db, seed)


@hookimpl
def on_startup(app):
    from virage_alerts import background

    return background.start(app)


@hookimpl
def extra_plugin_info():
    return {
        "description": "Alertes de chute et appels de nuit en EHPAD : une alerte qui ne se perd "
        "pas, un tableau par chambre, aucune surveillance des personnes qui travaillent.",
        "documentation": "/docs/guides/alertes-de-nuit/",
    }


@hookimpl
def register_audit_actions():
    from virage_alerts.audit_actions import LABELS

    return LABELS

"""Built-in plugin: the shared agenda, registered through the same hooks as any plugin."""

from __future__ import annotations

import logging

from virage.accounts.export import ExportSection
from virage.agenda import (
    hookspecs,
    policy_storage,
    storage_arrivals,
    storage_imports,
    storage_tables,
    storage_views,
    sync_storage,
)
from virage.agenda.kinds import CORE_KINDS
from virage.agenda.permissions import FIELD_ROLES, PERMISSIONS
from virage.db import Migration
from virage.french import plural
from virage.plugins import hookimpl
from virage.web.nav import NavItem

log = logging.getLogger("virage.agenda")


@hookimpl
def register_hookspecs():
    return [hookspecs]


@hookimpl
def register_migrations():
    return [
        Migration(
            "core",
            "0020_agenda",
            storage_tables.create_agenda_tables,
            "Agenda : séries, rendez-vous, professionnels, pointages",
        ),
        Migration(
            "core",
            "0021_agenda_availability",
            storage_tables.create_availability_tables,
            "Agenda : horaires de travail, absences, équipes",
        ),
        Migration(
            "core",
            "0022_agenda_feeds",
            storage_tables.create_feed_tables,
            "Agenda : abonnements iCalendar",
        ),
        Migration(
            "core",
            "0023_agenda_series_cancel",
            storage_tables.add_with_series_column,
            "Agenda : rendez-vous annulés avec leur série, rétablissables",
        ),
        Migration(
            "core",
            "0024_agenda_privacy",
            storage_tables.create_settings_table,
            "Agenda : réglages des structures dans une table de l'agenda (abonnements de calendrier)",
        ),
        Migration(
            "core",
            "0025_agenda_ical_imports",
            storage_imports.create_imports_table,
            "Agenda : identifiants UID importés, une fois par structure (décidé par la base)",
        ),
        Migration(
            "core",
            "0091_row_security_agenda",
            policy_storage.create_row_security,
            "Sécurité par ligne (PostgreSQL) : rendez-vous, séries, équipes",
        ),
        Migration(
            "core",
            "0125_agenda_sync_receipts",
            sync_storage.create_receipts_table,
            "Agenda : accusés des pointages envoyés plus tard par un appareil (jamais deux fois)",
        ),
        Migration(
            "core",
            "0131_agenda_arrival",
            storage_arrivals.add_arrived_column,
            "Agenda : arrivée de la personne signalée à l'accueil (borne)",
        ),
    ]


@hookimpl
def register_permissions():
    return list(PERMISSIONS)


@hookimpl
def register_appointment_kinds():
    return list(CORE_KINDS)


@hookimpl
def register_routes():
    from virage.agenda import api, fhir_api, web

    return [
        *web.CONTROLLERS,
        *api.CONTROLLERS,
        fhir_api.AgendaFhirMetadata,
        fhir_api.AgendaFhirController,
    ]


@hookimpl
def register_nav_items():
    return [
        # Field roles' day on a phone; the secretariat and the direction use the agenda.
        NavItem("Ma journée", "/agenda/ma-journee", order=15, roles=tuple(FIELD_ROLES)),
        NavItem("Agenda", "/agenda", order=20, permission="agenda.read"),
    ]


@hookimpl
def register_commands(cli):
    from virage.agenda import cli as agenda_cli

    agenda_cli.register(cli)


@hookimpl
def extra_person_sections(access, person, plugins):
    from virage.agenda import web

    section = web.person_section(access, plugins, person)
    return [section] if section else None


@hookimpl
def extra_worker_records(db, user_id):
    from virage.agenda import web

    return [web.worker_section(db, user_id)]


@hookimpl
def extra_person_export(db, person_id):
    appointments = storage_views.person_appointments(db, person_id)
    series = storage_views.person_series(db, person_id)
    if not (appointments or series):
        return None
    # Care notes follow the care team (agenda.notes.read), the rest the agenda (agenda.read).
    notes = [{"serie_id": s["id"], "notes": s["notes"]} for s in series if s["notes"]] + [
        {"rendez_vous_id": a["id"], "notes": a["notes"]} for a in appointments if a["notes"]
    ]
    without_notes = [
        [{k: v for k, v in row.items() if k != "notes"} for row in rows]
        for rows in (series, appointments)
    ]
    sections = [
        ExportSection(key, title, "agenda.read", rows)
        for key, title, rows in (
            ("series", "Rendez-vous réguliers", without_notes[0]),
            ("rendez_vous", "Rendez-vous", without_notes[1]),
        )
        if rows
    ]
    if notes:
        sections.append(
            ExportSection(
                "notes_de_soins", "Notes de soins des rendez-vous", "agenda.notes.read", notes
            )
        )
    return sections


@hookimpl
def on_person_deleted(db, person_id):
    storage_views.delete_person_data(db, person_id)


@hookimpl
def persons_merged(access, kept_id, merged_id):
    """The duplicate's appointments and series follow the record kept."""
    from virage.agenda import merge_storage

    merge_storage.move_person(access.db, kept_id, merged_id)


@hookimpl
def on_appointment_created(appointment, actor):
    log.info(
        "rendez-vous créé n° %s (%s, %s) par %s",
        appointment.get("id"),
        appointment.get("kind"),
        plural(appointment.get("occurrences") or 0, "occurrence"),
        actor.username if actor else "-",
    )


@hookimpl
def on_appointment_updated(appointment, previous, scope, actor):
    log.info(
        "rendez-vous modifié n° %s (portée %s, début %s → %s) par %s",
        previous.get("id"),
        scope,
        previous.get("start"),
        appointment.get("start"),
        actor.username if actor else "-",
    )


@hookimpl
def on_appointment_cancelled(appointment, reason, scope, actor):
    log.info(
        "rendez-vous annulé n° %s (portée %s, %s) par %s",
        appointment.get("id"),
        scope,
        plural(appointment.get("occurrences") or 0, "occurrence"),
        actor.username if actor else "-",
    )


@hookimpl
def extra_plugin_info():
    return {
        "description": "Agenda partagé : visites, rendez-vous, séries, créneaux libres, "
        "abonnements iCalendar."
    }

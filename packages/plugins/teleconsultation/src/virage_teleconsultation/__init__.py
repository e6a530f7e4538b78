"""virage-teleconsultation: teleconsultation for nursing homes and home care.

A kind of appointment (``teleconsultation``) added to the shared agenda, a strict workflow
(demandée → planifiée → prête → en cours → réalisée → compte rendu reçu; annulée, non réalisée),
a video link from a configurable provider (hook ``teleconsultation_video_link``), and the doctor's
report recorded as a transmission of target ``teleconsultation``. See README.md.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from virage.sdk import (
    AppointmentKind,
    ExportSection,
    Migration,
    NavItem,
    PageSection,
    TransmissionTarget,
    TransmissionTemplate,
    hookimpl,
    permission,
)

__version__ = "0.1.0"

#: The versions of the Virage SDK (``virage.sdk``) this plugin works with.
VIRAGE_SDK = ">=1,<2"

NAMESPACE = "teleconsultation"
TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_hookspecs():
    from virage_teleconsultation import hookspecs

    return [hookspecs]


@hookimpl
def register_migrations():
    from virage_teleconsultation import storage

    return [
        Migration(NAMESPACE, "0001_teleconsultations", storage.create_tables, "Téléconsultations"),
        Migration(
            NAMESPACE,
            "0002_row_security",
            storage.create_row_security,
            "Sécurité par ligne (PostgreSQL) : les séances par structure",
        ),
    ]


@hookimpl
def register_permissions():
    team = ["coordinator", "nurse"]
    return [
        permission(
            "teleconsultation.read",
            "Voir les téléconsultations d'une personne (motif, consentement, compte rendu)",
            ["director", "coordinator", "nurse", "care_assistant"],
            "care_team",
            without_team=["coordinator"],
        ),
        permission(
            "teleconsultation.request",
            "Demander une téléconsultation pour une personne",
            team,
            "care_team",
            without_team=["coordinator"],
        ),
        permission(
            "teleconsultation.manage",
            "Planifier, préparer (identité, consentement, matériel), mener ou annuler une "
            "téléconsultation",
            team,
            "care_team",
            without_team=["coordinator"],
        ),
        permission(
            "teleconsultation.overview",
            "Suivre les téléconsultations de la structure (à venir, sans compte rendu)",
            ["director", "coordinator"],
        ),
    ]


@hookimpl
def register_appointment_kinds():
    return [
        AppointmentKind(
            "teleconsultation", "Téléconsultation", "remote", 30, True, "required", "🎥"
        )
    ]


@hookimpl
def register_transmission_targets():
    return [
        TransmissionTarget("teleconsultation", "Téléconsultation", "soins", 115),
        TransmissionTemplate(
            "teleconsultation",
            "Compte rendu de téléconsultation",
            data="Motif : … . Examen à distance (avec l'aide de …) : … . Conclusion : … .",
            actions="Prescriptions, examens demandés, surveillance : … .",
            results="",
        ),
    ]


@hookimpl
def register_routes():
    from virage_teleconsultation import api, web

    return [web.TeleconsultationPages, api.TeleconsultationApi]


@hookimpl
def register_template_dirs():
    return [TEMPLATES]


@hookimpl
def register_nav_items():
    return [
        NavItem(
            "Téléconsultation",
            "/teleconsultation/",
            order=45,
            permission=("teleconsultation.read", "teleconsultation.overview"),
        )
    ]


@hookimpl
def extra_person_sections(access, person, person_ref, plugins):
    from virage_teleconsultation import web

    section = web.person_section(access, plugins, person, person_ref)
    return [section] if section else None


@hookimpl
def extra_worker_records(db, user_id):
    from virage.sdk import day_text
    from virage_teleconsultation import storage

    rows = storage.of_user(db, user_id)
    roles = {
        "requested_by": "demandée par vous",
        "accompanying_user_id": "vous accompagnez",
        "doctor_user_id": "vous consultez à distance",
        "consent_collected_by": "consentement recueilli par vous",
        "report_author_id": "compte rendu saisi par vous",
    }
    items = "".join(
        "<li>Téléconsultation n° {} du {} : {}</li>".format(
            r["id"],
            day_text(r["created_at"]),
            ", ".join(label for col, label in roles.items() if r[col] == user_id) or "étape",
        )
        for r in rows
    )
    html = Markup(
        "<p>Ce que la téléconsultation enregistre sur vous : votre nom sur les séances que vous "
        "demandez, accompagnez ou menez, et sur les étapes que vous enregistrez (consentement, "
        "compte rendu). Rien d'autre.</p><ul>" + (items or "<li>Aucune séance.</li>") + "</ul>"
    )
    return [PageSection("Téléconsultation", html, "teleconsultation", 60)]


@hookimpl
def on_appointment_cancelled(db, appointment, reason, actor):
    from virage_teleconsultation import service

    service.appointment_cancelled(db, appointment, reason, actor)


@hookimpl
def extra_person_export(db, person_id):
    from virage_teleconsultation import storage

    rows = storage.of_person(db, person_id)
    if not rows:
        return None
    # The room name opens the video session: a key for the participants, not data to hand out.
    rows = [{k: v for k, v in r.items() if k != "room"} for r in rows]
    return [
        ExportSection(
            "teleconsultations",
            "Téléconsultations (motif, consentement, compte rendu)",
            "teleconsultation.read",
            rows,
        )
    ]


@hookimpl
def on_person_deleted(db, person_id):
    from virage_teleconsultation import storage

    storage.delete_person(db, person_id)


@hookimpl
def persons_merged(access, kept_id, merged_id):
    """The duplicate's teleconsultations follow the record kept."""
    from virage_teleconsultation import merge_storage

    merge_storage.move_person(access.db, kept_id, merged_id)


@hookimpl
def extra_plugin_info():
    return {
        "description": "Téléconsultation en EHPAD et à domicile : demande, créneau, consentement, "
        "séance, compte rendu en transmission.",
        "documentation": "/docs/guides/teleconsultation/",
    }


@hookimpl
def register_audit_actions():
    from virage_teleconsultation.audit_actions import LABELS

    return LABELS


@hookimpl
def register_indicators():
    from virage_teleconsultation.indicators import INDICATORS

    return list(INDICATORS)

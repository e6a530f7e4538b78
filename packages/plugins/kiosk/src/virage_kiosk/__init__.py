"""virage-kiosk: a reception and orientation kiosk that reveals nothing.

A director enrols kiosks and waiting-room screens (a device credential shown once, revocable at
once). A person checks in with the QR code of her convocation (a token signed for that day and
that structure) or its short code and her birth date, or takes a ticket for a service without
appointment; the kiosk answers with a number and where to go, never a name. The appointment is
marked arrived in the agenda (``virage.sdk.agenda.mark_arrived``). The desk sees the queue with
names and calls the next number, which the waiting-room screen shows alone. See README.md.
"""

from __future__ import annotations

from pathlib import Path

from virage.sdk import ExportSection, Migration, NavItem, hookimpl, permission

__version__ = "0.1.0"

#: The versions of the Virage SDK (``virage.sdk``) this plugin works with (devices: 1.6,
#: indicators: 1.7).
VIRAGE_SDK = ">=1.7,<2"

NAMESPACE = "kiosk"
TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_migrations():
    from virage_kiosk import indicator_storage, storage

    return [
        Migration(NAMESPACE, "0001_tables", storage.create_tables, "Borne d'accueil : tables"),
        Migration(
            NAMESPACE,
            "0002_row_security",
            storage.create_row_security,
            "Borne d'accueil : sécurité par ligne (PostgreSQL)",
        ),
        Migration(
            NAMESPACE,
            "0003_monthly",
            indicator_storage.create_monthly,
            "Borne d'accueil : chiffres du mois gardés après l'oubli des tickets (indicateurs)",
        ),
    ]


@hookimpl
def register_permissions():
    return [
        permission(
            "kiosk.manage",
            "Enregistrer et révoquer les bornes et écrans, régler l'accueil (lieux, services, "
            "horaires, textes)",
            ["director"],
            personal_data=False,
        ),
        permission(
            "kiosk.desk",
            "Tenir la file d'attente de l'accueil (numéros, rendez-vous et noms des personnes "
            "arrivées)",
            ["director", "coordinator", "secretariat"],
        ),
        permission(
            "kiosk.convocation",
            "Imprimer la convocation d'un rendez-vous (QR code et code à présenter à la borne)",
            ["director", "coordinator", "secretariat"],
        ),
    ]


@hookimpl
def register_indicators():
    from virage_kiosk.indicators import INDICATORS

    return list(INDICATORS)


@hookimpl
def register_routes():
    from virage_kiosk import desk_web, device_web

    return [device_web.KioskPages, desk_web.DeskPages]


@hookimpl
def register_template_dirs():
    return [TEMPLATES]


@hookimpl
def register_nav_items():
    return [
        NavItem(
            "Accueil et bornes",
            "/accueil/",
            order=120,
            permission=("kiosk.desk", "kiosk.manage"),
        )
    ]


@hookimpl
def extra_person_export(db, person_id):
    from virage_kiosk import storage

    rows = storage.person_ids(db, person_id)
    if not rows:
        return None
    return [
        ExportSection(
            "kiosk_tickets", "Tickets de la borne d'accueil (jour, numéro)", "kiosk.desk", rows
        )
    ]


@hookimpl
def extra_worker_records(db, user_id):
    from virage_kiosk import worker_records

    return [worker_records.section(db, user_id)]


@hookimpl
def on_person_deleted(db, person_id):
    from virage_kiosk import storage

    storage.delete_person(db, person_id)


@hookimpl
def persons_merged(access, kept_id, merged_id):
    """The duplicate's tickets follow the record kept."""
    from virage_kiosk import storage

    storage.move_person(access.db, kept_id, merged_id)


@hookimpl
def on_demo_created(db, seed):
    from virage_kiosk import demo

    return demo.create(db, seed)


@hookimpl
def extra_plugin_info():
    return {
        "description": "Borne d'accueil et d'orientation qui ne dévoile rien : arrivée par "
        "convocation, ticket sans nom, file de l'accueil, écran de salle d'attente.",
        "documentation": "/docs/guides/borne-d-accueil/",
    }


@hookimpl
def register_audit_actions():
    from virage_kiosk.audit_actions import LABELS

    return LABELS

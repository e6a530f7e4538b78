"""Built-in plugin: secure conversations between professionals about a person."""

from __future__ import annotations

from markupsafe import Markup, escape

from virage.access import permission
from virage.accounts.export import ExportSection
from virage.db import Migration
from virage.messaging import attachment_storage, hookspecs, storage
from virage.plugins import hookimpl
from virage.web.nav import NavItem
from virage.web.sections import PageSection

TEAM_ROLES = ("director", "coordinator", "nurse", "care_assistant", "social_worker", "home_help")

PERMISSIONS = (
    permission(
        "messages.read",
        "Lire les conversations entre professionnels au sujet d'une personne (équipe de soins)",
        TEAM_ROLES,
        "care_team",
        without_team=["coordinator"],
    ),
    permission(
        "messages.write",
        "Ouvrir une conversation au sujet d'une personne, y répondre (équipe de soins)",
        TEAM_ROLES,
        "care_team",
        without_team=["coordinator"],
    ),
    permission(
        "messages.consent.manage",
        "Enregistrer ou retirer l'accord d'une personne pour échanger avec une autre structure",
        ["director", "coordinator", "secretariat"],
    ),
)

AUDIT_LABELS = {
    "messages.thread.read": "Lecture d'une conversation au sujet d'une personne",
    "messages.thread.created": "Conversation ouverte au sujet d'une personne",
    "messages.posted": "Message écrit dans une conversation",
    "messages.list.read": "Consultation de ses conversations",
    "messages.candidates": "Choix des participants d'une conversation",
    "messages.consents.read": "Consultation des accords d'échange d'une personne",
    "messages.consent.recorded": "Accord d'échange avec une autre structure enregistré",
    "messages.consent.revoked": "Accord d'échange avec une autre structure retiré",
}


@hookimpl
def register_hookspecs():
    return [hookspecs]


@hookimpl
def register_migrations():
    return [
        Migration(
            "core", "0170_messaging", storage.create_tables, "Messagerie : conversations et accords"
        ),
        Migration(
            "core",
            "0171_row_security_messaging",
            storage.create_row_security,
            "Sécurité par ligne (PostgreSQL) : messagerie",
        ),
        Migration(
            "core",
            "0172_messaging_attachments",
            attachment_storage.create_table,
            "Messagerie : pièces jointes (documents du dossier)",
        ),
        Migration(
            "core",
            "0173_row_security_messaging_attachments",
            attachment_storage.create_row_security,
            "Sécurité par ligne (PostgreSQL) : pièces jointes de la messagerie",
        ),
    ]


@hookimpl
def register_permissions():
    return list(PERMISSIONS)


@hookimpl
def register_audit_actions():
    return AUDIT_LABELS


@hookimpl
def register_routes():
    from virage.messaging import api, web

    return [web.MessagePages, web.PersonMessagePages, api.MessagesController]


@hookimpl
def register_nav_items():
    return [NavItem("Messages", "/messages", order=32, permission="messages.read")]


@hookimpl
def extra_person_sections(access, person, person_ref):
    from virage.messaging import service, web

    can_read = access.allowed("messages.read", person=person_ref)
    can_consent = access.allowed("messages.consent.manage", structure_id=person_ref.structure_id)
    if not (can_read or can_consent):
        return None
    rows = service.threads_about(access, person["id"]) if can_read else []
    can_write = access.allowed("messages.write", person=person_ref) and person["status"] == "active"
    html = web.render_fragment(
        "messaging/_section.html", rows=rows, person_id=person["id"], can_read=can_read
    )
    actions = (
        (("Nouvelle conversation", f"/personnes/{person['id']}/messages/nouvelle"),)
        if can_write
        else ()
    )
    return [PageSection("Conversations", html, "conversations", order=25, actions=actions)]


@hookimpl
def extra_worker_records(db, user_id):
    from virage.french import moment_text

    written = storage.written_by(db, user_id)
    read = storage.read_by(db, user_id)
    items = [
        Markup("<li>Message écrit le {} (conversation n° {}, {} caractères)</li>").format(
            moment_text(w["created_at"]), w["thread_id"], w["length"]
        )
        for w in written
    ] + [
        Markup("<li>Message lu le {} (conversation n° {})</li>").format(
            moment_text(r["read_at"]), r["thread_id"]
        )
        for r in read
    ]
    intro = escape(
        "Les messages que vous avez écrits et les accusés de lecture (qui a lu quel message, "
        "quand) : visibles des participants de la conversation, jamais comptés par personne."
    )
    body = Markup("").join(items) or Markup("<li>Aucun message.</li>")
    html = Markup("<p>{}</p><ul>{}</ul>").format(intro, body)
    return [PageSection("Mes messages", html, "messages", order=35)]


@hookimpl
def extra_person_export(db, person_id):
    data = storage.all_for_person(db, person_id)
    if not any(data.values()):
        return None
    # Conversations among the care team may carry health content: the care team only.
    return [
        ExportSection("conversations", "Conversations", "messages.read", data["threads"]),
        ExportSection("messages", "Messages", "messages.read", data["posts"]),
        ExportSection("lectures_messages", "Lectures des messages", "messages.read", data["reads"]),
        ExportSection(
            "pieces_jointes_messages",
            "Pièces jointes des messages (numéros de documents du dossier)",
            "messages.read",
            attachment_storage.all_for_person(db, person_id),
        ),
        ExportSection(
            "accords_echange",
            "Accords d'échange avec d'autres structures",
            "persons.identity.read",
            data["consents"],
        ),
    ]


@hookimpl
def on_person_deleted(db, person_id):
    attachment_storage.delete_for_person(db, person_id)
    storage.delete_for_person(db, person_id)


@hookimpl
def persons_merged(access, kept_id, merged_id):
    attachment_storage.move_person(access.db, kept_id, merged_id)
    storage.move_person(access.db, kept_id, merged_id)


@hookimpl
def extra_plugin_info():
    return {
        "description": "Conversations entre professionnels au sujet d'une personne : équipe de "
        "soins, structures partenaires avec l'accord de la personne, accusés de lecture.",
        "documentation": "/docs/guides/messagerie/",
    }


@hookimpl
def on_startup(app, db):
    """« Messages (2) » in the menu: the unread count, for the reader of the page."""
    from virage.messaging import badge

    badge.install(app)


@hookimpl
def on_demo_created(db):
    from virage.messaging import demo

    return demo.create(db)

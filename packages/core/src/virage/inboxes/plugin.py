"""Built-in plugin: the organisational inboxes (on-call and shared), through the same hooks as
any plugin."""

from __future__ import annotations

from markupsafe import Markup, escape

from virage.access import ALL, permission
from virage.accounts.export import ExportSection
from virage.db import Migration
from virage.french import moment_text
from virage.inboxes import hookspecs, storage
from virage.plugins import hookimpl
from virage.web.nav import NavItem
from virage.web.sections import PageSection

PERMISSIONS = (
    permission(
        "inboxes.manage",
        "Créer les boîtes organisationnelles et régler qui les lit et y répond",
        ["director"],
        personal_data=False,
    ),
    permission(
        "inboxes.read",
        "Lire et traiter les boîtes organisationnelles dont on est destinataire (réglage de "
        "chaque boîte)",
        ALL,
    ),
    permission(
        "inboxes.post",
        "Écrire à une boîte organisationnelle de sa structure (astreinte, secrétariat)",
        ALL,
    ),
)

AUDIT_LABELS: dict[str, str] = {
    "inboxes.created": "Boîte organisationnelle créée",
    "inboxes.updated": "Réglages d'une boîte organisationnelle modifiés",
    "inboxes.inbox.read": "Boîte organisationnelle consultée",
    "inboxes.item.read": "Élément d'une boîte organisationnelle lu",
    "inboxes.item.person.read": "Élément d'une boîte concernant une personne lu",
    "inboxes.item.person.hidden": "Élément d'une boîte concernant une personne : texte masqué "
    "(hors équipe de soins)",
    "inboxes.item.person.cited": "Personne citée dans un message à une boîte organisationnelle",
    "inboxes.item.received": "Message externe reçu dans une boîte organisationnelle",
    "inboxes.item.posted": "Message écrit à une boîte organisationnelle",
    "inboxes.item.claimed": "Élément d'une boîte pris en charge (« Je prends »)",
    "inboxes.item.answered": "Réponse à un élément d'une boîte",
    "inboxes.item.closed": "Élément d'une boîte clos",
    "inboxes.item.escalated": "Élément d'une boîte non pris à temps : transmis au suivant",
    "inboxes.item.handed_over": "Élément d'une boîte transmis à la relève",
    "inboxes.handover_note.written": "Note de relève écrite",
    "inboxes.item.written_external": "Message écrit depuis une boîte organisationnelle à un "
    "professionnel extérieur (adresse MSSanté de l'annuaire)",
}

REASONS = {
    "routed": "vous a été adressé",
    "escalated": "vous a été transmis (non pris à temps)",
    "handover": "reçu à la relève",
    "claimed": "pris par vous",
    "closed": "clos par vous",
    "written": "écrit par vous à un professionnel extérieur",
}


@hookimpl
def register_hookspecs():
    return [hookspecs]


@hookimpl
def register_migrations():
    return [
        Migration(
            "core",
            "0175_inboxes",
            storage.create_tables,
            "Boîtes organisationnelles : astreinte et boîtes partagées",
        ),
        Migration(
            "core",
            "0176_row_security_inboxes",
            storage.create_row_security,
            "Sécurité par ligne (PostgreSQL) : boîtes organisationnelles",
        ),
    ]


@hookimpl
def register_permissions():
    return list(PERMISSIONS)


@hookimpl
def register_audit_actions():
    return AUDIT_LABELS


@hookimpl
def register_indicators():
    """Items received, share escalated, share closed: nothing per worker, no response time."""
    from virage.inboxes.indicators import INDICATORS

    return list(INDICATORS)


@hookimpl
def register_routes():
    from virage.inboxes import api, web

    return [web.InboxPages, api.InboxController]


@hookimpl
def register_nav_items():
    return [NavItem("Boîtes", "/boites", order=42, permission="inboxes.read")]


@hookimpl
def on_startup(app):
    from virage.inboxes import background

    return background.start(app)


@hookimpl
def extra_worker_records(db, user_id):
    rows = storage.worker_items(db, user_id, 200)
    if not rows:
        return None
    lines = Markup("").join(
        Markup("<li>{} : élément n° {} de « {} » {}</li>").format(
            moment_text(r["at"]), r["item_id"], r["inbox_name"], REASONS.get(r["reason"], "")
        )
        for r in rows
    )
    html = Markup("<p>{}</p><ul>{}</ul>").format(
        escape(
            "Les éléments des boîtes organisationnelles qui vous ont été adressés, que vous avez "
            "pris ou clos. Aucun délai de réponse n'est calculé par personne."
        ),
        lines,
    )
    return [PageSection(title="Boîtes organisationnelles", html=html, anchor="boites")]


@hookimpl
def extra_person_export(db, person_id):
    items = storage.items_of_person(db, person_id)
    if not items:
        return None
    keep = ("id", "source", "sender", "subject", "body", "received_at", "status", "outcome")
    rows = [{k: i[k] for k in keep} for i in items]
    answers = storage.answers_of_items(db, [i["id"] for i in items])
    rows += [
        {
            "reponse_a": a["item_id"],
            "auteur": a["author_label"],
            "texte": a["body"],
            "le": a["created_at"],
        }
        for a in answers
    ]
    return [
        ExportSection(
            "boites", "Messages aux boîtes organisationnelles", "persons.health.read", rows
        )
    ]


@hookimpl
def on_person_deleted(db, person_id):
    storage.delete_person_data(db, person_id)


@hookimpl
def persons_merged(access, kept_id, merged_id):
    storage.move_person(access.db, kept_id, merged_id)


@hookimpl
def on_demo_created(db):
    from virage.inboxes import demo

    return demo.create(db)

"""Built-in plugin: transmissions (care handovers in DAR format, traceable and secret)."""

from __future__ import annotations

from virage.access import permission
from virage.accounts.export import ExportSection
from virage.db import Migration
from virage.plugins import hookimpl
from virage.transmissions import hookspecs, merge_storage, policy_storage, storage
from virage.transmissions.targets import CORE_TARGETS, CORE_TEMPLATES, KINDS, PRIORITIES
from virage.web.nav import NavItem
from virage.web.sections import PageSection

#: Roles that take care of persons and write transmissions (health content: care team only).
TEAM_ROLES = ("coordinator", "nurse", "care_assistant", "social_worker", "home_help")

PERMISSIONS = (
    permission(
        "transmissions.read",
        "Lire les transmissions d'une personne (équipe de soins, coordination)",
        TEAM_ROLES,
        "care_team",
        without_team=["coordinator"],
        emergency=True,
    ),
    permission(
        "transmissions.write",
        "Écrire une transmission, ajouter un résultat, écrire une correction",
        TEAM_ROLES,
        "care_team",
        without_team=["coordinator"],
        emergency=True,
    ),
    permission(
        "transmissions.export",
        "Imprimer les transmissions d'une personne pour un transfert (hôpital…)",
        ["coordinator", "nurse"],
        "care_team",
        without_team=["coordinator"],
        emergency=True,
    ),
    permission(
        "transmissions.urgent.read",
        "Voir les transmissions urgentes que personne n'a encore lues",
        ["coordinator"],
    ),
)


@hookimpl
def register_hookspecs():
    return [hookspecs]


@hookimpl
def register_migrations():
    return [
        Migration("core", "0030_transmissions", storage.create_tables, "Transmissions ciblées"),
        Migration(
            "core",
            "0031_transmissions_integrity",
            storage.create_integrity_triggers,
            "Transmissions : immuables après le délai de correction",
        ),
        Migration(
            "core",
            "0032_transmissions_search",
            storage.create_search_index,
            "Transmissions : recherche plein texte",
        ),
        Migration(
            "core",
            "0033_transmissions_nomenclature",
            storage.seed_nomenclature,
            "Transmissions : cibles et modèles partagés",
        ),
        Migration(
            "core",
            "0092_row_security_transmissions",
            policy_storage.create_row_security,
            "Sécurité par ligne (PostgreSQL) : transmissions",
        ),
        Migration(
            "core",
            "0152_transmissions_merge",
            merge_storage.allow_merge,
            "Transmissions : suivent le dossier conservé lors d'une fusion de doublons",
        ),
    ]


@hookimpl
def register_permissions():
    return list(PERMISSIONS)


@hookimpl
def register_transmission_targets():
    return [*CORE_TARGETS, *CORE_TEMPLATES]


@hookimpl
def register_routes():
    from virage.transmissions import api, nomenclature_web, web, web_writing

    return [
        nomenclature_web.NomenclaturePages,
        web.TransmissionPages,
        web_writing.TransmissionWritingPages,
        api.TransmissionsController,
    ]


@hookimpl
def register_nav_items():
    return [NavItem("Transmissions", "/transmissions", order=30, permission="transmissions.read")]


@hookimpl
def register_commands(cli):
    from virage.transmissions import cli as transmissions_cli

    transmissions_cli.register(cli)


@hookimpl
def on_startup(app, db):
    from virage.transmissions import service

    service.sync_nomenclature(db, app.state.plugins)


@hookimpl
def extra_person_sections(access, person, person_ref):
    from virage.transmissions import service, web

    if not access.allowed("transmissions.read", person=person_ref):
        return None  # the secretariat, the direction: not even the section's title
    rows = service.timeline(access, person["id"], limit=5, view="dossier")
    can_write = (
        access.allowed("transmissions.write", person=person_ref) and person["status"] == "active"
    )
    html = web.render_fragment(
        "transmissions/_section.html", rows=rows, person_id=person["id"], can_write=can_write
    )
    actions = (
        (("Nouvelle transmission", f"/personnes/{person['id']}/transmissions/nouvelle"),)
        if can_write
        else ()
    )
    return [PageSection("Transmissions", html, "transmissions", order=20, actions=actions)]


@hookimpl
def extra_worker_records(db, user_id):
    from virage.transmissions import timefmt, web

    authored = storage.authored_by(db, user_id)
    for t in authored:
        t["written"] = timefmt.label(t["created_at"])
        t["priority_label"] = PRIORITIES.get(t["priority"], t["priority"])
    acknowledged = storage.acknowledged_by(db, user_id)
    for a in acknowledged:
        a["when"] = timefmt.label(a["at"])
    shift = storage.last_shift(db, user_id)
    html = web.render_fragment(
        "transmissions/_worker.html",
        counts=storage.counts_for_worker(db, user_id),
        authored=authored,
        acknowledged=acknowledged,
        shift=timefmt.label(shift) if shift else None,
        kinds=KINDS,
    )
    return [PageSection("Mes transmissions", html, "transmissions", order=30)]


@hookimpl
def extra_person_export(db, person_id):
    rows = storage.all_for_person(db, person_id)
    if not rows:
        return None
    # Health content under professional secrecy: the care team and the coordination only.
    return [
        ExportSection("transmissions", "Transmissions", "transmissions.read", rows),
        ExportSection(
            "prises_de_connaissance",
            "Prises de connaissance des transmissions",
            "transmissions.read",
            storage.acks_for_person(db, person_id),
        ),
    ]


@hookimpl
def on_person_deleted(db, person_id):
    storage.delete_for_person(db, person_id)


@hookimpl
def persons_merged(access, kept_id, merged_id):
    """The duplicate's transmissions (and their acknowledgements) follow the record kept."""
    merge_storage.move_person(access.db, kept_id, merged_id)


@hookimpl
def extra_plugin_info():
    return {
        "description": "Transmissions ciblées (DAR) : fil par personne, prise de poste, "
        "accusés de lecture, recherche, impression pour un transfert.",
        "documentation": "/docs/guides/transmissions/",
    }


@hookimpl
def register_audit_actions():
    # The network's nomenclature, managed from /administration/transmissions or the command line.
    return {
        "transmissions.nomenclature.manage": "Gestion des cibles et modèles de transmission",
        "transmissions.targets.updated": "Cible de transmission modifiée",
        "transmissions.templates.updated": "Modèle de transmission modifié",
        "transmissions.templates.retired": "Modèle de transmission retiré",
        "transmissions.templates.enabled": "Modèle de transmission remis",
    }

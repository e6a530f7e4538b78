"""Built-in plugin: a person's documents and photos (safe intake, files addressed by content,
« envoyer au siège »)."""

from __future__ import annotations

from markupsafe import Markup, escape

from virage.access import CARE_ROLES, permission
from virage.accounts.export import ExportSection
from virage.db import Migration
from virage.documents import hookspecs, storage
from virage.documents.kinds import AUDIT_LABELS
from virage.plugins import hookimpl
from virage.web.nav import NavItem
from virage.web.sections import PageSection

PERMISSIONS = (
    permission(
        "documents.read",
        "Lire les documents administratifs d'une personne (contrat, consentement, pièces)",
        ["director", "coordinator", "secretariat", *CARE_ROLES],
        "care_team",
        without_team=["director", "coordinator", "secretariat"],
        emergency=True,
    ),
    permission(
        "documents.write",
        "Ajouter un document administratif, le photographier, l'envoyer au siège, l'archiver",
        ["coordinator", "secretariat", *CARE_ROLES],
        "care_team",
        without_team=["coordinator", "secretariat"],
    ),
    permission(
        "documents.care.write",
        "Ajouter un document de soins (prescription, compte rendu, photo de plaie), l'archiver",
        ["coordinator", "nurse", "care_assistant"],
        "care_team",
        without_team=["coordinator"],
    ),
    permission(
        "documents.inbox",
        "Classer les documents envoyés au siège",
        ["director", "coordinator", "secretariat"],
    ),
)


@hookimpl
def register_hookspecs():
    return [hookspecs]


@hookimpl
def register_migrations():
    return [
        Migration(
            "core", "0160_documents", storage.create_tables, "Documents et photos des personnes"
        ),
        Migration(
            "core",
            "0161_row_security_documents",
            storage.create_row_security,
            "Sécurité par ligne (PostgreSQL) : documents des personnes",
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
    from virage.documents import api, web

    return [web.DocumentPages, web.InboxPages, api.DocumentsController]


@hookimpl
def register_nav_items():
    return [
        NavItem(
            "Documents à classer", "/documents/a-classer", order=46, permission="documents.inbox"
        )
    ]


@hookimpl
def register_commands(cli):
    from virage.documents import cli as documents_cli

    documents_cli.register(cli)


@hookimpl
def extra_person_sections(access, person, person_ref):
    if not access.allowed("documents.read", person=person_ref):
        return None
    pid = int(person["id"])
    html = Markup(
        '<p>{0} <a class="button" href="/personnes/{1}/documents">Ouvrir les documents</a></p>'
    ).format(
        escape(
            "Contrats, consentements, prescriptions, comptes rendus et photos de suivi, pris "
            "avec l'appareil photo de Virage (jamais dans la galerie)."
        ),
        escape(pid),
    )
    return [
        PageSection(
            "Documents",
            html,
            "documents",
            order=8,
            actions=(("Documents", f"/personnes/{pid}/documents"),),
        )
    ]


def _export_row(row: dict) -> dict:
    keep = ("id", "kind", "title", "document_date", "media_type", "size", "sha256", "series")
    return {
        **{k: row[k] for k in keep},
        "ajoute_par": row["added_by_label"],
        "ajoute_le": row["added_at"],
        "archive_le": row["archived_at"],
    }


@hookimpl
def extra_person_export(db, person_id):
    rows = storage.all_for_person(db, person_id)
    if not rows:
        return None
    admin = [_export_row(r) for r in rows if r["category"] == "admin"]
    care = [_export_row(r) for r in rows if r["category"] == "care"]
    sections = []
    if admin:
        sections.append(
            ExportSection("documents", "Documents administratifs", "documents.read", admin)
        )
    if care:
        sections.append(
            ExportSection(
                "documents_soins", "Documents de soins et photos", "persons.health.read", care
            )
        )
    return sections


@hookimpl
def on_person_deleted(db, person_id):
    # The files no row uses any more are removed by « virage documents verifier --nettoyer ».
    storage.delete_person_data(db, person_id)


@hookimpl
def persons_merged(access, kept_id, merged_id):
    storage.move_person(access.db, kept_id, merged_id)


@hookimpl
def dossier_fhir_resources(access, person_id):
    from virage.documents import fhir

    return fhir.resources(access, person_id)


@hookimpl
def dossier_fhir_import(access, person_id, resources):
    from virage.documents import fhir

    fhir.import_resources(access, person_id, resources)


@hookimpl
def extra_plugin_info():
    return {
        "description": "Documents et photos des personnes : dépôt contrôlé (type, taille, contenu "
        "actif, antivirus), photos sans métadonnées, suivi de plaie, envoi au siège.",
        "documentation": "/docs/guides/documents-et-photos/",
    }


@hookimpl
def on_demo_created(db, settings, plugins):
    from virage.documents import demo

    return demo.create(db, settings, plugins)


@hookimpl
def documents_blobs_in_use(db, limit):
    return storage.known_shas(db, limit)

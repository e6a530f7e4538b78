"""Built-in plugin: the entourage and the emergency liaison file (DLU)."""

from __future__ import annotations

from markupsafe import Markup, escape

from virage.accounts.export import ExportSection
from virage.db import Migration
from virage.entourage import storage
from virage.entourage.kinds import AUDIT_LABELS, HEALTH_KINDS
from virage.plugins import hookimpl
from virage.web.sections import PageSection


@hookimpl
def register_migrations():
    return [
        Migration(
            "core",
            "0145_entourage",
            storage.create_tables,
            "Entourage : personne de confiance, protection, proches, santé déclarée",
        ),
        Migration(
            "core",
            "0146_row_security_entourage",
            storage.create_row_security,
            "Sécurité par ligne (PostgreSQL) : entourage des personnes",
        ),
    ]


@hookimpl
def register_routes():
    from virage.entourage import api, web

    return [web.EntouragePages, api.EntourageController]


@hookimpl
def register_audit_actions():
    return AUDIT_LABELS


@hookimpl
def extra_person_sections(access, person, person_ref, plugins):
    """Links from the person's record: her entourage, and her DLU for the care team."""
    if not access.allowed("persons.identity.read", person=person_ref):
        return None
    pid = int(person["id"])
    links = [
        f'<a class="button secondary" href="/personnes/{pid}/entourage">'
        "Entourage et santé déclarée</a>"
    ]
    actions = []
    if access.allowed("persons.health.read", person=person_ref):
        links.append(
            f'<a class="button secondary" href="/personnes/{pid}/dlu">'
            "Dossier de liaison d'urgence (DLU)</a>"
        )
    html = Markup(
        "<p>{}</p><p>{}</p>".format(
            escape(
                "Personne de confiance, mesure de protection, proches et ce qu'ils peuvent "
                "savoir ; pour l'équipe de soins : directives anticipées, allergies et "
                "traitements déclarés."
            ),
            Markup(" ").join(Markup(link) for link in links),
        )
    )
    return [
        PageSection(
            title="Entourage", html=html, anchor="entourage", order=15, actions=tuple(actions)
        )
    ]


@hookimpl
def extra_person_export(db, person_id):
    rows = storage.all_for_person(db, person_id)
    if not rows:
        return None
    keep = (*storage.FIELDS, "recorded_by_label", "recorded_at")
    social = [{k: r[k] for k in keep} for r in rows if r["kind"] not in HEALTH_KINDS]
    health = [{k: r[k] for k in keep} for r in rows if r["kind"] in HEALTH_KINDS]
    sections = []
    if social:
        sections.append(ExportSection("entourage", "Entourage", "persons.identity.read", social))
    if health:
        sections.append(
            ExportSection(
                "sante_declaree",
                "Santé déclarée (directives anticipées, allergies, traitements)",
                "persons.health.read",
                health,
            )
        )
    return sections


@hookimpl
def on_person_deleted(db, person_id):
    storage.delete_person_data(db, person_id)


@hookimpl
def persons_merged(access, kept_id, merged_id):
    """The duplicate's entourage and declared health follow the record kept (a second trusted
    person, if both had one, shows on the page: the professional removes the stale one)."""
    storage.move_person(access.db, kept_id, merged_id)


@hookimpl
def dossier_sections(access, person_id):
    from virage.entourage import dossier_sections as sections

    return sections.sections(access, person_id)


@hookimpl
def dossier_fhir_resources(access, person_id):
    from virage.entourage import fhir

    return fhir.resources(access, person_id)


@hookimpl
def dossier_fhir_import(access, person_id, resources):
    from virage.entourage import fhir

    fhir.import_resources(access, person_id, resources)


@hookimpl
def on_demo_created(db):
    from virage.entourage import demo

    return demo.create(db)

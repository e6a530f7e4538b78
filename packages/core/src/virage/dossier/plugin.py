"""Built-in plugin: the person's file (support plan, assessments, FHIR export and import)."""

from __future__ import annotations

from virage.access import permission
from virage.accounts.export import ExportSection
from virage.db import Migration
from virage.dossier import hookspecs, storage
from virage.dossier.questionnaires import BUILTIN
from virage.plugins import hookimpl
from virage.web.nav import NavItem
from virage.web.sections import PageSection

CARE = ("coordinator", "nurse", "care_assistant", "social_worker", "home_help")

PERMISSIONS = (
    permission(
        "dossier.plan.read",
        "Lire le projet personnalisé d'une personne (les objectifs de soins : équipe de soins)",
        ["director", *CARE],
        "care_team",
        without_team=["director", "coordinator"],
        emergency=True,
    ),
    permission(
        "dossier.plan.write",
        "Écrire une nouvelle version du projet personnalisé, y rattacher une transmission",
        ["coordinator", "nurse", "social_worker"],
        "care_team",
        without_team=["coordinator"],
    ),
    permission(
        "dossier.assessments.read",
        "Lire les évaluations d'une personne (AGGIR, risque de chute, questionnaires)",
        ["director", *CARE],
        "care_team",
        without_team=["coordinator"],
        emergency=True,
    ),
    permission(
        "dossier.assessments.write",
        "Remplir une évaluation (AGGIR, risque de chute, questionnaires)",
        ["coordinator", "nurse", "care_assistant"],
        "care_team",
        without_team=["coordinator"],
    ),
    permission(
        "dossier.reviews.read",
        "Voir les projets personnalisés à réviser dans la structure",
        ["director", "coordinator"],
    ),
    permission(
        "dossier.export",
        "Exporter le dossier complet d'une personne, ou de toute la structure (FHIR)",
        ["coordinator"],
        "care_team",
        without_team=["coordinator"],
    ),
    permission(
        "dossier.export.structure",
        "Exporter les dossiers de toute la structure (FHIR), pour la quitter avec eux",
        ["coordinator"],
    ),
    permission(
        "dossier.import",
        "Importer des dossiers venant d'une autre instance (FHIR)",
        ["coordinator"],
    ),
)


@hookimpl
def register_hookspecs():
    return [hookspecs]


@hookimpl
def register_migrations():
    return [
        Migration("core", "0140_dossier", storage.create_tables, "Dossier : projet et évaluations"),
        Migration(
            "core",
            "0141_row_security_dossier",
            storage.create_row_security,
            "Sécurité par ligne (PostgreSQL) : dossier de la personne",
        ),
    ]


@hookimpl
def register_permissions():
    return list(PERMISSIONS)


@hookimpl
def register_questionnaires():
    return list(BUILTIN)


@hookimpl
def register_routes():
    from virage.dossier import api, web, web_forms

    return [
        web.DossierPages,
        web_forms.DossierForms,
        api.DossierController,
        api.StructureFilesController,
    ]


@hookimpl
def register_nav_items():
    return [
        NavItem(
            "Révisions à prévoir", "/dossier/revisions", order=45, permission="dossier.reviews.read"
        )
    ]


@hookimpl
def register_commands(cli):
    from virage.dossier import cli as dossier_cli

    dossier_cli.register(cli)


@hookimpl
def extra_person_sections(access, person, person_ref):
    from markupsafe import Markup, escape

    pid = person["id"]
    html = Markup(
        '<p>Projet personnalisé, évaluations et tout le dossier : <a class="button" '
        'href="/personnes/{0}/dossier">Ouvrir le dossier</a></p>'
    ).format(escape(pid))
    return [
        PageSection(
            "Dossier", html, "dossier", order=5, actions=(("Dossier", f"/personnes/{pid}/dossier"),)
        )
    ]


@hookimpl
def extra_person_export(db, person_id):
    data = storage.all_for_person(db, person_id)
    if not any(data.values()):
        return None
    general = [o for o in data["objectives"] if not o["care"]]
    care = [o for o in data["objectives"] if o["care"]]
    return [
        ExportSection(
            "projets", "Projet personnalisé (versions)", "dossier.plan.read", data["plans"]
        ),
        ExportSection(
            "objectifs", "Objectifs du projet personnalisé", "dossier.plan.read", general
        ),
        ExportSection("objectifs_soins", "Objectifs de soins", "persons.health.read", care),
        ExportSection(
            "objectifs_transmissions",
            "Transmissions rattachées aux objectifs",
            "transmissions.read",
            data["links"],
        ),
        ExportSection(
            "evaluations", "Évaluations", "dossier.assessments.read", data["assessments"]
        ),
    ]


@hookimpl
def on_person_deleted(db, person_id):
    storage.delete_for_person(db, person_id)


@hookimpl
def persons_merged(access, kept_id, merged_id):
    """The duplicate's plans (its current one superseded if the kept record has one), objective
    links and assessments follow the record kept."""
    from virage.dossier import merge_storage

    merge_storage.move_person(access.db, kept_id, merged_id)


@hookimpl
def on_demo_created(db):
    from virage.dossier import demo

    return demo.create(db)


@hookimpl
def extra_plugin_info():
    return {
        "description": "Dossier de la personne : projet personnalisé (versions, révisions), "
        "grille AGGIR et GIR, risque de chute, questionnaires, export et import FHIR.",
        "documentation": "/docs/guides/dossier-de-la-personne/",
    }


@hookimpl
def register_audit_actions():
    return {
        "dossier.read": "Dossier de la personne consulté",
        "dossier.plan.read": "Projet personnalisé consulté",
        "dossier.plan.write": "Projet personnalisé : écriture demandée",
        "dossier.plan.written": "Projet personnalisé : nouvelle version",
        "dossier.objective.link": "Transmission rattachée à un objectif du projet",
        "dossier.assessments.read": "Évaluations consultées",
        "dossier.assessment.record": "Évaluation enregistrée",
        "dossier.reviews.read": "Révisions de projets à prévoir consultées",
        "dossier.export": "Dossier exporté (FHIR)",
        "dossier.export.structure": "Dossiers de la structure exportés (FHIR)",
        "dossier.import": "Dossiers importés (FHIR)",
    }

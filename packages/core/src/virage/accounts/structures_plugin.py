"""Built-in plugin: the administration of structures (pages, migrations) and the hook by which
domains and plugins add their part to « Réglages de la structure »."""

from __future__ import annotations

from virage.accounts import (
    settings_hookspecs,
    structure_admin_storage,
    structure_admin_web,
    structure_sections,
)
from virage.db import Migration
from virage.plugins import hookimpl

#: The accounts domain's own section of the settings (conservation of records).
structure_settings_sections = structure_sections.structure_settings_sections


@hookimpl
def register_hookspecs():
    return [settings_hookspecs]


@hookimpl
def register_migrations():
    return [
        Migration(
            "core",
            "0105_structures_admin",
            structure_admin_storage.add_admin_columns,
            "Structures : lien avec l'annuaire (FINESS), date de fermeture",
        ),
    ]


@hookimpl
def register_routes():
    return [structure_admin_web.AdministrationPages, structure_admin_web.StructureHomePage]


@hookimpl
def register_audit_actions():
    return {
        "structures.admin.read": "Administration d'une structure : consultation",
        "structures.create": "Création d'une structure",
        "structures.created": "Structure créée",
        "structures.update": "Description d'une structure",
        "structures.updated": "Description de la structure modifiée",
        "structures.link.search": "Recherche de la fiche de la structure dans l'annuaire",
        "structures.link": "Lien de la structure avec l'annuaire",
        "structures.linked": "Structure reliée à sa fiche de l'annuaire",
        "structures.unlinked": "Lien de la structure avec l'annuaire retiré",
        "structures.close": "Fermeture d'une structure",
        "structures.closed": "Structure fermée (membres sans accès, jetons révoqués)",
        "structures.reopen": "Réouverture d'une structure",
        "structures.reopened": "Structure rouverte",
        "structures.settings.section": "Réglages de la structure enregistrés (une partie)",
    }

"""Built-in plugin: the directory (annuaire) of structures and professionals."""

from __future__ import annotations

from virage.access import ROLES, permission
from virage.db import Migration
from virage.directory import (
    api,
    corrections_web,
    fhir_api,
    hookspecs,
    schema,
    storage,
    web,
)
from virage.plugins import hookimpl
from virage.web.nav import NavItem

#: Directory content is professional registry data (FINESS, RPPS): every role reads it; only the
#: network administration imports registries and edits the network's own fields.
PERMISSIONS = [
    permission(
        "directory.read",
        "Consulter l'annuaire des structures et des professionnels",
        list(ROLES),
        personal_data=False,
    ),
    permission(
        "directory.manage",
        "Compléter les fiches de l'annuaire (places, spécialités, zone d'intervention)",
        [],
        "network",
        personal_data=False,
    ),
    permission(
        "directory.import",
        "Importer un registre national (FINESS…) et voir l'historique des imports",
        [],
        "network",
        personal_data=False,
    ),
]


@hookimpl
def register_hookspecs():
    return [hookspecs]


@hookimpl
def register_migrations():
    return [
        Migration(
            "core",
            "0010_directory",
            storage.create_tables,
            "Annuaire : structures, professionnels, rôles, communes, imports",
        ),
        Migration(
            "core",
            "0011_directory_search",
            storage.create_search_index,
            "Annuaire : index de recherche plein texte (FTS5)",
        ),
        Migration(
            "core",
            "0012_directory_search_contentless",
            schema.rebuild_search_index,
            "Annuaire : index de recherche sans contenu, avec les filtres (recherche plus rapide)",
        ),
        Migration(
            "core",
            "0013_directory_corrections",
            schema.create_corrections_tables,
            "Annuaire : signalements d'erreurs sur les fiches et leur examen par le réseau",
        ),
    ]


@hookimpl
def register_permissions():
    return PERMISSIONS


@hookimpl
def register_routes():
    return [
        web.DirectoryPages,
        api.DirectoryController,
        fhir_api.FhirMetadataController,
        fhir_api.FhirController,
        corrections_web.CorrectionPages,
        corrections_web.CorrectionController,
    ]


@hookimpl
def register_nav_items():
    # Every role reads the directory; the network administration imports it.
    return [
        NavItem(
            "Annuaire", "/annuaire", order=70, permission=("directory.read", "directory.import")
        )
    ]


@hookimpl
def register_commands(cli):
    from virage.directory import cli as directory_cli

    directory_cli.register(cli)


@hookimpl
def extra_plugin_info():
    return {"description": "Annuaire des structures et des professionnels (FINESS, RPPS)."}

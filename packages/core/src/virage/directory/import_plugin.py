"""Built-in plugin: registry imports from the browser (``/administration/annuaire/import``)."""

from __future__ import annotations

from virage.directory import import_web
from virage.plugins import hookimpl


@hookimpl
def register_routes():
    return [import_web.DirectoryImportPages]


@hookimpl
def register_audit_actions():
    return {
        "directory.import.form": "Annuaire : formulaire d'import",
        "directory.import.start": "Annuaire : envoi d'un fichier à importer",
        "directory.import.started": "Annuaire : import lancé depuis le navigateur",
        "directory.import.progress": "Annuaire : suivi d'un import",
    }

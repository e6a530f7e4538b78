"""Built-in plugin: registry imports from the browser (``/administration/annuaire/import``)."""

from __future__ import annotations

from virage.directory import import_web
from virage.plugins import hookimpl


@hookimpl
def register_routes():
    return [import_web.DirectoryImportPages]

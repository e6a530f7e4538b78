"""Built-in plugin: the structure's shared library (folders, versions, search, « à emporter »)."""

from __future__ import annotations

from virage.access import ALL, permission
from virage.db import Migration
from virage.library import storage
from virage.plugins import hookimpl
from virage.web.nav import NavItem

PERMISSIONS = (
    permission(
        "library.read",
        "Lire la bibliothèque de la structure (procédures, protocoles, formulaires)",
        ALL,
        personal_data=False,
    ),
    permission(
        "library.write",
        "Ranger la bibliothèque de la structure : dossiers, documents, nouvelles versions, "
        "documents à emporter",
        ["director", "coordinator", "secretariat"],
        personal_data=False,
    ),
)

AUDIT_LABELS: dict[str, str] = {
    "library.folder.added": "Bibliothèque : dossier créé",
    "library.document.added": "Bibliothèque : document ajouté",
    "library.version.added": "Bibliothèque : nouvelle version d'un document",
    "library.document.updated": "Bibliothèque : document renommé ou marqué « à emporter »",
}


@hookimpl
def register_migrations():
    return [
        Migration(
            "core",
            "0165_library",
            storage.create_tables,
            "Bibliothèque de la structure : dossiers, documents, versions",
        ),
        Migration(
            "core",
            "0166_row_security_library",
            storage.create_row_security,
            "Sécurité par ligne (PostgreSQL) : bibliothèque de la structure",
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
    from virage.library import api, web

    return [web.LibraryPages, api.LibraryController]


@hookimpl
def register_nav_items():
    return [NavItem("Bibliothèque", "/bibliotheque", order=45, permission="library.read")]


@hookimpl
def on_demo_created(db, settings, plugins):
    from virage.library import demo

    return demo.create(db, settings, plugins)


@hookimpl
def documents_blobs_in_use(db, limit):
    """The library's files live in the documents' blob store: name them, so that they are
    checked and never cleaned as orphans."""
    from virage.library import storage

    return storage.known_shas(db, limit)

"""Built-in plugin: system pages and endpoints (home, health, plugin listing, docs fallback)."""

from __future__ import annotations

from virage.db import Migration
from virage.plugins import hookimpl
from virage.settings import Settings
from virage.system import controllers, storage
from virage.web.nav import NavItem
from virage.web.offline import OfflineApp


@hookimpl
def register_migrations():
    return [
        Migration(
            "core", "0001_instance", storage.create_instance_table, "Informations sur l'instance"
        ),
    ]


@hookimpl
def register_routes(settings: Settings):
    routes = [
        controllers.SystemController,
        controllers.PluginsController,
        controllers.PagesController,
        OfflineApp,
    ]
    if not (settings.docs_dir and (settings.docs_dir / "index.html").is_file()):
        routes.append(controllers.docs_missing)
    return routes


@hookimpl
def register_nav_items():
    return [
        # « Accueil » is the brand link of the header; the API's reference is in the footer for
        # everyone, in the menu for who manages tokens.
        # The administration pages (structures, accounts, settings): the network administration,
        # and a director for her own structures.
        NavItem(
            "Administration",
            "/administration",
            order=5,
            permission=("structures.manage", "structures.settings"),
        ),
        NavItem("API", "/schema/", order=900, permission=("tokens.manage", "structures.manage")),
        NavItem("Documentation", "/docs/", order=910, public=True),
    ]


@hookimpl
def extra_plugin_info():
    return {"description": "Pages système, santé du service et liste des plugins."}

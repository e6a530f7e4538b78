"""The application factory: ``create_app(settings) -> Litestar``."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from litestar import Litestar, Request
from litestar.config.app import AppConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.logging import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.plugins import InitPluginProtocol
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template import TemplateConfig

from virage import __version__
from virage.access import Registry
from virage.accounts.auth import AuthMiddleware
from virage.accounts.context import AccessContext
from virage.audit.labels import action_labels
from virage.db import ConnectionPool, Database, migrate
from virage.errors import exception_handlers
from virage.groupcommit import GroupCommitMiddleware
from virage.plugins import PluginFailure, PluginHost
from virage.settings import Settings
from virage.web.api_ui import SwaggerPage
from virage.web.delivery import configure_delivery
from virage.web.nav import NavItem, sort_nav, split_for_phone, visible_nav
from virage.web.openapi import DocumentedErrorsJsonPlugin
from virage.web.request import VirageRequest
from virage.web.templating import FILTERS, GLOBALS

log = logging.getLogger("virage")

WEB_DIR = Path(__file__).parent / "web"


class VirageLitestarPlugin(InitPluginProtocol):
    """Bridges the pluggy hooks into Litestar: routes, templates, dependencies, start-up."""

    def __init__(self, settings: Settings, plugins: PluginHost, pool: ConnectionPool) -> None:
        self.settings = settings
        self.plugins = plugins
        self.pool = pool
        self.registry = build_registry(plugins)

    def _access(self, request: Request) -> AccessContext:
        return AccessContext(
            self.pool.get(),
            self.registry,
            request.scope.get("user"),
            route=f"{request.method} {request.url.path}",
            plugins=self.plugins,
        )

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        settings, plugins = self.settings, self.plugins

        # Routes of the core and of every plugin.
        app_config.route_handlers.extend(plugins.call_flat("register_routes", settings=settings))
        docs_available = bool(settings.docs_dir and (settings.docs_dir / "index.html").is_file())
        # Static files and docs, security and caching headers, compression (virage.web.delivery).
        configure_delivery(app_config, docs_dir=settings.docs_dir if docs_available else None)

        # Templates: the core's first (they win), then the plugins'.
        template_dirs = [WEB_DIR / "templates", *plugins.call_flat("register_template_dirs")]
        env = Environment(
            loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs]),
            autoescape=select_autoescape(default=True, default_for_string=True),
        )
        nav: list[NavItem] = sort_nav(plugins.call_flat("register_nav_items", settings=settings))
        env.filters.update(FILTERS)
        env.globals.update(GLOBALS)
        env.globals.update(
            nav_items=nav,
            # {% set nav = main_nav(actor) %}: the entries this reader sees (virage.web.nav).
            main_nav=lambda actor: split_for_phone(visible_nav(nav, self.registry, actor)),
            virage_version=__version__,
            docs_available=docs_available,
            # Core and plugin-declared labels (register_audit_actions), as the journal shows them.
            action_label=action_labels(plugins, self.registry).label,
        )
        app_config.template_config = TemplateConfig(
            instance=JinjaTemplateEngine.from_environment(env)
        )

        app_config.dependencies.update(
            {
                "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
                "plugins": Provide(lambda: plugins, use_cache=True, sync_to_thread=False),
                "db": Provide(self.pool.get, sync_to_thread=False),
                "access": Provide(self._access, sync_to_thread=False),
                "registry": Provide(lambda: self.registry, use_cache=True, sync_to_thread=False),
            }
        )
        # Outermost: the request's audit entries are durable before its answer starts.
        app_config.middleware.insert(0, GroupCommitMiddleware())
        app_config.middleware.append(AuthMiddleware())
        app_config.exception_handlers.update(exception_handlers())
        app_config.on_startup.append(self._startup)
        app_config.on_shutdown.append(lambda: self.pool.close())
        app_config.state.update({"settings": settings, "plugins": plugins, "pool": self.pool})
        return app_config

    async def _startup(self, app: Litestar) -> None:
        await self.plugins.acall("on_startup", app=app, settings=self.settings, db=self.pool.get())
        for failure in self.plugins.failures:
            log.warning(
                "Plugin en erreur : %s (%s) — %s", failure.plugin, failure.stage, failure.error
            )


def build_registry(plugins: PluginHost) -> Registry:
    """The permissions declared by the core and the plugins (hook ``register_permissions``)."""
    registry = Registry([])
    for plugin_name, perm in plugins.call_per_plugin("register_permissions"):
        try:
            registry.add(perm)
        except ValueError as exc:
            plugins.failures.append(PluginFailure(plugin_name, "register_permissions", str(exc)))
    return registry


def collect_migrations(plugins: PluginHost):
    """Every migration of the core and the plugins, in the order they must run.

    The core's built-in domains share the ``core`` namespace and number their steps
    (``0002_accounts``, ``0010_directory``…): they run in that order, before any plugin's. A plugin's
    steps run in the order the plugin lists them.
    """
    migrations = plugins.call_flat("register_migrations")
    core = sorted((m for m in migrations if m.namespace == "core"), key=lambda m: m.name)
    return core + [m for m in migrations if m.namespace != "core"]


def prepare_database(settings: Settings, plugins: PluginHost) -> Database:
    """Open the database and apply pending migrations (used by the app and the CLI)."""
    from virage.db import connect

    db = connect(settings.database)
    migrate(db, collect_migrations(plugins))
    return db


def create_app(
    settings: Settings | None = None,
    *,
    plugins: Iterable[Any] = (),
    debug: bool | None = None,
) -> Litestar:
    """Build the Virage web application.

    :param settings: configuration; read from ``VIRAGE_*`` environment variables when omitted.
    :param plugins: extra plugin objects to register (tests use this), besides installed ones.
    """
    settings = settings or Settings.from_env()
    host = PluginHost(settings, extra_plugins=plugins)
    db = prepare_database(settings, host)
    db.close()
    pool = ConnectionPool(settings.database, settings.db_pool_size)
    openapi = OpenAPIConfig(
        title="API Virage",
        version=__version__,
        description=(
            "API JSON de Virage : agenda partagé, transmissions, annuaire et plugins. "
            "Les données personnelles ne sont accessibles qu'avec un jeton porteur (Bearer) "
            "rattaché à une structure."
        ),
        path="/schema",
        render_plugins=[
            SwaggerPage(path="/"),
            DocumentedErrorsJsonPlugin(path="/openapi.json"),
        ],
    )
    return Litestar(
        route_handlers=[],
        plugins=[VirageLitestarPlugin(settings, host, pool)],
        openapi_config=openapi,
        logging_config=LoggingConfig(
            root={"level": "INFO", "handlers": ["queue_listener"]},
            log_exceptions="debug" if not settings.debug else "always",
        ),
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="virage_csrf",
            cookie_samesite="lax",
            cookie_httponly=True,
            # The API authenticates with bearer tokens only (cookies are ignored there).
            exclude=["^/api/", "^/schema"],
        ),
        debug=settings.debug if debug is None else debug,
        request_class=VirageRequest,
        state=State({}),
    )


def get_plugins(request: Request) -> PluginHost:
    return request.app.state.plugins

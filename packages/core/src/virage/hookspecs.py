"""The hook specifications of Virage: what a plugin can contribute and react to.

Hook names tell what they do (like datasette's):

- ``register_*`` contribute things (routes, migrations, commands, navigation items, templates);
- ``extra_*`` add to a page or a payload;
- ``on_*`` react to an event.

Implement a hook with ``@hookimpl`` from :mod:`virage.plugins` (or ``pluggy.HookimplMarker("virage")``).
An implementation may accept only some of the hook's arguments: new arguments can be added later
without breaking it. It may return a value, a callable returning the value, or an awaitable.
Hooks must not raise: Virage calls each plugin separately, and a plugin that raises is disabled for
that call, reported in the plugin listing and the logs, and the core keeps serving.

The built-in features of Virage (system pages, API, accounts, agenda…) are registered through these
same hooks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    from litestar import Litestar
    from litestar.types import ControllerRouterHandler
    from sqlite_utils import Database

    from virage.access import Permission
    from virage.accounts.context import AccessContext
    from virage.db import Migration
    from virage.settings import Settings
    from virage.web.nav import NavItem
    from virage.web.sections import PageSection

hookspec = pluggy.HookspecMarker("virage")

# --------------------------------------------------------------------------- set-up phase


@hookspec
def register_migrations() -> Sequence[Migration]:
    """Contribute database migrations.

    Return a list of :class:`virage.db.Migration`, in the order they must run. Each has a
    ``namespace`` (your plugin's name) and a ``name`` that never changes once released. Virage
    applies pending migrations at start-up and with ``virage db migrate``, each in a transaction,
    and records them in the ``_migrations`` table.

    Called once for every plugin, at start-up and by ``virage db migrate``.
    """


@hookspec
def register_routes(settings: Settings) -> Sequence[ControllerRouterHandler]:
    """Contribute HTTP routes: Litestar controllers, routers or route handlers.

    :param settings: the instance's :class:`virage.settings.Settings`.

    Return a list of Litestar ``Controller`` classes, ``Router`` objects or handler functions.
    JSON endpoints go under ``/api/v1/<your-plugin>/``; HTML pages under ``/<your-plugin>/``.
    Handlers can ask for the dependencies ``settings``, ``db`` (a ``sqlite_utils.Database``)
    and ``plugins`` (the :class:`virage.plugins.PluginHost`).

    Called once for every plugin, when the application is built.
    """


@hookspec
def register_template_dirs() -> Sequence[Path]:
    """Contribute folders of Jinja templates.

    Return a list of folders. Templates there can extend ``"base.html"`` (the French, mobile-first
    layout with the navigation). Name your templates ``<your-plugin>/….html`` to avoid clashes:
    the core's templates win over a plugin's of the same name.

    Called once for every plugin, when the application is built.
    """


@hookspec
def register_nav_items(settings: Settings) -> Sequence[NavItem]:
    """Contribute entries to the main navigation of the web interface.

    :param settings: the instance's :class:`virage.settings.Settings`.

    Return a list of :class:`virage.web.nav.NavItem` (label in French, ``href``, ``order``).
    Items are sorted by ``order`` (core items use multiples of 10) then by label.

    Called once for every plugin, when the application is built.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``virage`` command line.

    :param cli: the root ``click.Group``; add commands or groups with ``cli.command()`` /
        ``cli.add_command()``.

    Errors in your command should be raised as ``click.ClickException`` (or
    :class:`virage.errors.VirageError`) with a French message: Virage prints it on one line, without
    a traceback.

    Called once for every plugin, when the command line starts.
    """


@hookspec
def register_permissions() -> Sequence[Permission]:
    """Declare the permissions your plugin checks, and which roles hold them.

    Return a list of :class:`virage.access.Permission` (build them with
    :func:`virage.access.permission`). Name them ``"<your-plugin>.<action>"``. Then check them in
    your handlers through the ``access`` dependency (:class:`virage.accounts.context.AccessContext`):
    ``access.require("<your-plugin>.<action>", person_id=...)`` decides with the core's rules
    (structure, role, care team, emergency access) and writes the audit entry. Never re-implement
    an access rule in a plugin.

    Called once for every plugin, when the application or the command line is built.
    """


# --------------------------------------------------------------------------- running phase


@hookspec
def on_startup(app: Litestar, settings: Settings, db: Database) -> None:
    """React to the start-up of the web application, after migrations.

    :param app: the Litestar application.
    :param settings: the instance's :class:`virage.settings.Settings`.
    :param db: a database connection for the start-up work.

    May return an awaitable. An exception is reported and the application starts anyway.

    Called once for every plugin, each time the web application starts.
    """


@hookspec
def on_demo_created(db: Database, settings: Settings, seed: int) -> Sequence[str] | None:
    """Fill a freshly created demo database with your plugin's fictitious data.

    :param db: the demo database, already migrated, with the core's demo territory.
    :param settings: the instance's :class:`virage.settings.Settings`.
    :param seed: the seed of the demo: derive any randomness from it so the demo is reproducible.

    May return lines (French) to print to the person who runs the demo, such as demo logins.
    Demo data must be fictitious: never copy real persons' data into it.

    Called once for every plugin by ``virage demo``, after the core has created its own demo data.
    """


@hookspec
def extra_person_sections(
    access: AccessContext, person: dict[str, Any]
) -> Sequence[PageSection] | None:
    """Add sections to a person's record page (agenda, transmissions, a plugin's data…).

    :param access: the access model for the current request: check your own permissions with
        ``access.allowed(…)`` / ``access.require(…)`` (the latter audits the read) before showing
        anything personal.
    :param person: the person's row as the viewer may see it (``health_notes`` is ``None`` when the
        viewer may not read health content).

    Return a list of :class:`virage.web.sections.PageSection`, or ``None`` to add nothing.

    Called for every plugin each time a person's record page is rendered.
    """


@hookspec
def extra_worker_records(db: Database, user_id: int) -> Sequence[PageSection] | None:
    """Show on "Ce qui est enregistré sur moi" what your plugin records about a worker.

    :param db: the database.
    :param user_id: the worker viewing their own records.

    Anything your plugin stores about a worker (check-ins, acknowledgements, authored items…) must
    appear here: workers see everything recorded about them, and nothing else is recorded.
    Return a list of :class:`virage.web.sections.PageSection`, or ``None``.

    Called for every plugin each time a worker opens the page.
    """


@hookspec
def extra_person_export(db: Database, person_id: int) -> dict[str, Any] | list[Any] | None:
    """Add what your plugin stores about a person to their RGPD export.

    :param db: the database.
    :param person_id: the person whose data is exported.

    Return JSON-compatible data (it appears under your plugin's name in ``autres_donnees``), or
    ``None`` when you store nothing about this person. The export is already authorised and audited
    by the core.

    Called for every plugin each time a person's data is exported.
    """


@hookspec
def on_person_deleted(db: Database, person_id: int) -> None:
    """Delete what your plugin stores about a person whose record reached its retention limit.

    :param db: the database, inside the transaction that deletes the person.
    :param person_id: the person being deleted.

    Raise nothing: an exception is reported and the deletion of that person goes on. Keep audit
    entries: they are never deleted.

    Called for every plugin by ``virage persons purge``, before the person's row is deleted.
    """


@hookspec
def extra_plugin_info() -> dict[str, Any]:
    """Add details about your plugin to its entry in ``virage plugins`` and ``/api/v1/plugins``.

    Return a small JSON-compatible dict (for example a description or a documentation link).

    Called for every plugin each time the plugin listing is built.
    """

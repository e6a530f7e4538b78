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

    from virage.access import Permission
    from virage.db import Database, Migration
    from virage.plugins import PluginHost
    from virage.settings import Settings
    from virage.web.nav import NavItem

hookspec = pluggy.HookspecMarker("virage")

# --------------------------------------------------------------------------- set-up phase


@hookspec
def register_hookspecs() -> Sequence[object]:
    """Declare the hooks your domain or plugin defines, so that other plugins can implement them.

    Return the modules (or classes) holding your ``@hookspec`` functions, marked with
    ``pluggy.HookspecMarker("virage")`` (:data:`virage.sdk.hookspec`). Every hookspec is typed
    and documented like those of the core: its docstring says what each argument is, what to
    return and when it is called.

    Called once for every plugin when the plugin manager is built, after every plugin is
    registered: hooks are owned by who defines them, and nobody adds specs later.
    """


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
    Handlers can ask for the dependencies ``settings``, ``db`` (a ``Database``)
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
    Items are sorted by ``order`` (core items use multiples of 5) then by label.

    Say who uses the entry (SDK 1.4): ``permission="<your-plugin>.<action>"`` (or a tuple of
    names: any of them) shows it only to a person holding that permission in one of her
    structures (a ``"network"`` permission: to the network administration); ``roles=(...)`` to
    who holds one of those roles; ``public=True`` also to anonymous visitors. An item with none
    of them is shown to every signed-in person, as before 1.4. Hiding an entry is comfort, not
    security: the page behind it checks access with ``access.require`` all the same.

    On a phone, the first four entries a person sees stay in the strip and the others go behind
    « Plus »: give a low ``order`` only to what the field uses all day.

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
def on_database_copied(db: Database) -> None:
    """Rebuild what the target engine derives from your tables, after ``virage db copy``.

    :param db: the new database, every table copied, inside the copy's transaction (write with
        ``db.execute``; do not commit).

    The copy moves tables of data only; an index an engine keeps apart from them (SQLite's FTS5
    tables, for instance) is left empty: fill it here from the copied tables. The copy is then
    checked table by table.

    Called once for every plugin, at the end of each copy.
    """


@hookspec
def on_demo_created(
    db: Database, settings: Settings, seed: int, plugins: PluginHost
) -> Sequence[str] | None:
    """Fill a freshly created demo database with your plugin's fictitious data.

    :param db: the demo database, already migrated. The demo territory (package
        ``virage-demo-territory``, ``examples/demo-territory/``) answers first, so the other
        plugins find its structures, users and persons in the database: read them by name.
    :param settings: the instance's :class:`virage.settings.Settings`.
    :param seed: the seed of the demo: derive any randomness from it so the demo is reproducible.
    :param plugins: the :class:`virage.plugins.PluginHost` of the run (which plugins are loaded).

    May return lines (French) to print to the person who runs the demo, such as demo logins.
    Demo data must be fictitious: never copy real persons' data into it.

    Called once for every plugin by ``virage demo``, on a new demo database.
    """


@hookspec
def extra_plugin_info() -> dict[str, Any]:
    """Add details about your plugin to its entry in ``virage plugins`` and ``/api/v1/plugins``.

    Return a small JSON-compatible dict (for example a description or a documentation link).

    Called for every plugin each time the plugin listing is built.
    """

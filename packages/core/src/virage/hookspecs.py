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

    from virage.access import Actor, Permission
    from virage.accounts.context import AccessContext
    from virage.accounts.export import ExportSection
    from virage.agenda.kinds import AppointmentKind
    from virage.db import Database, Migration
    from virage.directory.sources import DirectorySource
    from virage.plugins import PluginHost
    from virage.settings import Settings
    from virage.transmissions.targets import TransmissionTarget, TransmissionTemplate
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


@hookspec
def register_directory_sources() -> Sequence[DirectorySource]:
    """Contribute national registries that can feed the directory (FINESS, RPPS…).

    Return a list of :class:`virage.directory.sources.DirectorySource`: a ``name`` (used by
    ``virage import <name> PATH``), a French ``label``, the ``formats`` it reads
    (:class:`virage.directory.sources.SourceFormat`) and an ``importer`` following
    :class:`virage.directory.sources.DirectoryImporter`: ``detect(path, head)`` names the format
    of a file, ``read(path, fmt, progress)`` streams its records. The importer only reads: the
    core validates the records, upserts them in one transaction, closes what a complete extract
    no longer lists, and writes the report, the history and the audit entry.

    Called when the command line lists or runs ``virage import``, and when the directory pages
    show the sources and their last import.
    """


@hookspec
def register_appointment_kinds() -> Sequence[AppointmentKind]:
    """Contribute kinds of appointments to the shared agenda (teleconsultation, group session…).

    Return a list of :class:`virage.agenda.kinds.AppointmentKind`: a stable ``name`` (prefix it
    with your plugin's name), a French ``label``, the default place and duration, whether it
    ``blocks`` the professional's time (conflicts, free slots) and whether a person is required.
    The core's own kinds (home visit, appointment at the structure, meeting, on-call duty) are
    declared through this same hook. A name already taken is reported and ignored.

    Called once for every plugin, the first time the agenda needs its kinds.
    """


@hookspec
def register_transmission_targets() -> Sequence[TransmissionTarget | TransmissionTemplate]:
    """Contribute targets ("cibles") and DAR templates to the shared nomenclature of transmissions.

    Return a list mixing :class:`virage.transmissions.targets.TransmissionTarget` (a stable
    ``code``, a French ``label``, a default ``category``, a ``position`` among the quick choices)
    and :class:`virage.transmissions.targets.TransmissionTemplate` (pre-filled "Données",
    "Actions", "Résultats" for a target, yours or the core's). The core's own nomenclature is
    declared through this same hook. A new code is added to the network's table; an existing one
    is left as the network administrator configured it (label, retired or not).

    Called once for every plugin at start-up of the web application.
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
def extra_person_sections(
    access: AccessContext, person: dict[str, Any], plugins: PluginHost
) -> Sequence[PageSection] | None:
    """Add sections to a person's record page (agenda, transmissions, a plugin's data…).

    :param access: the access model for the current request: check your own permissions with
        ``access.allowed(…)`` / ``access.require(…)`` (the latter audits the read) before showing
        anything personal.
    :param person: the person's row as the viewer may see it (``health_notes`` is ``None`` when the
        viewer may not read health content).
    :param plugins: the :class:`virage.plugins.PluginHost` (to call other hooks, such as the
        agenda's appointment kinds).

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
def on_appointment_created(db: Database, appointment: dict[str, Any], actor: Actor | None) -> None:
    """React to an appointment (or a recurring series) booked in the agenda.

    :param db: the database (the booking is already committed).
    :param appointment: a summary without care notes: ``id`` (the first occurrence),
        ``series_id``, ``structure_id``, ``kind``, ``title``, ``start`` and ``end`` (UTC ISO 8601),
        ``professional_ids``, ``person_id``, ``place``, ``status`` and ``occurrences`` (how many
        were created).
    :param actor: who booked it.

    Use it to notify the professionals (message, SMS…). The core logs it. Raise nothing: an
    exception is reported and the booking stands.

    Called for every plugin after each booking (once per series, not per occurrence).
    """


@hookspec
def on_appointment_updated(
    db: Database,
    appointment: dict[str, Any],
    previous: dict[str, Any],
    scope: str,
    actor: Actor | None,
) -> None:
    """React to an appointment moved or changed (time, professionals, place, status…).

    :param db: the database (the change is already committed).
    :param appointment: the summary after the change (same keys as in
        :func:`on_appointment_created`; for a series edit, ``occurrences`` counts the rewritten
        ones and ``replaced_changes`` the one-off changes they replaced).
    :param previous: the summary before the change.
    :param scope: ``"one"`` (this occurrence), ``"following"`` (this and the following ones) or
        ``"series"`` (every occurrence still to come).
    :param actor: who changed it.

    The core logs it. Raise nothing: an exception is reported and the change stands.

    Called for every plugin after each change of an appointment.
    """


@hookspec
def on_appointment_cancelled(
    db: Database,
    appointment: dict[str, Any],
    reason: str,
    scope: str,
    actor: Actor | None,
) -> None:
    """React to an appointment cancelled (one occurrence, or a series from an occurrence on).

    :param db: the database (the cancellation is already committed).
    :param appointment: the summary of the cancelled appointment (same keys as in
        :func:`on_appointment_created`; ``occurrences`` counts those cancelled).
    :param reason: the reason given (French, free text: no health details should be in it).
    :param scope: ``"one"``, ``"following"`` or ``"series"``.
    :param actor: who cancelled it.

    The core logs it. Raise nothing: an exception is reported and the cancellation stands.

    Called for every plugin after each cancellation.
    """


@hookspec
def on_transmission_created(db: Database, transmission: dict[str, Any]) -> None:
    """React to a transmission written about a person (an entry, a result added, a correction).

    :param db: the database (the transmission is already committed).
    :param transmission: the stored row: ``id``, ``person_id``, ``structure_id``, ``author_id``,
        ``author_label``, ``kind`` (``entry``, ``result`` or ``correction``), ``parent_id``,
        ``target``, ``target_label``, ``category``, ``priority`` (``normal``, ``important``,
        ``urgent``), ``occurred_at``, ``created_at`` (UTC ISO 8601), the DAR parts ``data``,
        ``actions``, ``results``, ``appointment_id``, ``client_id`` and ``source``.

    The row holds health content covered by professional secrecy: never send it outside the care
    team (a notification says "nouvelle transmission urgente pour Mme D.", not its content).
    Raise nothing: an exception is reported and the transmission stands.

    Called for every plugin after each transmission created (web form, page, API or a plugin
    calling :func:`virage.transmissions.service.create_transmission`), not for a retry of one
    already received, nor for demo data.
    """


@hookspec
def extra_person_export(db: Database, person_id: int) -> Sequence[ExportSection] | None:
    """Add what your plugin stores about a person to their RGPD export, section by section.

    :param db: the database.
    :param person_id: the person whose data is exported.

    Return a list of :class:`virage.accounts.export.ExportSection`, one per part that a different
    permission governs (for example the administrative part and the medical part of a request),
    each naming the permission needed to read it through your pages (``"<your-plugin>.read"``), or
    ``None`` when you store nothing about this person. Return everything: the core keeps only the
    sections the person exporting may read, with the same rules as the pages (role, care team,
    emergency access), and says in the export which sections were left out and why. The complete
    export (right of access, ``persons.export.health``, with a reason) keeps them all. Data
    returned as a plain dict or list declares no permission: it appears only in the complete
    export. The core authorises and audits the export.

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

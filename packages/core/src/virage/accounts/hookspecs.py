"""The accounts domain's hooks: a person's record page, her RGPD export and deletion, what is
recorded about a worker, other ways to log in.

Added to the plugin manager by the domain (hook ``register_hookspecs``); implement them with
``@hookimpl`` from :mod:`virage.sdk`. See :mod:`virage.hookspecs` for the conventions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.access import PersonRef
    from virage.accounts.context import AccessContext
    from virage.accounts.export import ExportSection
    from virage.accounts.login_options import LoginOption
    from virage.db import Database
    from virage.plugins import PluginHost
    from virage.settings import Settings
    from virage.web.sections import PageSection

hookspec = pluggy.HookspecMarker("virage")


@hookspec
def extra_person_sections(
    access: AccessContext, person: dict[str, Any], person_ref: PersonRef, plugins: PluginHost
) -> Sequence[PageSection] | None:
    """Add sections to a person's record page (agenda, transmissions, a plugin's data…).

    :param access: the access model for the current request: check your own permissions with
        ``access.allowed(…)`` / ``access.require(…)`` (the latter audits the read) before showing
        anything personal.
    :param person: the person's row as the viewer may see it (``health_notes`` is ``None`` when the
        viewer may not read health content).
    :param person_ref: what access decisions need about her (structure, care team, emergency
        accesses), already loaded: pass it to ``access.allowed(perm, person=person_ref)``
        instead of loading her again.
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
def persons_merged(access: AccessContext, kept_id: int, merged_id: int) -> None:
    """Move what your domain or plugin stores about a duplicate record onto the record kept.

    :param access: the access model of the person merging (already checked for
        ``persons.merge`` on both records; use ``access.db``, inside the merge's transaction).
    :param kept_id: the record that stays.
    :param merged_id: the duplicate, closed after the merge with a pointer to ``kept_id``.

    Re-attach your rows (``UPDATE … SET person_id = kept_id WHERE person_id = merged_id``) or
    merge them (a row unique per person: keep the kept record's, keep the other as history);
    return nothing. Raise only if your rows cannot be moved: the whole merge is then rolled back
    (nothing half-merged) and refused with a French message naming your plugin. Called once per
    merge, for every plugin, after the core moved the care team and the objections.
    """


@hookspec
def login_page_options(settings: Settings) -> Sequence[LoginOption] | None:
    """Offer another way to log in on the log-in page (single sign-on: Pro Santé Connect…).

    :param settings: the instance's settings (a plugin reads its own ``VIRAGE_<PLUGIN>_*``
        variables itself, and offers nothing while they are missing).

    Return :class:`virage.accounts.login_options.LoginOption` items (a button each, above the
    password form, which always stays), or ``None``. The option's address starts the log-in; it
    receives ``?suivant=`` and, once the person is known and her account found, finishes with
    :func:`virage.sdk.login.finish`: never open a session yourself, never create an account.

    Called for every plugin each time the log-in page is rendered.
    """

"""The agenda's hooks: appointment kinds, and what happens when an appointment is booked, changed
or cancelled.

Added to the plugin manager by the domain (hook ``register_hookspecs``); implement them with
``@hookimpl`` from :mod:`virage.sdk`. See :mod:`virage.hookspecs` for the conventions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.access import Actor
    from virage.agenda.kinds import AppointmentKind
    from virage.db import Database

hookspec = pluggy.HookspecMarker("virage")


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

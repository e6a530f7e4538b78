"""The transmissions' hooks: targets and templates, what happens when a transmission is written,
and the visits a transmission may come from (answered by the agenda).

Added to the plugin manager by the domain (hook ``register_hookspecs``); implement them with
``@hookimpl`` from :mod:`virage.sdk`. See :mod:`virage.hookspecs` for the conventions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.db import Database
    from virage.transmissions.targets import TransmissionTarget, TransmissionTemplate

hookspec = pluggy.HookspecMarker("virage")


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
def transmission_visits(db: Database, user_id: int, day: date) -> Sequence[dict[str, Any]] | None:
    """The visits a worker has on a day, so that a transmission can say which visit it comes from.

    :param db: the database.
    :param user_id: the worker writing the transmission.
    :param day: the calendar day (Paris time).
    :return: one dict per visit: ``id`` (the appointment id), ``person_id`` (or ``None``),
        ``title``, ``start_utc`` and ``end_utc`` (UTC ISO 8601), ``status`` (``cancelled`` ones
        are left out by the transmissions); ``None`` when you do not manage visits.

    The transmissions keep only the visits to the person concerned; without any implementation
    (no agenda), the form offers no visit and none can be linked.

    Called when the transmission form is shown, by the first implementation that answers.
    """


@hookspec
def transmission_visit(db: Database, appointment_id: int) -> dict[str, Any] | None:
    """One visit a transmission is (or is about to be) linked to.

    :param db: the database.
    :param appointment_id: the appointment id stored on the transmission.
    :return: the visit, with the keys of :func:`transmission_visits`, or ``None`` when it does not
        exist or you do not manage visits.

    Called to check the visit given with a new transmission (it must concern the same person)
    and to label the cards ("visite du 12/03 à 08:30"), by the first implementation that answers.
    """

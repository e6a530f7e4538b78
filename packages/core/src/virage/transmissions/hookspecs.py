"""The transmissions' hooks: targets and templates, and what happens when a transmission is written.

Added to the plugin manager by the domain (hook ``register_hookspecs``); implement them with
``@hookimpl`` from :mod:`virage.sdk`. See :mod:`virage.hookspecs` for the conventions.
"""

from __future__ import annotations

from collections.abc import Sequence
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

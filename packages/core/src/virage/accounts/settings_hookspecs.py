"""The hook by which domains and plugins add their part to « Réglages de la structure ».

Added to the plugin manager by the structures' administration (hook ``register_hookspecs``);
implement it with ``@hookimpl`` from :mod:`virage.sdk`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.accounts.context import AccessContext
    from virage.accounts.settings_sections import SettingsSection

hookspec = pluggy.HookspecMarker("virage")


@hookspec
def structure_settings_sections(
    access: AccessContext, structure: dict[str, Any]
) -> Sequence[SettingsSection] | None:
    """Add a section (its own form) to the settings page of a structure.

    :param access: the request's access model. The page is open only to the structure's director
        and to the network administrator (``access.actor.is_network_admin``; she has no role in
        the structure, so ``access.allowed(…, structure_id=…)`` is false for her): return nothing
        when your section is not for this actor.
    :param structure: the structure's row (``id``, ``name``, ``kind``, ``closed_at``…).

    Return a list of :class:`virage.sdk.SettingsSection` (``key``, ``title``, ``render``,
    ``save``), or ``None``. ``render`` and ``save`` are called during the same request: close over
    ``access`` and ``structure``. Store settings, never personal data; the core audits each save
    with what ``save`` returns, and rolls it back when it raises ``InvalidInput``.

    Called for every plugin each time the page is shown or one of its forms is posted.
    """

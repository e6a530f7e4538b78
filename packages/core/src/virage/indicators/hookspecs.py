"""The indicators domain's hook: the indicators a domain or a plugin contributes.

Added to the plugin manager by the domain (hook ``register_hookspecs``); implement it with
``@hookimpl`` from :mod:`virage.sdk`. See :mod:`virage.hookspecs` for the conventions.
"""

from __future__ import annotations

from collections.abc import Sequence

import pluggy

from virage.indicators.model import Indicator

hookspec = pluggy.HookspecMarker("virage")


@hookspec
def register_indicators() -> Sequence[Indicator]:
    """Declare the indicators your domain or plugin computes for directors, networks and
    authorities (dashboard, exports of the sas).

    Return a list of :class:`virage.sdk.Indicator`. Each one is computed per structure and per
    calendar month by its ``compute(db, structure_id, start_utc, end_utc)`` function, which returns
    :class:`virage.sdk.IndicatorCell` values (category, value, number of distinct persons behind
    it) from your own storage module. Its ``dimensions`` come from an allow-list (« mois »,
    « type », « état », « motif », « catégorie », « unité », « liste »): an indicator grouped by
    worker or by person is refused at load and reported as your plugin's failure. Cells concerning
    fewer persons than the network's threshold are hidden, with secondary suppression on totals.

    Called once for every plugin when indicators are computed.
    """

"""Dates as people write them, for the accounts pages (« 3 décembre 2026 », « à 14 h 05 »).

Templates receive these functions in their context (``{{ jour(x) }}``, ``{{ moment(x) }}``): no
ISO date reaches a page. They are :mod:`virage.french`'s, shared with every template's filters.
"""

from __future__ import annotations

from virage.french import MONTHS, day_text, moment_text, plural

__all__ = ["HELPERS", "MONTHS", "jour", "moment", "plural"]

#: ``"2026-12-03"`` or a UTC timestamp → « 3 décembre 2026 » (Paris day); ``""`` if empty.
jour = day_text
#: A UTC timestamp → « 3 décembre 2026 à 14 h 05 » (heure de Paris); ``""`` if empty.
moment = moment_text

#: What templates of the accounts pages get in their context.
HELPERS = {"jour": jour, "moment": moment, "pluriel": plural}

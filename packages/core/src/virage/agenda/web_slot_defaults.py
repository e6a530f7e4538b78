"""Defaults of the free-slot search: from now, over the working day, with the kind that fits."""

from __future__ import annotations

#: The working day searched when the secretariat does not say otherwise.
WORKING_DAY = ("08:00", "18:00")


def default_search_kind(kinds: list, asked: str | None = None):
    """The kind to search for: the one asked if the structure uses it, else its first home-visit
    kind, else its first kind that keeps the professional busy (never on-call duty)."""
    if asked:
        for kind in kinds:
            if kind.name == asked:
                return kind
    for kind in kinds:
        if kind.default_place == "home" and kind.blocks:
            return kind
    for kind in kinds:
        if kind.blocks:
            return kind
    return kinds[0] if kinds else None

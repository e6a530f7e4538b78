"""The main navigation: items contributed by the core and plugins through ``register_nav_items``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation.

    ``label`` is shown to users (French); ``href`` is a path of this site; ``order`` sorts the menu
    (the core uses multiples of 10); ``icon`` is an optional emoji or short text shown before
    the label.
    """

    label: str
    href: str
    order: int = 100
    icon: str = ""


def sort_nav(items: list[NavItem]) -> list[NavItem]:
    return sorted(items, key=lambda i: (i.order, i.label))

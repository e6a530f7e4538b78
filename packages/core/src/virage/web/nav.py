"""The main navigation: items contributed by the core and plugins through ``register_nav_items``.

Each page shows the items its reader uses: :func:`visible_nav` keeps, for one actor, the items
whose ``permission`` she holds in one of her structures (a network-scope permission: the network
administration), or whose ``roles`` she holds; an anonymous visitor sees only ``public`` items.
Hiding an entry is comfort, not security: every page behind it checks access itself.

On a phone the first :data:`PHONE_ENTRIES` items stay in the strip and the others go behind
« Plus » (a ``<details>`` element: no JavaScript needed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.access import Actor, Registry

#: Entries shown in the strip on a phone, « Plus » included: the first four, then « Plus ».
PHONE_ENTRIES = 5


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation.

    ``label`` is shown to users (French); ``href`` is a path of this site; ``order`` sorts the menu
    (the core uses multiples of 5; the first four a reader may see stay on a phone's strip, the
    rest go behind « Plus »); ``icon`` is an optional emoji or short text shown before the label.

    Who sees it (SDK 1.4):

    - ``permission``: a permission name, or a tuple of names; the item is shown to a signed-in
      person who holds one of them in one of her structures (a ``"network"`` permission: to the
      network administration);
    - ``roles``: role identifiers (``"nurse"``…); the item is shown to a person who holds one of
      them in one of her structures;
    - with neither, the item is shown to every signed-in person (as before 1.4);
    - ``public``: also shown to anonymous visitors (never otherwise).

    Hiding an item does not protect its page: the page checks access itself.
    """

    label: str
    href: str
    order: int = 100
    icon: str = ""
    permission: str | tuple[str, ...] | None = None
    roles: tuple[str, ...] = ()
    public: bool = False

    @property
    def permissions(self) -> tuple[str, ...]:
        if self.permission is None:
            return ()
        if isinstance(self.permission, str):
            return (self.permission,)
        return tuple(self.permission)


def sort_nav(items: Iterable[NavItem]) -> list[NavItem]:
    return sorted(items, key=lambda i: (i.order, i.label))


def _holds(registry: Registry, actor: Actor, name: str) -> bool:
    try:
        perm = registry.get(name)
    except KeyError:  # a permission nobody declared: nobody holds it
        return False
    if perm.scope == "network":
        return actor.is_network_admin
    return any(role in perm.roles for role in actor.memberships.values())


def shown_to(item: NavItem, registry: Registry, actor: Actor | None) -> bool:
    """Whether ``actor`` (``None``: an anonymous visitor) sees ``item``."""
    if actor is None:
        return item.public
    if not item.permissions and not item.roles:
        return True
    if any(role in item.roles for role in actor.memberships.values()):
        return True
    return any(_holds(registry, actor, name) for name in item.permissions)


def visible_nav(items: Sequence[NavItem], registry: Registry, actor: Actor | None) -> list[NavItem]:
    """The items ``actor`` sees, in menu order."""
    return [item for item in items if shown_to(item, registry, actor)]


def split_for_phone(items: Sequence[NavItem]) -> tuple[list[NavItem], list[NavItem]]:
    """``(strip, more)``: what a phone shows in its strip, and what goes behind « Plus »."""
    if len(items) <= PHONE_ENTRIES:
        return list(items), []
    keep = PHONE_ENTRIES - 1
    return list(items[:keep]), list(items[keep:])

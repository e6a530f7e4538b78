"""Kinds of appointments and places. The core's kinds and the plugins' come through the same hook,
``register_appointment_kinds`` (the teleconsultation plugin adds its own kind this way)."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import Literal

from virage.errors import InvalidInput

#: Where an appointment takes place (stored values → French labels).
PLACES: dict[str, str] = {
    "home": "Domicile de la personne",
    "structure": "À la structure",
    "other": "Autre lieu",
    "remote": "À distance",
}

#: Statuses of an appointment (stored values → French labels).
STATUSES: dict[str, str] = {
    "planned": "Prévu",
    "confirmed": "Confirmé",
    "done": "Fait",
    "cancelled": "Annulé",
    "missed": "Non réalisé",
}

#: Kinds of absence of a professional (stored values → French labels); never a medical reason.
ABSENCE_KINDS: dict[str, str] = {"leave": "Congé", "training": "Formation", "absence": "Absence"}


@dataclass(frozen=True)
class AppointmentKind:
    """A kind of appointment offered by the agenda.

    :param name: stable identifier, stored in the database (``"home_visit"``; a plugin prefixes its
        own: ``"teleconsultation"``).
    :param label: French label shown to users.
    :param default_place: one of :data:`PLACES` (``"home"``, ``"structure"``, ``"other"``,
        ``"remote"``).
    :param default_minutes: duration proposed when booking.
    :param blocks: whether the professional is busy during it. On-call duty (astreinte) does not
        block: visits can be booked during it, and free-slot searches ignore it.
    :param person: whether a person supported is ``"required"``, ``"optional"`` or ``"none"``.
    :param icon: an optional emoji shown before the label.
    """

    name: str
    label: str
    default_place: str = "structure"
    default_minutes: int = 30
    blocks: bool = True
    person: Literal["required", "optional", "none"] = "optional"
    icon: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_.-]{1,40}", self.name):
            raise ValueError(f"appointment kind name {self.name!r}: lowercase identifier expected")
        if self.default_place not in PLACES:
            raise ValueError(f"appointment kind {self.name}: unknown place {self.default_place!r}")
        if not 5 <= self.default_minutes <= 7 * 24 * 60:
            raise ValueError(f"appointment kind {self.name}: default_minutes out of range")


CORE_KINDS: tuple[AppointmentKind, ...] = (
    AppointmentKind("home_visit", "Visite à domicile", "home", 30, True, "required", "🏠"),
    AppointmentKind(
        "structure_appointment",
        "Rendez-vous à la structure",
        "structure",
        45,
        True,
        "optional",
        "🏢",
    ),
    AppointmentKind("meeting", "Réunion", "structure", 60, True, "optional", "👥"),
    AppointmentKind("on_call", "Astreinte", "other", 12 * 60, False, "none", "📟"),
)

_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def registry(plugins) -> dict[str, AppointmentKind]:
    """The kinds of this application (core + plugins), computed once per plugin host.

    A plugin kind that reuses a name already taken is reported as a plugin failure and ignored.
    """
    cached = _cache.get(plugins)
    if cached is not None:
        return cached
    from virage.plugins import PluginFailure

    kinds: dict[str, AppointmentKind] = {}
    for plugin_name, kind in plugins.call_per_plugin("register_appointment_kinds"):
        if not isinstance(kind, AppointmentKind):
            plugins.failures.append(
                PluginFailure(plugin_name, "register_appointment_kinds", f"not a kind: {kind!r}")
            )
        elif kind.name in kinds and kinds[kind.name] != kind:
            plugins.failures.append(
                PluginFailure(
                    plugin_name, "register_appointment_kinds", f"kind {kind.name} already declared"
                )
            )
        else:
            kinds[kind.name] = kind
    _cache[plugins] = kinds
    return kinds


def get_kind(kinds: dict[str, AppointmentKind], name: str) -> AppointmentKind:
    try:
        return kinds[name]
    except KeyError:
        choices = ", ".join(f"{k.name} ({k.label})" for k in kinds.values())
        raise InvalidInput(f"Type de rendez-vous inconnu « {name} ». Types : {choices}.") from None


def kind_label(kinds: dict[str, AppointmentKind], name: str) -> str:
    kind = kinds.get(name)
    return kind.label if kind else name


def kinds_list(plugins) -> list[AppointmentKind]:
    """Every kind of appointment (the core's and the plugins')."""
    return list(registry(plugins).values())

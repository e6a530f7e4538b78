"""Sections of « Réglages de la structure » contributed by domains and plugins (hook
``structure_settings_sections``).

The page ``/structures/{id}/reglages`` is the structure's one place for settings. The accounts
domain shows its own part (second factor, CSE, retention); the agenda, the transmissions and
plugins add theirs as :class:`SettingsSection`. The core decides who opens the page (the
structure's director, the network administrator), gives each section its own form (CSRF, posted to
``/structures/{id}/reglages/{key}``), runs ``save`` in one transaction, writes the audit entry, and
shows a refusal (:class:`~virage.errors.InvalidInput`) in French on the section, nothing stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from virage.db import transaction
from virage.errors import InvalidInput, NotFound

KEY = re.compile(r"[a-z][a-z0-9_-]{1,40}")
#: Most values a section's form may post (each value is also bounded: 20,000 characters).
MAX_FIELDS = 500
MAX_VALUE = 20_000


class SettingsForm:
    """The values posted by a section's form: ``get`` (one value) and ``getall`` (checkboxes)."""

    def __init__(self, items: Mapping[str, list[str]] | None = None) -> None:
        self._items: dict[str, list[str]] = {k: list(v) for k, v in (items or {}).items()}

    @classmethod
    def from_pairs(cls, pairs) -> SettingsForm:
        items: dict[str, list[str]] = {}
        count = 0
        for key, value in pairs:
            if key == "_csrf_token" or not isinstance(value, str):
                continue
            count += 1
            if count > MAX_FIELDS or len(value) > MAX_VALUE:
                raise InvalidInput("Formulaire trop long : réduisez ce que vous avez saisi.")
            items.setdefault(key, []).append(value)
        return cls(items)

    def get(self, name: str, default: str = "") -> str:
        values = self._items.get(name)
        return values[0] if values else default

    def getall(self, name: str) -> list[str]:
        return list(self._items.get(name, []))

    def __contains__(self, name: object) -> bool:
        return name in self._items


@dataclass(frozen=True)
class SettingsSection:
    """A part of « Réglages de la structure », with its own form.

    :param key: stable identifier, lower case (``"agenda"``, ``"orientation-places"``): the form
        posts to ``/structures/{id}/reglages/{key}``, the audit entry names it.
    :param title: French title of the section.
    :param render: returns the form's fields as safe HTML (no ``<form>`` tag, no CSRF field, no
        button: the page adds them). It receives ``None``, or the values just posted when the page
        is shown again after a refusal (show them, so that nothing typed is lost).
    :param save: checks and stores the posted values (a :class:`SettingsForm`). Raise
        :class:`~virage.errors.InvalidInput` with a French message to refuse: the transaction is
        rolled back, nothing is stored, the message is shown on the section. Return what changed
        (a small JSON-able dict, no personal data): the core writes it to the audit trail under
        ``structures.settings.section`` with the section's key.
    :param description: one French sentence under the title (optional).
    :param order: sort order (lower first; the accounts domain uses 10 to 30).
    """

    key: str
    title: str
    render: Callable[[SettingsForm | None], Markup]
    save: Callable[[SettingsForm], Mapping[str, Any]]
    description: str = ""
    order: int = 100

    def __post_init__(self) -> None:
        if not KEY.fullmatch(self.key):
            raise ValueError(f"settings section key {self.key!r}: lower-case identifier expected")


def sections(access, structure: dict) -> list[SettingsSection]:
    """The sections contributed for ``structure`` (already authorised by the caller), sorted."""
    plugins = access.plugins
    if plugins is None:
        return []
    found: dict[str, SettingsSection] = {}
    for name, item in plugins.contributions(
        "structure_settings_sections", SettingsSection, access=access, structure=structure
    ):
        if item.key in found:
            plugins.record_failure(
                name, "structure_settings_sections", f"section {item.key} déjà déclarée"
            )
            continue
        found[item.key] = item
    return sorted(found.values(), key=lambda s: (s.order, s.title))


def rendered(section: SettingsSection, form: SettingsForm | None, error: str | None = None):
    return {
        "key": section.key,
        "title": section.title,
        "description": section.description,
        "html": Markup(section.render(form)),
        "error": error,
    }


def save(access, structure: dict, key: str, form: SettingsForm) -> tuple[SettingsSection, list]:
    """Run ``key``'s ``save`` in a transaction with its audit entry; return the section and the
    page's sections. ``InvalidInput`` leaves nothing stored."""
    everything = sections(access, structure)
    section = next((s for s in everything if s.key == key), None)
    if section is None:
        raise NotFound("Cette partie des réglages n'existe pas.")
    with transaction(access.db):
        changes = section.save(form)
        access.audit(
            "structures.settings.section",
            structure_id=structure["id"],
            details={"section": key, **dict(changes or {})},
        )
    return section, everything

"""What a structure's calendar subscriptions show of a person (a setting of the agenda, in its own
table ``agenda_structure_settings``): nothing, initials and town (the default), or the full name."""

from __future__ import annotations

from collections.abc import Iterable

from virage.accounts.context import AccessContext
from virage.agenda import storage_feeds
from virage.db import Database
from virage.errors import InvalidInput

PRIVACY = {
    "none": "Aucune information sur la personne (seulement le type de rendez-vous)",
    "initials": "Initiales et commune de la personne",
    "name": "Nom complet et commune de la personne",
}
DEFAULT_PRIVACY = "initials"


def calendar_privacy(db: Database, structure_ids: Iterable[int]) -> dict[int, str]:
    """``{structure id: privacy}`` for each of ``structure_ids`` (the default when never set)."""
    ids = set(structure_ids)
    stored = storage_feeds.structure_privacy(db, ids)
    return {sid: stored.get(sid, DEFAULT_PRIVACY) for sid in ids}


def store_calendar_privacy(db: Database, structure_id: int, value: str) -> None:
    """Record the setting without access check nor audit: for the command line (whose caller
    audits) and tests. People go through :func:`set_calendar_privacy`."""
    if value not in PRIVACY:
        raise InvalidInput(f"Réglage inconnu « {value} » : {', '.join(PRIVACY)}.")
    storage_feeds.set_structure_privacy(db, structure_id, value)


def set_calendar_privacy(access: AccessContext, structure_id: int, value: str) -> None:
    access.require("agenda.settings.manage", structure_id=structure_id)
    store_calendar_privacy(access.db, structure_id, value)
    access.audit("agenda.settings.privacy", structure_id=structure_id, details={"valeur": value})

"""Writing to the audit trail: who did what, when, on which person, through which route."""

from __future__ import annotations

import json
from typing import Any

from virage.access import Actor
from virage.audit import storage
from virage.audit.labels import flag_label
from virage.db import Database


def record(
    db: Database,
    actor: Actor | None,
    action: str,
    *,
    structure_id: int | None = None,
    person_id: int | None = None,
    target: str | None = None,
    route: str | None = None,
    outcome: str = "allowed",
    emergency: bool = False,
    details: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> None:
    """Append one entry (durable before the current answer leaves). ``action`` is ``"<domain>.<verb>"`` (e.g. ``"persons.health.read"``)."""
    return storage.append(
        db,
        actor_user_id=actor.user_id if actor else None,
        actor_label=actor_label or (actor.label if actor else "anonyme"),
        via=actor.via if actor else "anonymous",
        action=action,
        structure_id=structure_id,
        person_id=person_id,
        target=target,
        route=route,
        outcome=outcome,
        emergency=emergency,
        details=details,
    )


def describe(entries: list[dict]) -> list[dict]:
    """Add ``flag`` (French name of a flagged entry, or ``None``) and ``motif`` (the stated reason
    of an exceptional act: an emergency access, a complete export) to entries read from the trail,
    for the pages that show them."""
    for e in entries:
        e["flag"] = flag_label(e["action"]) if e["emergency"] else None
        e["motif"] = None
        if e["details"]:
            try:
                details = json.loads(e["details"])
            except ValueError:
                details = None
            if isinstance(details, dict) and isinstance(details.get("motif"), str):
                e["motif"] = details["motif"]
    return entries

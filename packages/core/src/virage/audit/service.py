"""Writing to the audit trail: who did what, when, on which person, through which route."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from virage.access import Actor
from virage.audit import storage


def record(
    db: sqlite_utils.Database,
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

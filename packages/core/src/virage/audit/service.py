"""The audit trail: who did what, when, on which person, through which route.

Other domains write and read the trail here, never through ``virage.audit.storage``. The readers
(``for_structure``, ``for_person``, ``for_actor``, ``structure_csv``) do not check access: call
them after your own ``access.require("audit.read", ...)`` (or for the actor's own entries).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from virage.access import Actor
from virage.audit import policy_storage, storage
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


# --------------------------------------------------------------------------- migration


def create_tables(db: Database) -> None:
    """Create the trail's table (migration ``core/0003_audit_log``)."""
    storage.create_audit_log(db)


def create_row_security(db: Database) -> None:
    """Who reads which entries on PostgreSQL (migration ``core/0093_row_security_audit``)."""
    policy_storage.create_row_security(db)


# --------------------------------------------------------------------------- reading


def for_structure(
    db: Database,
    structure_id: int,
    *,
    limit: int = 200,
    offset: int = 0,
    action: str | None = None,
    person_id: int | None = None,
    emergency_only: bool = False,
) -> list[dict]:
    """A structure's entries, newest first (the request's own entries included)."""
    return storage.for_structure(
        db,
        structure_id,
        limit=limit,
        offset=offset,
        action=action,
        person_id=person_id,
        emergency_only=emergency_only,
    )


def for_person(db: Database, person_id: int, limit: int = 500) -> list[dict]:
    """The entries about a person, newest first."""
    return storage.for_person(db, person_id, limit=limit)


def for_actor(db: Database, user_id: int, limit: int = 500) -> list[dict]:
    """What a worker did, newest first."""
    return storage.for_actor(db, user_id, limit=limit)


CSV_HEADER = [
    "id",
    "date (UTC)",
    "auteur",
    "canal",
    "personne",
    "action",
    "cible",
    "route",
    "résultat",
    "accès exceptionnel",
    "détails",
]


def structure_csv(db: Database, structure_id: int) -> str:
    """A structure's whole trail as CSV (``;``-separated, oldest first). Who may have it is the
    caller's to check: the journal (:mod:`virage.audit.journal`) gives it to the DPO only."""
    return entries_csv(storage.iter_structure(db, structure_id))


def entries_csv(entries: Iterable[dict]) -> str:
    """Entries read from the trail as CSV (``;``-separated, in the order given)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(CSV_HEADER)
    for e in entries:
        writer.writerow(
            [
                e["id"],
                e["at"],
                e["actor_label"],
                e["via"],
                e["person_id"] or "",
                e["action"],
                e["target"] or "",
                e["route"] or "",
                e["outcome"],
                flag_label(e["action"]) if e["emergency"] else "",
                e["details"] or "",
            ]
        )
    return buffer.getvalue()


def previous_login(db: Database, user_id: int) -> str | None:
    """When the worker logged in before the current session (the trail records every log-in).

    For the transmissions' "depuis ma dernière prise de poste" (no access check: the actor's own
    entries).
    """
    return storage.previous_login(db, user_id)

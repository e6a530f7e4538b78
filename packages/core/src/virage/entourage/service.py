"""The entourage's use cases: read, add, remove; every read and write checked and audited.

The social part (trusted person, legal protection, relatives) follows the identity: readable
with ``persons.identity.read`` (the secretariat too), written with ``persons.manage``. The health
part (advance directives, allergies, treatments as declared) follows the care team:
``persons.health.read`` / ``persons.health.write``. The person's contacts stay in her record
(``persons.contacts``): they are shown here, never copied.
"""

from __future__ import annotations

from typing import Any

from virage.accounts.context import AccessContext
from virage.db import transaction
from virage.entourage import storage
from virage.entourage.kinds import HEALTH_KINDS, KINDS, SOCIAL_KINDS
from virage.entourage.models import EntryIn
from virage.errors import Conflict, NotFound

CLOSED = "Ce dossier est clos : il reste consultable mais ne peut plus être modifié."
ENTRY_NOT_FOUND = "Cette mention n'existe pas ou a déjà été retirée."


def view(access: AccessContext, person_id: int) -> dict[str, Any]:
    """The person's entourage as the actor may read it (health part for the care team only)."""
    person = access.require("persons.identity.read", person_id=person_id, action="entourage.read")
    _, ref = access.load_person(person_id)
    can_health = access.allowed("persons.health.read", person=ref)
    kinds: tuple[str, ...] = SOCIAL_KINDS
    if can_health:
        access.require("persons.health.read", person_id=person_id, action="entourage.health.read")
        kinds = SOCIAL_KINDS + HEALTH_KINDS
    rows = storage.entries(access.db, person_id, kinds)
    return {
        "person": person,
        "contacts": person.get("contacts") or [],
        "entries": rows,
        "by_kind": {k: [r for r in rows if r["kind"] == k] for k in kinds},
        "can_health": can_health,
        "can_manage": access.allowed("persons.manage", structure_id=ref.structure_id),
        "can_write_health": access.allowed("persons.health.write", person=ref),
    }


def _permission(kind: str, write: bool) -> tuple[str, str]:
    health = KINDS[kind].health
    if write:
        perm = "persons.health.write" if health else "persons.manage"
    else:
        perm = "persons.health.read" if health else "persons.identity.read"
    return perm, "entourage.health" if health else "entourage"


def add(access: AccessContext, person_id: int, entry: EntryIn) -> int:
    """Record one entry; a second trusted person (or measure, or directives) is refused."""
    perm, prefix = _permission(entry.kind, write=True)
    person = access.require(
        perm, person_id=person_id, action=f"{prefix}.added", details={"nature": entry.kind}
    )
    if person["status"] == "closed":
        raise Conflict(CLOSED)
    kind = KINDS[entry.kind]
    with transaction(access.db):
        if kind.single and storage.count(access.db, person_id, entry.kind):
            raise Conflict(
                f"{kind.label} : une mention existe déjà. Retirez-la d'abord si elle a changé "
                "(l'ancienne reste au journal des accès)."
            )
        if storage.count(access.db, person_id) >= storage.MAX_PER_PERSON:
            raise Conflict(
                f"Ce dossier compte déjà {storage.MAX_PER_PERSON} mentions : retirez celles qui "
                "ne sont plus à jour avant d'en ajouter."
            )
        values = entry.model_dump(mode="json")
        actor = access.require_login()
        return storage.add(
            access.db, person["structure_id"], person_id, values, actor.user_id, actor.label
        )


def remove(access: AccessContext, person_id: int, entry_id: int) -> None:
    """Remove one entry (changed, or recorded by mistake); the journal keeps that it was."""
    access.require("persons.identity.read", person_id=person_id, action="entourage.read")
    row = storage.entry(access.db, person_id, entry_id)
    if row is None:
        raise NotFound(ENTRY_NOT_FOUND)
    perm, prefix = _permission(row["kind"], write=True)
    person = access.require(
        perm,
        person_id=person_id,
        action=f"{prefix}.removed",
        target=f"entourage:{entry_id}",
        details={"nature": row["kind"]},
    )
    if person["status"] == "closed":
        raise Conflict(CLOSED)
    storage.remove(access.db, person_id, entry_id)

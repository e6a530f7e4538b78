"""Persons supported: the use cases, shared by the API, the web pages and the CLI.

Every function takes an :class:`AccessContext`: the access check and its audit entry come first,
then the storage call. Nothing here writes SQL.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from virage.access import CARE_TEAM_ROLES, ROLES
from virage.accounts import export as export_builder
from virage.accounts import identity_vigilance, objection_storage, person_storage, storage
from virage.accounts.context import AccessContext
from virage.audit import service as audit
from virage.db import Database, transaction, utcnow
from virage.errors import Conflict, InvalidInput, NotFound
from virage.plugins import PluginHost

CLOSED = "Ce dossier est clos : il reste consultable mais ne peut plus être modifié."


def list_for(
    access: AccessContext,
    structure_id: int,
    query: str | None = None,
    status: str | None = "active",
) -> list[dict]:
    """The persons of a structure that the actor may see, audited as one list read."""
    actor = access.require_login()
    if access.allowed("persons.list", structure_id=structure_id):
        rows = storage.list_persons(access.db, structure_id, query=query, status=status)
    else:
        # Field workers see the persons of their care teams only.
        access.require("members.read", structure_id=structure_id)
        rows = storage.list_persons(
            access.db, structure_id, query=query, status=status, only_user_team=actor.user_id
        )
    access.audit("persons.list", structure_id=structure_id, details={"nombre": len(rows)})
    return rows


def view(access: AccessContext, person_id: int) -> dict[str, Any]:
    """A person's record as the actor may see it; health content only for the care team."""
    person = access.require("persons.identity.read", person_id=person_id, action="persons.read")
    _, ref = access.load_person(person_id)
    can_health = access.allowed("persons.health.read", person=ref)
    if can_health:
        access.require("persons.health.read", person_id=person_id)
    else:
        person["health_notes"] = None
    return {
        "person": person,
        "ref": ref,
        "can_health": can_health,
        "can_write_health": access.allowed("persons.health.write", person=ref),
        "can_manage": access.allowed("persons.manage", structure_id=ref.structure_id),
        "can_manage_team": access.allowed("care_team.manage", structure_id=ref.structure_id),
        "can_export": access.allowed("persons.export", person=ref),
        "can_export_health": access.allowed("persons.export.health", person=ref),
        "can_see_access_log": access.allowed(
            "persons.access_log.read", structure_id=ref.structure_id
        ),
        "can_emergency": (not can_health)
        and access.allowed("emergency_access.request", structure_id=ref.structure_id),
        "care_team": storage.care_team(access.db, person_id),
        "objection": objection_storage.active(access.db, person_id),
        "objections": objection_storage.history(access.db, person_id),
        "can_manage_objection": access.allowed("persons.objection.manage", person=ref),
        "emergency": access.decide("persons.identity.read", person=ref).emergency,
        "identity": identity_vigilance.status_of(access.db, person),
        "possible_duplicates": identity_vigilance.duplicates_of(access.db, person)
        if access.allowed("persons.manage", structure_id=ref.structure_id)
        else [],
    }


def create(access: AccessContext, structure_id: int, data: dict[str, Any]) -> int:
    access.require("persons.manage", structure_id=structure_id, action="persons.create")
    if data.get("health_notes") and not access.allowed(
        "persons.health.write", structure_id=structure_id
    ):
        raise InvalidInput("Votre rôle ne permet pas d'écrire des informations de santé.")
    with transaction(access.db):
        person_id = storage.create_person(access.db, structure_id, data)
        access.audit("persons.created", structure_id=structure_id, person_id=person_id)
    return person_id


def update(access: AccessContext, person_id: int, changes: dict[str, Any]) -> dict:
    # The checks load the person themselves: a person the actor may not see (another structure's,
    # which row-level security hides on PostgreSQL) is a refusal they record, as an unknown one.
    health = "health_notes" in changes
    identity = {k: v for k, v in changes.items() if k != "health_notes"}
    if identity:
        access.require(
            "persons.manage",
            person_id=person_id,
            action="persons.update",
            details={"champs": sorted(identity)},
        )
    if health:
        access.require("persons.health.write", person_id=person_id, action="persons.health.update")
    person, _ = access.load_person(person_id)
    if person["status"] == "closed":
        raise Conflict(CLOSED)
    storage.update_person(access.db, person_id, changes)
    after = storage.get_person(access.db, person_id)
    identity_vigilance.traits_changed(access, person_id, person, after)
    return after


def close(access: AccessContext, person_id: int) -> None:
    person = access.require("persons.manage", person_id=person_id, action="persons.close")
    if person["status"] == "closed":
        raise Conflict("Ce dossier est déjà clos.")
    storage.close_person(access.db, person_id)


def export(
    access: AccessContext, plugins: PluginHost, person_id: int, reason: str | None = None
) -> dict[str, Any]:
    """A person's RGPD export, section by section as the actor may read it (see
    :mod:`virage.accounts.export`); complete, health included, only for a reasoned right-of-access
    export by a holder of ``persons.export.health``."""
    return export_builder.build(access, plugins, person_id, reason)


# --------------------------------------------------------------------------- care team


def add_member(access: AccessContext, person_id: int, user_id: int) -> None:
    person = access.require(
        "care_team.manage", person_id=person_id, action="care_team.add", target=f"user:{user_id}"
    )
    if person["status"] == "closed":
        raise Conflict(CLOSED)
    role = storage.memberships_of(access.db, user_id).get(person["structure_id"])
    if role is None:
        raise InvalidInput("Ce professionnel n'appartient pas à la structure de la personne.")
    if role not in CARE_TEAM_ROLES:
        raise InvalidInput(
            f"Le rôle {ROLES[role]} ne fait pas partie des équipes de soins : en être membre "
            "donnerait accès aux informations de santé."
        )
    if not storage.add_to_care_team(access.db, person_id, user_id, access.actor.user_id):
        raise Conflict("Ce professionnel fait déjà partie de l'équipe de soins.")


def remove_member(access: AccessContext, person_id: int, user_id: int) -> None:
    access.require(
        "care_team.manage", person_id=person_id, action="care_team.remove", target=f"user:{user_id}"
    )
    if not storage.remove_from_care_team(access.db, person_id, user_id):
        raise NotFound("Ce professionnel ne fait pas partie de l'équipe de soins.")


def access_log(access: AccessContext, person_id: int) -> list[dict]:
    """Who read or changed the record, newest first; exceptional accesses carry ``flag`` and
    ``motif`` (see :func:`virage.audit.service.describe`)."""
    access.require("persons.access_log.read", person_id=person_id, action="persons.access_log.read")
    return audit.describe(audit.for_person(access.db, person_id))


def names_for(access: AccessContext, person_ids: list[int] | set[int]) -> dict[int, str]:
    """« Prénom NOM » of those persons the actor may know exist, for the pages showing the journal.

    Known: the persons of a structure where the actor's role lists the persons (direction, DPO,
    coordination, secretariat), and those whose care team she is in. The others (another
    structure's, a record she was refused) are left out: the page shows « une personne ». No
    audit entry of its own: the page that shows the names records its read.
    """
    actor = access.require_login()
    ids = sorted({i for i in person_ids if i is not None})[:1000]
    names = {}
    for row in person_storage.names_of(access.db, ids, actor.user_id):
        if row["in_team"] or access.allowed("persons.list", structure_id=row["structure_id"]):
            names[row["id"]] = f"{row['given_names'] or ''} {(row['family_name'] or '').upper()}"
    return {k: v.strip() for k, v in names.items()}


def choices_for_journal(access: AccessContext, structure_id: int) -> list[dict]:
    """Every person of the structure (followed or not), for the journal's person filter; empty
    when the actor's role does not list the persons. The caller has checked ``audit.read``."""
    if not access.allowed("persons.list", structure_id=structure_id):
        return []
    return storage.list_persons(access.db, structure_id, status=None, limit=2000)


# --------------------------------------------------------------------------- retention


def counts(db: Database, structure_id: int) -> dict[str, int]:
    """How many persons a structure has, active and closed (no access check: for a page that has
    checked its own, such as the journal)."""
    return storage.count_persons(db, structure_id)


def purge_expired(access_db, plugins: PluginHost, *, dry_run: bool = True) -> list[tuple[int, int]]:
    """Delete persons whose record was closed more than the structure's retention period ago.

    Returns (structure id, person id) pairs. Plugins delete their own data in
    ``on_person_deleted``; audit entries are kept (they hold the person's id, not their identity).
    """
    removed = []
    for structure in storage.list_structures(access_db):
        limit = utcnow() - timedelta(days=365 * structure["retention_years"])
        for person_id in storage.persons_closed_before(
            access_db, structure["id"], limit.replace(microsecond=0).isoformat()
        ):
            removed.append((structure["id"], person_id))
            if dry_run:
                continue
            with transaction(access_db):
                plugins.call("on_person_deleted", db=access_db, person_id=person_id)
                storage.delete_person(access_db, person_id)
                audit.record(
                    access_db,
                    None,
                    "persons.deleted",
                    structure_id=structure["id"],
                    person_id=person_id,
                    actor_label="règle de conservation (virage persons purge)",
                    details={"conservation_annees": structure["retention_years"]},
                )
    return removed

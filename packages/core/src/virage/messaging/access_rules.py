"""Who may take part in a conversation about a person, and read it — checked at every read and post.

- Inside the person's structure: the permission ``messages.read`` (her care team; the
  coordination without being in it).
- From a partner structure of the network: a care role in that structure, **and** a consent
  recorded in her file to exchange with that structure (not revoked), **and** no objection of
  hers to sharing her health information outside her care team.

An outside professional's request acts, on PostgreSQL, for her own structures only: once these
checks pass, :func:`scope` lets it act for the person's structure for the read or post at hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from virage import db_scope
from virage.access import CARE_TEAM_ROLES
from virage.accounts import lookups, objections
from virage.accounts.context import AccessContext
from virage.messaging import storage

THREAD_NOT_FOUND = "Cette conversation n'existe pas ou ne vous est pas accessible."


@contextmanager
def scope(access: AccessContext, structure_id: int) -> Iterator[None]:
    """Act also for ``structure_id`` (PostgreSQL row security) within the block."""
    actor = access.actor
    before = db_scope.scope_setting()
    if actor is None or before in (db_scope.SYSTEM,) or structure_id in actor.structure_ids:
        yield
        return
    user = db_scope.user_setting()
    current = [int(i) for i in before.split(",") if i]
    db_scope.acting_for([*current, structure_id], int(user) if user else actor.user_id)
    try:
        yield
    finally:
        db_scope.acting_for(current, int(user) if user else None)


def shares_with(access: AccessContext, person_id: int, partner_structure_id: int) -> bool:
    """Whether the person's file records a consent to exchange with this structure, and no
    objection of hers forbids sharing her health information."""
    if storage.active_consent(access.db, person_id, partner_structure_id) is None:
        return False
    decision = objections.sharing(access.db, person_id)
    return bool(decision.allowed and decision.health_allowed)


def may_read(access: AccessContext, thread: dict, member_structure_id: int | None) -> bool:
    """Whether the actor, a participant taking part for ``member_structure_id``, may read now.
    Writes nothing (the caller audits)."""
    actor = access.actor
    if actor is None:
        return False
    if actor.role_in(thread["structure_id"]) is not None:
        _, ref = access.load_person(thread["person_id"])
        return access.allowed("messages.read", person=ref)
    if member_structure_id is None or actor.role_in(member_structure_id) not in CARE_TEAM_ROLES:
        return False
    return shares_with(access, thread["person_id"], member_structure_id)


def may_join(
    access: AccessContext, person: dict, ref, user_id: int, member_structure_id: int
) -> bool:
    """Whether a worker may be added to a conversation about the person, for her structure."""
    role = {m["id"]: m["role"] for m in lookups.members_of(access.db, member_structure_id)}.get(
        user_id
    )
    if role not in CARE_TEAM_ROLES:
        return False
    if member_structure_id == person["structure_id"]:
        return user_id in ref.care_team or role == "coordinator"
    return shares_with(access, person["id"], member_structure_id)

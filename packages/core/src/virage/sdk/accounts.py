"""The accounts domain, as plugins may use it: structures, workers, persons, care teams, the
person's objection to sharing, and the access context of a worker.

- **Lookups** (``structure``, ``members_of``, ``person``, ``care_team_ids``…) do not check access
  nor audit: call them after your own ``access.require(...)``.
- **Services** (``add_member``, ``require_sharing``…) check access and audit.
- **Seeding** (``create_structure``, ``create_person``, ``create_user``…) is for demo data, imports
  and tests, never for a request.
"""

from __future__ import annotations

from virage import db_scope
from virage.accounts.context import AccessContext
from virage.accounts.lookups import (
    add_membership,
    add_to_care_team,
    care_team,
    care_team_ids,
    care_teams_of_user,
    create_person,
    create_structure,
    find_structure,
    member_ids,
    members_of,
    person,
    persons,
    structure,
    structures,
    update_person,
    user,
    user_by_username,
)
from virage.accounts.objections import (
    SharingDecision,
    record_objection,
    require_sharing,
    withdraw_objection,
)
from virage.accounts.objections import sharing as _sharing
from virage.accounts.persons import add_member, remove_member
from virage.accounts.service import actor_for_user, create_user
from virage.app import build_registry
from virage.db import Database
from virage.errors import NotFound
from virage.plugins import PluginHost


def sharing(db: Database, person_id: int) -> SharingDecision:
    """What may leave the person's care team: her objection to sharing, if any.

    Read as the system: an objection binds every structure that holds her data, one that does
    not follow her too (a structure receiving an orientation request), which PostgreSQL's
    row-level security would otherwise keep from seeing it, and so from honouring it.
    """
    token = db_scope.as_system()
    try:
        return _sharing(db, person_id)
    finally:
        db_scope.reset(token)


def access_for(
    db: Database, plugins: PluginHost, username: str, route: str = "plugin"
) -> AccessContext:
    """The access context of a worker, by login, for work done outside a request (a command, a
    demo, a scheduled job): every permission check and audit entry applies as in a request.

    Raises ``NotFound`` when there is no such account.
    """
    found = user_by_username(db, username)
    if found is None:
        raise NotFound(f"Compte « {username} » introuvable.")
    actor = actor_for_user(db, found, via="cli")
    return AccessContext(db, build_registry(plugins), actor, route, plugins=plugins)


__all__ = [
    "SharingDecision",
    "access_for",
    "actor_for_user",
    "add_member",
    "add_membership",
    "add_to_care_team",
    "care_team",
    "care_team_ids",
    "care_teams_of_user",
    "create_person",
    "create_structure",
    "create_user",
    "find_structure",
    "member_ids",
    "members_of",
    "person",
    "persons",
    "record_objection",
    "remove_member",
    "require_sharing",
    "sharing",
    "structure",
    "structures",
    "update_person",
    "user",
    "user_by_username",
    "withdraw_objection",
]

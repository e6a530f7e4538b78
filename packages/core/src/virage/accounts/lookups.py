"""What other domains and plugins may ask the accounts domain without reading its tables.

Structures, workers and their memberships, persons and their care teams are owned by the accounts
domain (``virage.accounts.storage``). Another domain or a plugin asks here, never the storage:

- **lookups** (``structure``, ``members_of``, ``person``, ``care_team_ids``…) do not check access
  and do not write the audit trail. Call them after your own ``access.require(...)`` for the
  person or structure concerned, as every service does; never to decide what a user may read.
- **seeding** (``create_structure``, ``create_person``, ``add_to_care_team``…) is for demo data,
  imports and tests run by an administrator, not for requests: people go through
  ``virage.accounts.service`` and ``persons``, which check access and audit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from virage.accounts import batch_storage, storage
from virage.db import Database

# --------------------------------------------------------------------------- lookups


def structure(db: Database, structure_id: int) -> dict | None:
    """One structure (``id``, ``name``, ``kind``, ``finess``…), or ``None``."""
    return storage.get_structure(db, structure_id)


def structures(db: Database, ids: list[int] | None = None) -> list[dict]:
    """Every structure (or those of ``ids``), by name."""
    return storage.list_structures(db, ids)


def find_structure(db: Database, key: str) -> dict | None:
    """A structure by id or exact name (command line)."""
    return storage.find_structure(db, key)


def user(db: Database, user_id: int) -> dict | None:
    """One account (``id``, ``username``, ``display_name``, ``profession``…), or ``None``."""
    return storage.get_user(db, user_id)


def user_by_username(db: Database, username: str) -> dict | None:
    """One account by its login, or ``None``."""
    return storage.get_user_by_username(db, username)


def first_person_followed_by(db: Database, username: str) -> dict | None:
    """The first person in whose care team the worker ``username`` is (demo data), or ``None``."""
    worker = storage.get_user_by_username(db, username)
    team = storage.care_teams_of_user(db, worker["id"]) if worker else []
    return storage.get_person(db, team[0]["id"]) if team else None


def members_of(db: Database, structure_id: int) -> list[dict]:
    """The workers of a structure: ``id``, ``username``, ``display_name``, ``profession``, ``role``."""
    return storage.members_of(db, structure_id)


def member_ids(db: Database, structure_id: int) -> frozenset[int]:
    """The ids of the workers of a structure."""
    return frozenset(m["id"] for m in storage.members_of(db, structure_id))


def person(db: Database, person_id: int) -> dict | None:
    """One person supported (identity, structure, status), or ``None``."""
    return storage.get_person(db, person_id)


def persons(db: Database, structure_id: int, **filters: Any) -> list[dict]:
    """The persons of a structure (same filters as the accounts' list)."""
    return storage.list_persons(db, structure_id, **filters)


def care_team_ids(db: Database, person_id: int) -> frozenset[int]:
    """The ids of the workers in the person's care team."""
    return storage.care_team_ids(db, person_id)


def care_team(db: Database, person_id: int) -> list[dict]:
    """The person's care team (workers, who added them, when)."""
    return storage.care_team(db, person_id)


def care_teams_of_user(db: Database, user_id: int) -> list[dict]:
    """The persons in whose care team a worker is."""
    return storage.care_teams_of_user(db, user_id)


# --------------------------------------------------------------------------- seeding


def create_structure(db: Database, name: str, kind: str, **extra: Any) -> int:
    """Create a structure (demo data, imports, tests); returns its id."""
    return storage.create_structure(db, name, kind, **extra)


def create_person(db: Database, structure_id: int, data: dict[str, Any]) -> int:
    """Create a person (demo data, imports, tests); returns her id."""
    return storage.create_person(db, structure_id, data)


def update_person(db: Database, person_id: int, changes: dict[str, Any]) -> None:
    """Change a person's fields (demo data, imports, tests)."""
    storage.update_person(db, person_id, changes)


def add_to_care_team(db: Database, person_id: int, user_id: int, added_by: int | None) -> bool:
    """Add a worker to a person's care team (demo data, imports, tests); ``False`` if already."""
    return storage.add_to_care_team(db, person_id, user_id, added_by)


def add_membership(db: Database, user_id: int, structure_id: int, role: str) -> None:
    """Give a worker a role in a structure (demo data, imports, tests)."""
    storage.add_membership(db, user_id, structure_id, role)


# --------------------------------------------------------------------------- lists across persons


def persons_by_id(db: Database, person_ids: Iterable[int]) -> dict[int, dict]:
    """``{id: person}`` for these ids (unknown ones left out), to label lists spanning persons."""
    return batch_storage.persons(db, person_ids)


def person_basics(db: Database, person_ids: Iterable[int]) -> dict[int, dict]:
    """``{id: identity, address, phone, structure and status}`` for these ids (an agenda week)."""
    return batch_storage.person_basics(db, person_ids)


def user_names(db: Database, user_ids: Iterable[int]) -> dict[int, str]:
    """``{id: display name}`` of these workers."""
    return batch_storage.user_names(db, user_ids)


def care_teams(db: Database, person_ids: Iterable[int]) -> dict[int, set[int]]:
    """``{person id: ids of her care team}`` for these persons."""
    return batch_storage.care_teams(db, person_ids)


def emergency_users(db: Database, person_ids: Iterable[int], now_iso: str) -> dict[int, set[int]]:
    """``{person id: workers with an emergency access still open at now_iso}``."""
    return batch_storage.emergency_users(db, person_ids, now_iso)


def emergency_person_ids(db: Database, user_id: int, now_iso: str) -> list[int]:
    """The persons a worker has an emergency access to, still open at ``now_iso``."""
    return list(
        dict.fromkeys(
            e["person_id"]
            for e in storage.emergency_of_user(db, user_id)
            if e["expires_at"] > now_iso
        )
    )

"""Teams of the agenda (sectors, rounds): named groups of professionals of a structure."""

from __future__ import annotations

from collections.abc import Sequence

from virage.accounts.context import AccessContext
from virage.agenda import storage_availability
from virage.agenda.people import check_professionals
from virage.db import transaction
from virage.errors import Conflict, InvalidInput, NotFound


def structure_teams(access: AccessContext, structure_id: int) -> list[dict]:
    """The teams of a structure, for a view that has already checked the actor's access to it
    (the week, the free slots, the FHIR schedules)."""
    return storage_availability.teams_of_structure(access.db, structure_id)


def team_of(access: AccessContext, structure_id: int, team_id: int) -> dict | None:
    """A team of this structure (``None`` if unknown or of another structure), for a view that
    has already checked the actor's access to the structure."""
    team = storage_availability.get_team(access.db, team_id)
    return team if team is not None and team["structure_id"] == structure_id else None


def list_teams(access: AccessContext, structure_id: int) -> list[dict]:
    access.require("agenda.availability.read", structure_id=structure_id)
    return storage_availability.teams_of_structure(access.db, structure_id)


def save_team(
    access: AccessContext,
    structure_id: int,
    name: str,
    member_ids: Sequence[int],
    team_id: int | None = None,
) -> dict:
    access.require("agenda.teams.manage", structure_id=structure_id)
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Donnez un nom à l'équipe (par exemple « Secteur nord »).")
    members = check_professionals(access, structure_id, member_ids) if member_ids else []
    db = access.db
    existing = storage_availability.team_by_name(db, structure_id, name)
    with transaction(db):
        if team_id is None:
            if existing:
                raise Conflict(f"L'équipe « {name} » existe déjà.")
            team_id = storage_availability.create_team(db, structure_id, name)
            if team_id is None:
                raise Conflict(f"L'équipe « {name} » existe déjà.")
        else:
            team = storage_availability.get_team(db, team_id)
            if team is None or team["structure_id"] != structure_id:
                raise NotFound("Cette équipe n'existe pas dans cette structure.")
            if existing and existing["id"] != team_id:
                raise Conflict(f"L'équipe « {name} » existe déjà.")
        storage_availability.set_team_members(db, team_id, members)
    return storage_availability.get_team(db, team_id)


def delete_team(access: AccessContext, structure_id: int, team_id: int) -> None:
    access.require("agenda.teams.manage", structure_id=structure_id)
    team = storage_availability.get_team(access.db, team_id)
    if team is None or team["structure_id"] != structure_id:
        raise NotFound("Cette équipe n'existe pas dans cette structure.")
    storage_availability.delete_team(access.db, team_id)

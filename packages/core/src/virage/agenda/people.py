"""Who the agenda shows: the professionals of a structure, and what each actor may see of a
person (identity, or initials and town), decided once per person for a whole view.
"""

from __future__ import annotations

from collections.abc import Iterable

from virage.access import PersonRef
from virage.accounts import lookups
from virage.accounts.context import AccessContext
from virage.agenda import people_lookups
from virage.db import utcnow_iso
from virage.errors import InvalidInput


def initials(given_names: str | None, family_name: str | None) -> str:
    """``Jeanne Marie`` ``Durand`` → ``J. D.``"""
    first = (given_names or "").strip()[:1].upper()
    last = (family_name or "").strip()[:1].upper()
    return " ".join(f"{c}." for c in (first, last) if c) or "?"


def members_by_id(access: AccessContext, structure_id: int) -> dict[int, dict]:
    return {m["id"]: m for m in lookups.members_of(access.db, structure_id)}


def check_professionals(
    access: AccessContext, structure_id: int, user_ids: Iterable[int]
) -> list[int]:
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        raise InvalidInput("Choisissez au moins un professionnel.")
    members = members_by_id(access, structure_id)
    unknown = [uid for uid in ids if uid not in members]
    if unknown:
        raise InvalidInput(
            "Ces professionnels n'appartiennent pas à la structure (ou leur compte est "
            f"désactivé) : n° {', '.join(map(str, unknown))}."
        )
    return ids


def person_refs(
    access: AccessContext, person_ids: Iterable[int]
) -> dict[int, tuple[dict, PersonRef]]:
    """Batch-load what the access model needs to decide about several persons."""
    ids = {pid for pid in person_ids if pid is not None}
    if not ids:
        return {}
    db = access.db
    basics = people_lookups.person_basics(db, ids)
    teams = people_lookups.care_teams(db, basics)
    emergencies = people_lookups.emergency_users(db, basics, utcnow_iso())
    return {
        pid: (
            row,
            PersonRef(
                id=pid,
                structure_id=row["structure_id"],
                care_team=frozenset(teams.get(pid, ())),
                emergency_users=frozenset(emergencies.get(pid, ())),
            ),
        )
        for pid, row in basics.items()
    }


class Deciders:
    """Display decisions for one view, computed once per person and per structure."""

    def __init__(self, access: AccessContext, person_ids: Iterable[int]) -> None:
        self.access = access
        self.refs = person_refs(access, person_ids)
        self._identity: dict[int, bool] = {}
        self._agenda: dict[int, bool] = {}

    def identity(self, person_id: int) -> bool:
        if person_id not in self._identity:
            ref = self.refs.get(person_id)
            self._identity[person_id] = bool(ref) and self.access.allowed(
                "persons.identity.read", person=ref[1]
            )
        return self._identity[person_id]

    def agenda(self, structure_id: int) -> bool:
        if structure_id not in self._agenda:
            self._agenda[structure_id] = self.access.allowed(
                "agenda.read", structure_id=structure_id
            )
        return self._agenda[structure_id]

    def person(self, person_id: int | None) -> dict | None:
        if person_id is None or person_id not in self.refs:
            return None
        row = self.refs[person_id][0]
        if self.identity(person_id):
            return {
                "id": person_id,
                "display": f"{row['given_names']} {row['family_name'].upper()}",
                "identity": True,
                "address": row["address"],
                "postcode": row["postcode"],
                "city": row["city"],
                "phone": row["phone"],
            }
        return {
            "id": person_id,
            "display": initials(row["given_names"], row["family_name"]),
            "identity": False,
            "address": None,
            "postcode": None,
            "city": row["city"],
            "phone": None,
        }

"""Agenda API: working hours and absences of professionals, teams."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import JSONBody

from virage.accounts.auth import require_actor_guard
from virage.agenda import service
from virage.agenda.api_common import Id, token_structure
from virage.agenda.models import (
    Absence,
    AbsenceIn,
    Team,
    TeamIn,
    WorkingHours,
    WorkingHoursIn,
)
from virage.deps import Access


class AgendaAvailabilityController(Controller):
    """Availability and teams."""

    path = "/api/v1/agenda"
    tags = ["Agenda"]
    guards = [require_actor_guard]

    @get("/professionals/{user_id:int}/working-hours", summary="Horaires de travail")
    async def get_hours(self, access: Access, user_id: Id) -> WorkingHours:
        return WorkingHours(**service.get_working_hours(access, token_structure(access), user_id))

    @put("/professionals/{user_id:int}/working-hours", summary="Déclarer les horaires de travail")
    async def put_hours(
        self, access: Access, user_id: Id, data: JSONBody[WorkingHoursIn]
    ) -> WorkingHours:
        slots = [s.model_dump() for s in data.slots]
        return WorkingHours(
            **service.set_working_hours(access, token_structure(access), user_id, slots)
        )

    @get("/professionals/{user_id:int}/absences", summary="Absences (à venir et du dernier mois)")
    async def get_absences(self, access: Access, user_id: Id) -> list[Absence]:
        return [
            Absence(**a) for a in service.list_absences(access, token_structure(access), user_id)
        ]

    @post(
        "/professionals/{user_id:int}/absences", summary="Déclarer une absence (sans motif médical)"
    )
    async def add_absence(self, access: Access, user_id: Id, data: JSONBody[AbsenceIn]) -> Absence:
        return Absence(
            **service.add_absence(
                access, token_structure(access), user_id, data.kind, data.start, data.end
            )
        )

    @delete("/absences/{absence_id:int}", summary="Supprimer une absence")
    async def delete_absence(self, access: Access, absence_id: Id) -> None:
        service.delete_absence(access, token_structure(access), absence_id)

    # ------------------------------------------------------------------ teams

    @get("/teams", summary="Équipes de l'agenda (secteurs, tournées)")
    async def teams(self, access: Access) -> list[Team]:
        return [Team(**t) for t in service.list_teams(access, token_structure(access))]

    @post("/teams", summary="Créer une équipe")
    async def create_team(self, access: Access, data: JSONBody[TeamIn]) -> Team:
        return Team(
            **service.save_team(access, token_structure(access), data.name, data.member_ids)
        )

    @put("/teams/{team_id:int}", summary="Renommer une équipe ou changer ses membres")
    async def update_team(self, access: Access, team_id: Id, data: JSONBody[TeamIn]) -> Team:
        return Team(
            **service.save_team(
                access, token_structure(access), data.name, data.member_ids, team_id
            )
        )

    @delete("/teams/{team_id:int}", summary="Supprimer une équipe")
    async def delete_team(self, access: Access, team_id: Id) -> None:
        service.delete_team(access, token_structure(access), team_id)

"""Pages of availability: working hours and absences of a professional, teams of a structure."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from virage.access import ROLES
from virage.accounts.auth import require_actor_guard
from virage.agenda import service
from virage.agenda.limits import MAX_ID
from virage.agenda.timeutil import WEEKDAYS_FR
from virage.agenda.web_forms import (
    Id,
    form_date,
    form_int,
    form_ints,
    read_form,
    structure_or_404,
)
from virage.deps import Access
from virage.errors import InvalidInput


class AgendaAvailabilityPages(Controller):
    """Working hours, absences and teams."""

    path = "/agenda"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/structures/{structure_id:int}/disponibilites", name="agenda-availability")
    async def availability(
        self,
        access: Access,
        structure_id: Id,
        pro: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)] = None,
        ok: Annotated[str | None, QueryParameter()] = None,
    ) -> Template:
        structure = structure_or_404(access, structure_id)
        members = service.professionals_for(access, structure_id)
        user_id = pro or access.actor.user_id
        if user_id not in {m["id"] for m in members}:
            user_id = members[0]["id"] if members else access.actor.user_id
        hours = service.get_working_hours(access, structure_id, user_id)
        week: list[dict] = []
        for weekday in range(7):
            ranges = [s for s in hours["slots"] if s["weekday"] == weekday]
            ranges += [{"start": "", "end": ""}] * (2 - len(ranges))
            week.append({"weekday": weekday, "label": WEEKDAYS_FR[weekday], "ranges": ranges})
        return Template(
            "agenda/availability.html",
            context={
                "structure": structure,
                "members": members,
                "user_id": user_id,
                "declared": hours["declared"],
                "week": week,
                "absences": service.list_absences(access, structure_id, user_id),
                "absence_kinds": service.ABSENCE_KINDS,
                "can_manage": access.allowed(
                    "agenda.availability.manage", structure_id=structure_id
                ),
                "ok": ok,
                "roles": ROLES,
            },
        )

    @post("/structures/{structure_id:int}/disponibilites/horaires", status_code=303)
    async def save_hours(self, request: Request, access: Access, structure_id: Id) -> Redirect:
        form = await read_form(request)
        user_id = form_int(form.get("user_id"), "professionnel")
        slots = []
        for weekday in range(7):
            for i in range(4):
                start = form.get(f"d{weekday}_{i}_start", "").strip()
                end = form.get(f"d{weekday}_{i}_end", "").strip()
                if start or end:
                    if not (start and end):
                        raise InvalidInput(
                            f"{WEEKDAYS_FR[weekday]} : indiquez le début et la fin de la plage."
                        )
                    slots.append({"weekday": weekday, "start": start[:5], "end": end[:5]})
        service.set_working_hours(access, structure_id, user_id, slots)
        return Redirect(
            f"/agenda/structures/{structure_id}/disponibilites?pro={user_id}&ok=horaires",
            status_code=303,
        )

    @post("/structures/{structure_id:int}/disponibilites/absences", status_code=303)
    async def add_absence(self, request: Request, access: Access, structure_id: Id) -> Redirect:
        form = await read_form(request)
        user_id = form_int(form.get("user_id"), "professionnel")
        service.add_absence(
            access,
            structure_id,
            user_id,
            form.get("kind", ""),
            form_date(form.get("start"), "début"),
            form_date(form.get("end"), "fin"),
        )
        return Redirect(
            f"/agenda/structures/{structure_id}/disponibilites?pro={user_id}&ok=absence",
            status_code=303,
        )

    @post(
        "/structures/{structure_id:int}/disponibilites/absences/{absence_id:int}/supprimer",
        status_code=303,
    )
    async def remove_absence(self, access: Access, structure_id: Id, absence_id: Id) -> Redirect:
        user_id = service.delete_absence(access, structure_id, absence_id)
        return Redirect(
            f"/agenda/structures/{structure_id}/disponibilites?pro={user_id}&ok=supprimee",
            status_code=303,
        )

    # ------------------------------------------------------------------ teams

    @get("/structures/{structure_id:int}/equipes", name="agenda-teams")
    async def teams(self, access: Access, structure_id: Id) -> Template:
        structure = structure_or_404(access, structure_id)
        access.require("agenda.teams.manage", structure_id=structure_id)
        return Template(
            "agenda/teams.html",
            context={
                "structure": structure,
                "teams": service.structure_teams(access, structure_id),
                "members": service.professionals_for(access, structure_id),
                "roles": ROLES,
            },
        )

    @post("/structures/{structure_id:int}/equipes", status_code=303)
    async def save_team(self, request: Request, access: Access, structure_id: Id) -> Redirect:
        form = await read_form(request)
        service.save_team(
            access,
            structure_id,
            form.get("name", ""),
            form_ints(form.getall("member_ids", [])),
            form_int(form.get("team_id"), "équipe"),
        )
        return Redirect(f"/agenda/structures/{structure_id}/equipes", status_code=303)

    @post("/structures/{structure_id:int}/equipes/{team_id:int}/supprimer", status_code=303)
    async def delete_team(self, access: Access, structure_id: Id, team_id: Id) -> Redirect:
        service.delete_team(access, structure_id, team_id)
        return Redirect(f"/agenda/structures/{structure_id}/equipes", status_code=303)

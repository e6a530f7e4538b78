"""Agenda API: « ma journée », the team week, free slots, a person's appointments."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from virage.accounts.auth import require_actor_guard
from virage.agenda import service
from virage.agenda.api_common import AgendaEntry, Id, checked_ids, token_structure
from virage.agenda.limits import MAX_ID, check_day
from virage.agenda.models import (
    Day,
    DayEntry,
    Professional,
    SlotOut,
    Week,
    WeekEntry,
)
from virage.agenda.timeutil import day_bounds, parse_hhmm, today_paris, week_start
from virage.deps import Access, Plugins
from virage.errors import InvalidInput


class AgendaViewsController(Controller):
    """Views of the agenda."""

    path = "/api/v1/agenda"
    tags = ["Agenda"]
    guards = [require_actor_guard]

    @get("/me/day", summary="Ma journée : mes rendez-vous d'un jour, dans l'ordre")
    async def my_day(
        self,
        access: Access,
        plugins: Plugins,
        day: Annotated[
            date | None, QueryParameter(name="date", description="Jour (défaut : aujourd'hui)")
        ] = None,
    ) -> Day:
        day = check_day(day, "date") or today_paris()
        rows = service.my_day(access, plugins, day)
        return Day(date=day, appointments=[DayEntry(**r) for r in rows])

    @get("/week", summary="Semaine d'une équipe (coordination)")
    async def week(
        self,
        access: Access,
        plugins: Plugins,
        start: Annotated[
            date | None, QueryParameter(description="Un jour de la semaine (défaut : celle-ci)")
        ] = None,
        team: Annotated[int | None, QueryParameter(description="Équipe", ge=1, le=MAX_ID)] = None,
        professional: Annotated[
            list[int] | None, QueryParameter(description="Professionnels (répétable)")
        ] = None,
    ) -> Week:
        first = week_start(check_day(start, "start") or today_paris())
        data = service.week(
            access,
            plugins,
            token_structure(access),
            first,
            team_id=team,
            user_ids=checked_ids(professional, "professional"),
        )
        return Week(
            start=first,
            professionals=[Professional(**p) for p in data["professionals"]],
            appointments=[WeekEntry(**e) for e in data["appointments"]],
        )

    @get(
        "/free-slots",
        summary="Créneaux libres : l'un des professionnels (any) ou tous ensemble (all)",
        description="Exemple : les premiers créneaux de 30 minutes la semaine prochaine entre 9 h "
        "et 12 h où Mme X (professional=12) ou quelqu'un de l'équipe (team=3) est libre.",
    )
    async def free_slots(
        self,
        access: Access,
        plugins: Plugins,
        first_day: Annotated[
            date | None, QueryParameter(name="from", description="Premier jour (défaut : demain)")
        ] = None,
        last_day: Annotated[
            date | None, QueryParameter(name="to", description="Dernier jour inclus (défaut : +6)")
        ] = None,
        day_start: Annotated[str, QueryParameter(description="Début de plage, HH:MM")] = "09:00",
        day_end: Annotated[str, QueryParameter(description="Fin de plage, HH:MM")] = "17:00",
        duration: Annotated[int, QueryParameter(description="Durée en minutes", ge=5, le=720)] = 30,
        professional: Annotated[
            list[int] | None,
            QueryParameter(description="Professionnels, par ordre de préférence (répétable)"),
        ] = None,
        team: Annotated[int | None, QueryParameter(description="Équipe", ge=1, le=MAX_ID)] = None,
        mode: Annotated[str, QueryParameter(description="any ou all")] = "any",
        step: Annotated[int, QueryParameter(description="Pas en minutes", ge=5, le=240)] = 15,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 20,
    ) -> list[SlotOut]:
        first = check_day(first_day, "from") or today_paris() + timedelta(days=1)
        last = check_day(last_day, "to") or first + timedelta(days=6)
        slots = service.search_free_slots(
            access,
            plugins,
            token_structure(access),
            first_day=first,
            last_day=last,
            day_start=parse_hhmm(day_start, "day_start"),
            day_end=parse_hhmm(day_end, "day_end"),
            duration_minutes=duration,
            professional_ids=checked_ids(professional, "professional"),
            team_id=team,
            mode=mode,
            step_minutes=step,
            limit=limit,
        )
        return [SlotOut(**s) for s in slots]

    @get("/persons/{person_id:int}/appointments", summary="Rendez-vous d'une personne")
    async def person(
        self,
        access: Access,
        plugins: Plugins,
        person_id: Id,
        start: Annotated[date | None, QueryParameter()] = None,
        end: Annotated[date | None, QueryParameter()] = None,
    ) -> list[AgendaEntry]:
        first = check_day(start, "start") or today_paris() - timedelta(days=30)
        last = check_day(end, "end") or first + timedelta(days=120)
        if last < first or (last - first).days > 400:
            raise InvalidInput("Période de 400 jours au plus, la fin après le début.")
        rows = service.person_agenda(
            access,
            plugins,
            person_id,
            day_bounds(first)[0],
            day_bounds(last)[1],
        )
        return [AgendaEntry(**r) for r in rows]

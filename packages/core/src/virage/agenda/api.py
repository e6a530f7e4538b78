"""JSON API of the agenda, under ``/api/v1/agenda``. Bearer tokens only.

A token acts for its user in one structure: listings, bookings and searches are that structure's.
Times without an offset are read as Europe/Paris wall-clock times.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.params import JSONBody, PathParameter, QueryParameter
from pydantic import BaseModel, Field

from virage.accounts.auth import require_actor_guard
from virage.agenda import ical, importing, series_state, service
from virage.agenda.limits import MAX_ID, check_day, check_id
from virage.agenda.models import (
    Absence,
    AbsenceIn,
    Appointment,
    AppointmentCreate,
    AppointmentUpdate,
    CancelIn,
    Day,
    DayEntry,
    Feed,
    ImportReport,
    Kind,
    PersonBrief,
    Professional,
    Scope,
    SlotOut,
    StatusIn,
    Team,
    TeamIn,
    Week,
    WeekEntry,
    WorkingHours,
    WorkingHoursIn,
)
from virage.agenda.timeutil import day_bounds, parse_hhmm, today_paris, week_start
from virage.db import utcnow_iso
from virage.deps import Access, Plugins
from virage.errors import InvalidInput

Id = Annotated[int, PathParameter(ge=1, le=MAX_ID)]


def _structure(access) -> int:
    actor = access.require_login()
    if actor.token_structure_id is None:
        raise InvalidInput("Ce point d'accès demande un jeton rattaché à une structure.")
    return actor.token_structure_id


class AgendaEntry(BaseModel):
    id: int
    structure_id: int
    kind: str
    kind_label: str
    title: str
    start: str
    end: str
    start_local: str
    end_local: str
    status: str
    status_label: str
    cancel_reason: str | None
    person: PersonBrief | None
    place: str
    place_label: str
    place_detail: str | None
    to_bring: str
    has_notes: bool
    professionals: list[Professional]
    recurring: bool


class CancelResult(BaseModel):
    appointment: Appointment | None = Field(
        description="L'occurrence annulée (elle reste visible, annulée, et peut être rétablie)"
    )
    cancelled_occurrences: int
    series_id: int | None


class RestoreIn(BaseModel):
    force: bool = False


class RestoreResult(BaseModel):
    appointment: Appointment
    restored_occurrences: int
    series_id: int


def _ids(values: list[int] | None, field: str) -> list[int] | None:
    return [check_id(v, field) for v in values] if values else values


def _window(start: date | None, end: date | None, default_days: int = 7) -> tuple[Any, Any]:
    first = check_day(start, "start") or today_paris()
    last = check_day(end, "end") or first + timedelta(days=default_days - 1)
    if last < first:
        raise InvalidInput("La date de fin doit suivre la date de début.")
    if (last - first).days > 92:
        raise InvalidInput("Demandez 93 jours au plus.")
    return day_bounds(first)[0], day_bounds(last)[1]


class AgendaController(Controller):
    path = "/api/v1/agenda"
    tags = ["Agenda"]
    guards = [require_actor_guard]

    # ------------------------------------------------------------------ kinds

    @get("/kinds", summary="Types de rendez-vous (cœur et plugins)")
    async def kinds(self, plugins: Plugins) -> list[Kind]:
        return [
            Kind(
                name=k.name,
                label=k.label,
                default_place=k.default_place,
                default_minutes=k.default_minutes,
                blocks=k.blocks,
                person=k.person,
            )
            for k in service.kinds_list(plugins)
        ]

    # ------------------------------------------------------------------ appointments

    @get("/appointments", summary="Rendez-vous de la structure du jeton sur une période")
    async def list_appointments(
        self,
        access: Access,
        plugins: Plugins,
        start: Annotated[
            date | None,
            QueryParameter(description="Premier jour (AAAA-MM-JJ), défaut : aujourd'hui"),
        ] = None,
        end: Annotated[
            date | None, QueryParameter(description="Dernier jour inclus (défaut : +6 jours)")
        ] = None,
        professional: Annotated[
            int | None, QueryParameter(description="Un professionnel seulement", ge=1, le=MAX_ID)
        ] = None,
        person: Annotated[
            int | None, QueryParameter(description="Une personne seulement", ge=1, le=MAX_ID)
        ] = None,
    ) -> list[AgendaEntry]:
        lo, hi = _window(start, end)
        rows = service.structure_window(
            access,
            plugins,
            _structure(access),
            lo,
            hi,
            professional_id=professional,
            person_id=person,
        )
        return [AgendaEntry(**r) for r in rows]

    @post(
        "/appointments",
        summary="Prendre un rendez-vous (répété avec recurrence.rrule)",
        description="Un professionnel déjà occupé ou absent : 409 avec le rendez-vous en conflit "
        "(sauf force=true par la coordination).",
    )
    async def create(
        self, access: Access, plugins: Plugins, data: JSONBody[AppointmentCreate]
    ) -> Appointment:
        result = service.book(access, plugins, _structure(access), data.model_dump())
        return Appointment(**result)

    @get("/appointments/{appointment_id:int}", summary="Un rendez-vous (notes : équipe de soins)")
    async def read(self, access: Access, plugins: Plugins, appointment_id: Id) -> Appointment:
        return Appointment(**service.get(access, plugins, appointment_id))

    @patch(
        "/appointments/{appointment_id:int}",
        summary="Déplacer ou modifier (cette occurrence, les suivantes ou toute la série)",
    )
    async def update(
        self,
        access: Access,
        plugins: Plugins,
        appointment_id: Id,
        data: JSONBody[AppointmentUpdate],
        edit_scope: Annotated[
            Scope,
            QueryParameter(
                name="scope",
                description="one (défaut), following (celle-ci et les suivantes), series",
            ),
        ] = "one",
    ) -> Appointment:
        changes = data.model_dump(exclude_unset=True)
        return Appointment(**service.update(access, plugins, appointment_id, changes, edit_scope))

    @post(
        "/appointments/{appointment_id:int}/cancel",
        summary="Annuler (motif obligatoire ; une occurrence, ou la série à partir d'elle)",
        status_code=200,
    )
    async def cancel(
        self, access: Access, plugins: Plugins, appointment_id: Id, data: JSONBody[CancelIn]
    ) -> CancelResult:
        result = service.cancel(access, plugins, appointment_id, data.reason, data.scope)
        appointment = result["appointment"]
        return CancelResult(
            appointment=Appointment(**appointment) if appointment else None,
            cancelled_occurrences=result["cancelled_occurrences"],
            series_id=result["series_id"],
        )

    @post(
        "/appointments/{appointment_id:int}/restore-series",
        summary="Rétablir la série annulée de ce rendez-vous (sauf les occurrences annulées une à une)",
        status_code=200,
    )
    async def restore_series(
        self, access: Access, plugins: Plugins, appointment_id: Id, data: JSONBody[RestoreIn]
    ) -> RestoreResult:
        result = series_state.restore_series(access, plugins, appointment_id, data.force)
        return RestoreResult(
            appointment=Appointment(**result["appointment"]),
            restored_occurrences=result["restored_occurrences"],
            series_id=result["series_id"],
        )

    @post(
        "/appointments/{appointment_id:int}/status",
        summary="Confirmer, marquer fait ou non réalisé, rétablir un rendez-vous annulé",
        status_code=200,
    )
    async def status(
        self, access: Access, plugins: Plugins, appointment_id: Id, data: JSONBody[StatusIn]
    ) -> Appointment:
        return Appointment(
            **service.set_status(access, plugins, appointment_id, data.status, data.force)
        )

    @post(
        "/appointments/{appointment_id:int}/check-in",
        summary="Pointer mon arrivée (par moi seulement ; jamais de position)",
        status_code=200,
    )
    async def check_in(self, access: Access, plugins: Plugins, appointment_id: Id) -> Appointment:
        return Appointment(**service.checkin(access, plugins, appointment_id, "in"))

    @post(
        "/appointments/{appointment_id:int}/check-out",
        summary="Pointer mon départ (la visite est marquée faite)",
        status_code=200,
    )
    async def check_out(self, access: Access, plugins: Plugins, appointment_id: Id) -> Appointment:
        return Appointment(**service.checkin(access, plugins, appointment_id, "out"))

    # ------------------------------------------------------------------ views

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
            _structure(access),
            first,
            team_id=team,
            user_ids=_ids(professional, "professional"),
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
            _structure(access),
            first_day=first,
            last_day=last,
            day_start=parse_hhmm(day_start, "day_start"),
            day_end=parse_hhmm(day_end, "day_end"),
            duration_minutes=duration,
            professional_ids=_ids(professional, "professional"),
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

    # ------------------------------------------------------------------ availability

    @get("/professionals/{user_id:int}/working-hours", summary="Horaires de travail")
    async def get_hours(self, access: Access, user_id: Id) -> WorkingHours:
        return WorkingHours(**service.get_working_hours(access, _structure(access), user_id))

    @put("/professionals/{user_id:int}/working-hours", summary="Déclarer les horaires de travail")
    async def put_hours(
        self, access: Access, user_id: Id, data: JSONBody[WorkingHoursIn]
    ) -> WorkingHours:
        slots = [s.model_dump() for s in data.slots]
        return WorkingHours(**service.set_working_hours(access, _structure(access), user_id, slots))

    @get("/professionals/{user_id:int}/absences", summary="Absences (à venir et du dernier mois)")
    async def get_absences(self, access: Access, user_id: Id) -> list[Absence]:
        return [Absence(**a) for a in service.list_absences(access, _structure(access), user_id)]

    @post(
        "/professionals/{user_id:int}/absences", summary="Déclarer une absence (sans motif médical)"
    )
    async def add_absence(self, access: Access, user_id: Id, data: JSONBody[AbsenceIn]) -> Absence:
        return Absence(
            **service.add_absence(
                access, _structure(access), user_id, data.kind, data.start, data.end
            )
        )

    @delete("/absences/{absence_id:int}", summary="Supprimer une absence")
    async def delete_absence(self, access: Access, absence_id: Id) -> None:
        service.delete_absence(access, _structure(access), absence_id)

    # ------------------------------------------------------------------ teams

    @get("/teams", summary="Équipes de l'agenda (secteurs, tournées)")
    async def teams(self, access: Access) -> list[Team]:
        return [Team(**t) for t in service.list_teams(access, _structure(access))]

    @post("/teams", summary="Créer une équipe")
    async def create_team(self, access: Access, data: JSONBody[TeamIn]) -> Team:
        return Team(**service.save_team(access, _structure(access), data.name, data.member_ids))

    @put("/teams/{team_id:int}", summary="Renommer une équipe ou changer ses membres")
    async def update_team(self, access: Access, team_id: Id, data: JSONBody[TeamIn]) -> Team:
        return Team(
            **service.save_team(access, _structure(access), data.name, data.member_ids, team_id)
        )

    @delete("/teams/{team_id:int}", summary="Supprimer une équipe")
    async def delete_team(self, access: Access, team_id: Id) -> None:
        service.delete_team(access, _structure(access), team_id)

    # ------------------------------------------------------------------ calendar feed & import

    @post("/me/feed", summary="Créer mon abonnement de calendrier (adresse secrète, une fois)")
    async def create_feed(self, request: Request, access: Access) -> Feed:
        secret = ical.create_feed(access)
        base = str(request.base_url).rstrip("/")
        return Feed(url=f"{base}/agenda/flux/{secret}.ics", created_at=utcnow_iso())

    @delete("/me/feed", summary="Révoquer mon abonnement de calendrier")
    async def revoke_feed(self, access: Access) -> None:
        ical.revoke_feed(access)

    @post(
        "/import",
        summary="Importer un fichier .ics (rapport : créés, refusés avec le motif)",
        description="Corps de la requête : le fichier iCalendar tel quel "
        "(Content-Type: text/calendar). Répétitions (RRULE, EXDATE) reprises à l'heure de Paris.",
        status_code=200,
    )
    async def import_ics(
        self,
        request: Request,
        access: Access,
        plugins: Plugins,
        professional: Annotated[
            list[int], QueryParameter(description="Professionnels des rendez-vous importés")
        ],
        kind: Annotated[
            str, QueryParameter(description="Type des rendez-vous importés")
        ] = "meeting",
        dry_run: Annotated[bool, QueryParameter(description="Simuler sans rien écrire")] = False,
        force: Annotated[
            bool, QueryParameter(description="Malgré les conflits (coordination)")
        ] = False,
    ) -> ImportReport:
        data = await request.body()
        report = await importing.import_calendar_async(
            access,
            plugins,
            _structure(access),
            data,
            professional_ids=_ids(professional, "professional"),
            kind=kind,
            dry_run=dry_run,
            force=force,
        )
        return ImportReport(**report)

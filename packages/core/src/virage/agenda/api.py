"""JSON API of the agenda, under ``/api/v1/agenda``. Bearer tokens only.

A token acts for its user in one structure: listings, bookings and searches are that structure's.
Times without an offset are read as Europe/Paris wall-clock times.

This module serves the kinds and the appointments; ``api_views`` the day, week, free slots and a
person's appointments; ``api_availability`` working hours, absences and teams; ``api_calendar``
the subscription and the ``.ics`` import. ``CONTROLLERS`` lists them all."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import JSONBody, QueryParameter
from pydantic import BaseModel, Field

from virage.accounts.auth import require_actor_guard
from virage.agenda import service
from virage.agenda.api_availability import AgendaAvailabilityController
from virage.agenda.api_calendar import AgendaCalendarController
from virage.agenda.api_common import AgendaEntry, Id, day_window, token_structure
from virage.agenda.api_views import AgendaViewsController
from virage.agenda.limits import MAX_ID
from virage.agenda.models import (
    Appointment,
    AppointmentCreate,
    AppointmentUpdate,
    CancelIn,
    Kind,
    Scope,
    StatusIn,
)
from virage.deps import Access, Plugins


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


class AgendaController(Controller):
    """Kinds of appointments, and appointments: list, book, read, change, cancel, status."""

    path = "/api/v1/agenda"
    tags = ["Agenda"]
    guards = [require_actor_guard]

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
        lo, hi = day_window(start, end)
        rows = service.structure_window(
            access,
            plugins,
            token_structure(access),
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
        result = service.book(access, plugins, token_structure(access), data.model_dump())
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
        result = service.restore_series(access, plugins, appointment_id, data.force)
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


#: The agenda's API controllers (all under ``/api/v1/agenda``).
CONTROLLERS = [
    AgendaController,
    AgendaViewsController,
    AgendaAvailabilityController,
    AgendaCalendarController,
]

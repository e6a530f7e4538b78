"""Booking pages: ``/agenda/structures/{id}/nouveau`` (form pre-filled from a free slot)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from virage.access import ROLES
from virage.accounts import persons as persons_service
from virage.accounts.auth import require_actor_guard
from virage.agenda import service
from virage.agenda.kinds import PLACES
from virage.agenda.limits import in_range
from virage.agenda.settings_section import kinds_in_use
from virage.agenda.timeutil import to_local
from virage.agenda.web_forms import (
    Id,
    form_date,
    form_int,
    form_ints,
    local_datetime,
    read_form,
    structure_or_404,
)
from virage.agenda.web_repetition import repetition_choices, rrule_from_form
from virage.deps import Access, Plugins
from virage.errors import Conflict, InvalidInput


def _booking_context(
    access, plugins, structure: dict, values: dict, q: str | None = None
) -> dict[str, Any]:
    sid = structure["id"]
    kinds = {k.name: k for k in kinds_in_use(access.db, plugins, sid)}
    members = service.professionals_for(access, sid)
    can_book_all = access.allowed("agenda.book", structure_id=sid)
    if not can_book_all:
        members = [m for m in members if m["id"] == access.actor.user_id] + [
            m for m in members if m["id"] != access.actor.user_id
        ]
    person_rows = persons_service.list_for(access, sid, q or None)
    return {
        "structure": structure,
        "kinds": list(kinds.values()),
        "members": members,
        "persons": person_rows,
        "places": PLACES,
        "repetitions": repetition_choices(values.get("date")),
        "can_rrule": access.allowed("agenda.force", structure_id=sid),
        "values": values,
        "q": q or "",
        "can_force": access.allowed("agenda.force", structure_id=sid),
        "can_notes": access.allowed("agenda.notes.write", structure_id=sid),
        "can_book_all": can_book_all,
        "roles": ROLES,
    }


def _booking_values_from_query(request: Request, plugins) -> dict[str, Any]:
    params = request.query_params
    start = params.get("debut", "")
    values: dict[str, Any] = {
        "kind": params.get("type", ""),
        "date": "",
        "start_time": "",
        "duration": params.get("duree", ""),
        "professional_ids": form_ints(params.getall("pro", [])),
        "person_id": form_int(params.get("personne"), "personne"),
        "place": "",
        "place_detail": "",
        "title": "",
        "to_bring": "",
        "notes": "",
        "repetition": "",
        "jusqu_au": "",
        "nombre": "",
        "rrule": "",
        "end_time": "",
    }
    if start:
        try:
            local = datetime.fromisoformat(start)
        except ValueError:
            local = None
        if local is not None and not in_range(local):
            local = None  # a pre-filled form only: an impossible date leaves it blank
        if local is not None and local.tzinfo is not None:
            local = to_local(local)
        if local is not None:
            values["date"] = local.date().isoformat()
            values["start_time"] = local.strftime("%H:%M")
    if not values["kind"]:
        values["kind"] = "home_visit" if values["person_id"] else "structure_appointment"
    return values


def _booking_data(form, values: dict, advanced_allowed: bool) -> dict[str, Any]:
    start_day = form_date(form.get("date"), "date")
    start = local_datetime(start_day, form.get("start_time", ""), "heure de début")
    end_time = form.get("end_time", "").strip()
    data: dict[str, Any] = {
        "kind": form.get("kind", ""),
        "title": form.get("title", "").strip() or None,
        "start": start,
        "end": local_datetime(start_day, end_time, "heure de fin") if end_time else None,
        "duration_minutes": form_int(form.get("duration"), "durée", 7 * 24 * 60)
        if not end_time
        else None,
        "professional_ids": form_ints(form.getall("professional_ids", [])),
        "person_id": form_int(form.get("person_id"), "personne"),
        "place": form.get("place") or None,
        "place_detail": form.get("place_detail", "").strip() or None,
        "notes": form.get("notes", "").strip(),
        "to_bring": form.get("to_bring", "").strip(),
        "force": form.get("force") == "1",
    }
    if data["end"] is not None and data["end"] <= start:
        data["end"] += timedelta(days=1)  # a night round: 21:00 → 07:00
    rule = rrule_from_form(form, start_day, advanced_allowed=advanced_allowed)
    if rule:
        data["recurrence"] = {"rrule": rule, "exdates": []}
    return data


class AgendaBookingPages(Controller):
    """The booking form and its submission."""

    path = "/agenda"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/structures/{structure_id:int}/nouveau", name="agenda-new")
    async def new(
        self,
        request: Request,
        access: Access,
        plugins: Plugins,
        structure_id: Id,
        q: Annotated[str | None, QueryParameter()] = None,
    ) -> Template:
        structure = structure_or_404(access, structure_id)
        if not (
            access.allowed("agenda.book", structure_id=structure_id)
            or access.allowed("agenda.book.own", structure_id=structure_id)
        ):
            access.require("agenda.book", structure_id=structure_id)
        values = _booking_values_from_query(request, plugins)
        return Template(
            "agenda/new.html",
            context=_booking_context(access, plugins, structure, values, q),
        )

    @post("/structures/{structure_id:int}/nouveau", status_code=303)
    async def create(
        self, request: Request, access: Access, plugins: Plugins, structure_id: Id
    ) -> Response:
        structure = structure_or_404(access, structure_id)
        form = await read_form(request)
        values = {k: form.get(k, "") for k in form}
        values["professional_ids"] = form_ints(form.getall("professional_ids", []))
        values["person_id"] = form_int(form.get("person_id"), "personne")
        if form.get("chercher_personne"):
            # the person search inside the form: everything typed comes back with the results
            q = (form.get("q") or "").strip()[:100]
            return Template(
                "agenda/new.html",
                context=_booking_context(access, plugins, structure, values, q),
                status_code=200,
            )
        try:
            advanced = access.allowed("agenda.force", structure_id=structure_id)
            data = _booking_data(form, values, advanced)
            result = service.book(access, plugins, structure_id, data)
        except (Conflict, InvalidInput) as exc:
            context = _booking_context(access, plugins, structure, values)
            context.update(error=exc.message, clashes=exc.details)
            return Template(
                "agenda/new.html",
                context=context,
                status_code=409 if isinstance(exc, Conflict) else 400,
            )
        return Redirect(f"/agenda/rendez-vous/{result['id']}?ok=cree", status_code=303)

"""Pages of one appointment: ``/agenda/rendez-vous/{id}`` (move, cancel, status, notes,
check-in and check-out, restore a cancelled series)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from virage.access import ROLES
from virage.accounts import lookups
from virage.accounts.auth import require_actor_guard
from virage.agenda import service
from virage.agenda.day_cards import visit_state
from virage.agenda.kinds import PLACES, STATUSES
from virage.agenda.timeutil import to_local
from virage.agenda.web_forms import (
    Id,
    form_date,
    form_ints,
    local_datetime,
    read_form,
)
from virage.deps import Access, Plugins
from virage.errors import Conflict, InvalidInput

SCOPES = {
    "one": "Ce rendez-vous seulement",
    "following": "Celui-ci et les suivants",
    "series": "Toute la série (rendez-vous à venir)",
}

STATUS_ACTIONS = {
    "planned": "Remettre à « prévu »",
    "confirmed": "Confirmer",
    "done": "Marquer comme fait",
    "missed": "Marquer non réalisé",
}


class AgendaAppointmentPages(Controller):
    """One appointment and what can be done to it."""

    path = "/agenda"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/rendez-vous/{appointment_id:int}", name="agenda-appointment")
    async def appointment(
        self,
        access: Access,
        plugins: Plugins,
        appointment_id: Id,
        ok: Annotated[str | None, QueryParameter()] = None,
    ) -> Template:
        return Template(
            "agenda/appointment.html",
            context=_appointment_context(access, plugins, appointment_id, ok=ok),
        )

    @post("/rendez-vous/{appointment_id:int}/modifier", status_code=303)
    async def modify(
        self, request: Request, access: Access, plugins: Plugins, appointment_id: Id
    ) -> Response:
        form = await read_form(request)
        scope = form.get("scope", "one")
        if scope not in SCOPES:
            raise InvalidInput("Portée de la modification inconnue.")
        day = form_date(form.get("date"), "date")
        start = local_datetime(day, form.get("start_time", ""), "heure de début")
        end = local_datetime(day, form.get("end_time", ""), "heure de fin")
        if end <= start:
            end += timedelta(days=1)
        changes: dict[str, Any] = {"start": start, "end": end, "force": form.get("force") == "1"}
        pros = form_ints(form.getall("professional_ids", []))
        if pros:
            changes["professional_ids"] = pros
        for key in ("title", "place_detail", "to_bring"):
            if key in form:
                changes[key] = form.get(key, "").strip()
        if form.get("place"):
            changes["place"] = form.get("place")
        if not changes.get("title"):
            changes.pop("title", None)
        try:
            result = service.update(access, plugins, appointment_id, changes, scope)
        except Conflict as exc:
            context = _appointment_context(access, plugins, appointment_id)
            context.update(error=exc.message, clashes=exc.details, retry=dict(form), edit_open=True)
            return Template("agenda/appointment.html", context=context, status_code=409)
        return Redirect(f"/agenda/rendez-vous/{result['id']}?ok=modifie", status_code=303)

    @post("/rendez-vous/{appointment_id:int}/notes", status_code=303)
    async def notes(
        self, request: Request, access: Access, plugins: Plugins, appointment_id: Id
    ) -> Redirect:
        form = await read_form(request)
        service.update(
            access, plugins, appointment_id, {"notes": form.get("notes", "").strip()}, "one"
        )
        return Redirect(f"/agenda/rendez-vous/{appointment_id}?ok=notes", status_code=303)

    @post("/rendez-vous/{appointment_id:int}/annuler", status_code=303)
    async def cancel(
        self, request: Request, access: Access, plugins: Plugins, appointment_id: Id
    ) -> Redirect:
        form = await read_form(request)
        result = service.cancel(
            access,
            plugins,
            appointment_id,
            form.get("reason", ""),
            form.get("scope", "one") if form.get("scope") in SCOPES else "one",
        )
        ok = "annule" if result["cancelled_occurrences"] == 1 else "serie-annulee"
        return Redirect(f"/agenda/rendez-vous/{appointment_id}?ok={ok}", status_code=303)

    @post("/rendez-vous/{appointment_id:int}/retablir-serie", status_code=303)
    async def restore_series(
        self, request: Request, access: Access, plugins: Plugins, appointment_id: Id
    ) -> Template | Redirect:
        form = await read_form(request)
        try:
            service.restore_series(access, plugins, appointment_id, form.get("force") == "1")
        except Conflict as exc:
            context = _appointment_context(access, plugins, appointment_id)
            context.update(error=exc.message, clashes=exc.details, restore_conflict=True)
            return Template("agenda/appointment.html", context=context, status_code=409)
        return Redirect(f"/agenda/rendez-vous/{appointment_id}?ok=serie-retablie", status_code=303)

    @post("/rendez-vous/{appointment_id:int}/statut", status_code=303)
    async def status(
        self, request: Request, access: Access, plugins: Plugins, appointment_id: Id
    ) -> Redirect:
        form = await read_form(request)
        service.set_status(
            access, plugins, appointment_id, form.get("status", ""), form.get("force") == "1"
        )
        return Redirect(_back(form, appointment_id, "statut"), status_code=303)

    @post("/rendez-vous/{appointment_id:int}/arrivee", status_code=303)
    async def check_in(
        self, request: Request, access: Access, plugins: Plugins, appointment_id: Id
    ) -> Redirect:
        form = await read_form(request)
        service.checkin(access, plugins, appointment_id, "in")
        return Redirect(_back(form, appointment_id, "arrivee"), status_code=303)

    @post("/rendez-vous/{appointment_id:int}/depart", status_code=303)
    async def check_out(
        self, request: Request, access: Access, plugins: Plugins, appointment_id: Id
    ) -> Redirect:
        form = await read_form(request)
        service.checkin(access, plugins, appointment_id, "out")
        return Redirect(_back(form, appointment_id, "depart"), status_code=303)


def _back(form, appointment_id: int, ok: str) -> str:
    target = form.get("retour", "")
    if target.startswith("/agenda/") and not target.startswith("//"):
        separator = "&" if "?" in target else "?"
        # back on « Ma journée », at the card (not at the top of the page)
        anchor = f"#rdv-{appointment_id}" if target.startswith("/agenda/ma-journee") else ""
        return f"{target}{separator}ok={ok}{anchor}"
    return f"/agenda/rendez-vous/{appointment_id}?ok={ok}"


def _appointment_context(access, plugins, appointment_id: int, ok: str | None = None) -> dict:
    data = service.get(access, plugins, appointment_id)
    sid = data["structure_id"]
    local_start, local_end = to_local(data["start"]), to_local(data["end"])
    started = local_start <= datetime.now(local_start.tzinfo) + timedelta(hours=1)
    members = service.professionals_for(access, sid) if data["can_write"] else []
    in_progress = any(
        c.get("checked_in_at") and not c.get("checked_out_at") for c in data.get("checkins") or []
    )
    state, label = visit_state(data["status"], "yes" if in_progress else None, None)
    data.update(state=state, state_label=label or data["status_label"])
    return {
        "a": data,
        "structure": lookups.structure(access.db, sid),
        "edit": {
            "date": local_start.date().isoformat(),
            "start_time": local_start.strftime("%H:%M"),
            "end_time": local_end.strftime("%H:%M"),
        },
        "members": members,
        "places": PLACES,
        "statuses": STATUSES,
        "scopes": SCOPES,
        "transitions": [
            s
            for s in ("confirmed", "planned", "done", "missed")
            if s in service.TRANSITIONS.get(data["status"], set())
            and (s not in service.PROTECTED or started)
            # one path for who goes: « Je suis arrivé·e » then « Visite terminée » marks it done
            and not (s == "done" and data.get("is_attendee"))
        ],
        "status_actions": STATUS_ACTIONS,
        "can_force": access.allowed("agenda.force", structure_id=sid),
        "ok": ok,
        "roles": ROLES,
    }

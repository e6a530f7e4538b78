"""Web pages of the agenda (French, phone first, plain forms protected by CSRF, no JavaScript).

- ``/agenda/ma-journee``: the field worker's day (time, person, address, what to bring, check-in);
- ``/agenda/structures/{id}/semaine``: the team week (coordination);
- ``/agenda/structures/{id}/creneaux``: free slots, then booking (secretariat);
- ``/agenda/rendez-vous/{id}``: one appointment (move, cancel, status, notes);
- ``/agenda/abonnement``: the calendar subscription; ``/agenda/flux/<secret>.ics``: the feed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, PathParameter, QueryParameter
from litestar.response import Redirect, Response, Template
from markupsafe import Markup

import virage
from virage.access import ROLES
from virage.accounts import persons as persons_service
from virage.accounts import storage as accounts_storage
from virage.accounts.auth import require_actor_guard
from virage.agenda import ical, importing, series_state, service, storage
from virage.agenda.kinds import PLACES, STATUSES
from virage.agenda.kinds import registry as kinds_registry
from virage.agenda.limits import MAX_ID, check_day, in_range
from virage.agenda.timeutil import (
    WEEKDAYS_FR,
    day_bounds,
    long_date,
    parse_hhmm,
    to_local,
    today_paris,
    week_start,
)
from virage.deps import DB, Access, Permissions, Plugins
from virage.errors import Conflict, InvalidInput, NotFound, VirageError
from virage.web.sections import PageSection
from virage.web.templating import fragment_environment

Id = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
TEMPLATES = Path(virage.__file__).parent / "web" / "templates"
_snippets = fragment_environment(TEMPLATES)

SCOPES = {
    "one": "Ce rendez-vous seulement",
    "following": "Celui-ci et les suivants",
    "series": "Toute la série (rendez-vous à venir)",
}
REPETITIONS = {
    "": "Pas de répétition",
    "daily": "Tous les jours",
    "weekdays": "Du lundi au vendredi",
    "weekly": "Chaque semaine, le même jour",
    "rrule": "Règle iCalendar (RRULE)",
}
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
STATUS_ACTIONS = {
    "planned": "Remettre à « prévu »",
    "confirmed": "Confirmer",
    "done": "Marquer comme fait",
    "missed": "Marquer non réalisé",
}


def render_snippet(name: str, **context: Any) -> Markup:
    """Render a template fragment for a section of another domain's page."""
    return Markup(_snippets.get_template(name).render(**context))


# --------------------------------------------------------------------------- form helpers


async def _form(request: Request):
    return await request.form()


def _date(value: str | None, field: str, default: date | None = None) -> date:
    if not value:
        if default is None:
            raise InvalidInput(f"{field} : date attendue (AAAA-MM-JJ).")
        return default
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{field} : date attendue au format AAAA-MM-JJ.") from None
    return check_day(day, field)


def _int(value: Any, field: str, high: int = MAX_ID) -> int | None:
    """A number from a form or a query string: an identifier by default (1 to 2⁶³ − 1)."""
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip()[:30])
    except (TypeError, ValueError):
        raise InvalidInput(f"{field} : nombre attendu.") from None
    if not 1 <= number <= high:
        raise InvalidInput(f"{field} : nombre de 1 à {high} attendu.")
    return number


def _ints(values: list[str]) -> list[int]:
    out = []
    for value in values:
        number = _int(value, "professionnel")
        if number is not None:
            out.append(number)
    return out


def _local_datetime(day: date, hhmm: str, field: str) -> datetime:
    return datetime.combine(day, parse_hhmm(hhmm, field))


def _structure_or_404(access, structure_id: int) -> dict:
    structure = accounts_storage.get_structure(access.db, structure_id)
    actor = access.require_login()
    if structure is None or actor.role_in(structure_id) is None:
        raise NotFound("Cette structure n'existe pas ou ne vous est pas accessible.")
    return structure


def _rrule_from_form(form, start_day: date) -> str | None:
    choice = form.get("repetition", "")
    until = form.get("jusqu_au", "").strip()
    if not choice:
        return None
    if choice == "daily":
        rule = "FREQ=DAILY"
    elif choice == "weekdays":
        rule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    elif choice == "weekly":
        rule = f"FREQ=WEEKLY;BYDAY={DAY_CODES[start_day.weekday()]}"
    elif choice == "rrule":
        rule = form.get("rrule", "").strip()
        if not rule:
            raise InvalidInput("Indiquez la règle de répétition (RRULE).")
        return rule
    else:
        raise InvalidInput("Répétition inconnue.")
    if until:
        rule += f";UNTIL={_date(until, 'jusqu_au').strftime('%Y%m%d')}"
    return rule


def _booking_context(
    access, plugins, structure: dict, values: dict, q: str | None = None
) -> dict[str, Any]:
    sid = structure["id"]
    kinds = kinds_registry(plugins)
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
        "repetitions": REPETITIONS,
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
        "professional_ids": _ints(params.getall("pro", [])),
        "person_id": _int(params.get("personne"), "personne"),
        "place": "",
        "place_detail": "",
        "title": "",
        "to_bring": "",
        "notes": "",
        "repetition": "",
        "jusqu_au": "",
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


def _booking_data(form, values: dict) -> dict[str, Any]:
    start_day = _date(form.get("date"), "date")
    start = _local_datetime(start_day, form.get("start_time", ""), "heure de début")
    end_time = form.get("end_time", "").strip()
    data: dict[str, Any] = {
        "kind": form.get("kind", ""),
        "title": form.get("title", "").strip() or None,
        "start": start,
        "end": _local_datetime(start_day, end_time, "heure de fin") if end_time else None,
        "duration_minutes": _int(form.get("duration"), "durée", 7 * 24 * 60)
        if not end_time
        else None,
        "professional_ids": _ints(form.getall("professional_ids", [])),
        "person_id": _int(form.get("person_id"), "personne"),
        "place": form.get("place") or None,
        "place_detail": form.get("place_detail", "").strip() or None,
        "notes": form.get("notes", "").strip(),
        "to_bring": form.get("to_bring", "").strip(),
        "force": form.get("force") == "1",
    }
    if data["end"] is not None and data["end"] <= start:
        data["end"] += timedelta(days=1)  # a night round: 21:00 → 07:00
    rule = _rrule_from_form(form, start_day)
    if rule:
        data["recurrence"] = {"rrule": rule, "exdates": []}
    return data


# --------------------------------------------------------------------------- pages


class AgendaPages(Controller):
    path = "/agenda"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="agenda")
    async def index(self, access: Access) -> Template:
        actor = access.require_login()
        structures = accounts_storage.list_structures(access.db, actor.structure_ids)
        for s in structures:
            sid = s["id"]
            s["role"] = ROLES.get(actor.memberships[sid], actor.memberships[sid])
            s["can_read"] = access.allowed("agenda.read", structure_id=sid)
            s["can_book"] = access.allowed("agenda.book", structure_id=sid) or access.allowed(
                "agenda.book.own", structure_id=sid
            )
            s["can_slots"] = access.allowed("agenda.availability.read", structure_id=sid)
            s["can_availability"] = access.allowed("agenda.availability.manage", structure_id=sid)
            s["can_teams"] = access.allowed("agenda.teams.manage", structure_id=sid)
            s["can_import"] = access.allowed("agenda.import", structure_id=sid)
            s["can_settings"] = access.allowed("agenda.settings.manage", structure_id=sid)
        return Template(
            "agenda/index.html",
            context={"structures": structures, "privacy": service.PRIVACY},
        )

    # ------------------------------------------------------------------ ma journée

    @get("/ma-journee", name="agenda-day")
    async def my_day(
        self,
        access: Access,
        plugins: Plugins,
        jour: Annotated[str | None, QueryParameter()] = None,
        ok: Annotated[str | None, QueryParameter()] = None,
    ) -> Template:
        day = _date(jour, "jour", today_paris())
        rows = service.my_day(access, plugins, day)
        return Template(
            "agenda/day.html",
            context={
                "day": day,
                "day_label": long_date(day),
                "is_today": day == today_paris(),
                "previous": (day - timedelta(days=1)).isoformat(),
                "next": (day + timedelta(days=1)).isoformat(),
                "appointments": rows,
                "ok": ok,
            },
        )

    # ------------------------------------------------------------------ one appointment

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
        form = await _form(request)
        scope = form.get("scope", "one")
        if scope not in SCOPES:
            raise InvalidInput("Portée de la modification inconnue.")
        day = _date(form.get("date"), "date")
        start = _local_datetime(day, form.get("start_time", ""), "heure de début")
        end = _local_datetime(day, form.get("end_time", ""), "heure de fin")
        if end <= start:
            end += timedelta(days=1)
        changes: dict[str, Any] = {"start": start, "end": end, "force": form.get("force") == "1"}
        pros = _ints(form.getall("professional_ids", []))
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
        form = await _form(request)
        service.update(
            access, plugins, appointment_id, {"notes": form.get("notes", "").strip()}, "one"
        )
        return Redirect(f"/agenda/rendez-vous/{appointment_id}?ok=notes", status_code=303)

    @post("/rendez-vous/{appointment_id:int}/annuler", status_code=303)
    async def cancel(
        self, request: Request, access: Access, plugins: Plugins, appointment_id: Id
    ) -> Redirect:
        form = await _form(request)
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
        form = await _form(request)
        try:
            series_state.restore_series(access, plugins, appointment_id, form.get("force") == "1")
        except Conflict as exc:
            context = _appointment_context(access, plugins, appointment_id)
            context.update(error=exc.message, clashes=exc.details, restore_conflict=True)
            return Template("agenda/appointment.html", context=context, status_code=409)
        return Redirect(f"/agenda/rendez-vous/{appointment_id}?ok=serie-retablie", status_code=303)

    @post("/rendez-vous/{appointment_id:int}/statut", status_code=303)
    async def status(
        self, request: Request, access: Access, plugins: Plugins, appointment_id: Id
    ) -> Redirect:
        form = await _form(request)
        service.set_status(
            access, plugins, appointment_id, form.get("status", ""), form.get("force") == "1"
        )
        return Redirect(_back(form, appointment_id, "statut"), status_code=303)

    @post("/rendez-vous/{appointment_id:int}/arrivee", status_code=303)
    async def check_in(
        self, request: Request, access: Access, plugins: Plugins, appointment_id: Id
    ) -> Redirect:
        form = await _form(request)
        service.checkin(access, plugins, appointment_id, "in")
        return Redirect(_back(form, appointment_id, "arrivee"), status_code=303)

    @post("/rendez-vous/{appointment_id:int}/depart", status_code=303)
    async def check_out(
        self, request: Request, access: Access, plugins: Plugins, appointment_id: Id
    ) -> Redirect:
        form = await _form(request)
        service.checkin(access, plugins, appointment_id, "out")
        return Redirect(_back(form, appointment_id, "depart"), status_code=303)

    # ------------------------------------------------------------------ booking

    @get("/structures/{structure_id:int}/nouveau", name="agenda-new")
    async def new(
        self,
        request: Request,
        access: Access,
        plugins: Plugins,
        structure_id: Id,
        q: Annotated[str | None, QueryParameter()] = None,
    ) -> Template:
        structure = _structure_or_404(access, structure_id)
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
        structure = _structure_or_404(access, structure_id)
        form = await _form(request)
        values = {k: form.get(k, "") for k in form}
        values["professional_ids"] = _ints(form.getall("professional_ids", []))
        values["person_id"] = _int(form.get("person_id"), "personne")
        try:
            data = _booking_data(form, values)
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

    # ------------------------------------------------------------------ team week

    @get("/structures/{structure_id:int}/semaine", name="agenda-week")
    async def week(
        self,
        request: Request,
        access: Access,
        plugins: Plugins,
        structure_id: Id,
        debut: Annotated[str | None, QueryParameter()] = None,
        equipe: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)] = None,
    ) -> Template:
        structure = _structure_or_404(access, structure_id)
        first = week_start(_date(debut, "debut", today_paris()))
        teams = storage.teams_of_structure(access.db, structure_id)
        pros = _ints(request.query_params.getall("pro", []))
        data = service.week(
            access, plugins, structure_id, first, team_id=equipe, user_ids=pros or None
        )
        days = [first + timedelta(days=i) for i in range(7)]
        grid: dict[tuple[int, str], list] = {}
        for entry in data["appointments"]:
            key = (entry["professional_id"], to_local(entry["start"]).date().isoformat())
            grid.setdefault(key, []).append(entry)
        return Template(
            "agenda/week.html",
            context={
                "structure": structure,
                "first": first,
                "days": [
                    {"iso": d.isoformat(), "label": f"{WEEKDAYS_FR[d.weekday()][:3]}. {d.day}"}
                    for d in days
                ],
                "week_label": f"semaine du {long_date(first)}",
                "previous": (first - timedelta(days=7)).isoformat(),
                "next": (first + timedelta(days=7)).isoformat(),
                "professionals": data["professionals"],
                "grid": grid,
                "teams": teams,
                "team_id": equipe,
                "count": len(data["appointments"]),
                "can_book": access.allowed("agenda.book", structure_id=structure_id),
            },
        )

    # ------------------------------------------------------------------ free slots

    @get("/structures/{structure_id:int}/creneaux", name="agenda-slots")
    async def slots(
        self,
        request: Request,
        access: Access,
        plugins: Plugins,
        structure_id: Id,
    ) -> Template:
        structure = _structure_or_404(access, structure_id)
        access.require("agenda.availability.read", structure_id=structure_id)
        params = request.query_params
        next_monday = week_start(today_paris()) + timedelta(days=7)
        form = {
            "du": params.get("du") or next_monday.isoformat(),
            "au": params.get("au") or (next_monday + timedelta(days=4)).isoformat(),
            "de": params.get("de") or "09:00",
            "a": params.get("a") or "12:00",
            "duree": params.get("duree") or "30",
            "pro": _ints(params.getall("pro", [])),
            "equipe": _int(params.get("equipe"), "équipe"),
            "mode": params.get("mode") or "any",
            "type": params.get("type") or "",
        }
        results, error = None, None
        if params.get("chercher"):
            try:
                results = service.search_free_slots(
                    access,
                    plugins,
                    structure_id,
                    first_day=_date(form["du"], "du"),
                    last_day=_date(form["au"], "au"),
                    day_start=parse_hhmm(form["de"], "de"),
                    day_end=parse_hhmm(form["a"], "à"),
                    duration_minutes=_int(form["duree"], "durée", 12 * 60) or 30,
                    professional_ids=form["pro"] or None,
                    team_id=form["equipe"],
                    mode=form["mode"],
                    limit=40,
                )
            except VirageError as exc:
                error = exc.message
        by_day: list[tuple[str, list]] = []
        for slot in results or []:
            label = long_date(to_local(slot["start"]).date())
            if not by_day or by_day[-1][0] != label:
                by_day.append((label, []))
            slot["book_url"] = f"/agenda/structures/{structure_id}/nouveau?" + urlencode(
                [
                    ("debut", slot["start_local"]),
                    ("duree", form["duree"]),
                    ("type", form["type"] or "structure_appointment"),
                    *[("pro", p["id"]) for p in slot["professionals"][:1]],
                ]
            )
            by_day[-1][1].append(slot)
        return Template(
            "agenda/slots.html",
            context={
                "structure": structure,
                "form": form,
                "members": service.professionals_for(access, structure_id),
                "teams": storage.teams_of_structure(access.db, structure_id),
                "kinds": list(kinds_registry(plugins).values()),
                "results": results,
                "by_day": by_day,
                "error": error,
                "roles": ROLES,
            },
        )

    # ------------------------------------------------------------------ availability

    @get("/structures/{structure_id:int}/disponibilites", name="agenda-availability")
    async def availability(
        self,
        access: Access,
        structure_id: Id,
        pro: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)] = None,
        ok: Annotated[str | None, QueryParameter()] = None,
    ) -> Template:
        structure = _structure_or_404(access, structure_id)
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
        form = await _form(request)
        user_id = _int(form.get("user_id"), "professionnel")
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
        form = await _form(request)
        user_id = _int(form.get("user_id"), "professionnel")
        service.add_absence(
            access,
            structure_id,
            user_id,
            form.get("kind", ""),
            _date(form.get("start"), "début"),
            _date(form.get("end"), "fin"),
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
        absence = storage.get_absence(access.db, absence_id)
        service.delete_absence(access, structure_id, absence_id)
        user_id = absence["user_id"] if absence else ""
        return Redirect(
            f"/agenda/structures/{structure_id}/disponibilites?pro={user_id}&ok=supprimee",
            status_code=303,
        )

    # ------------------------------------------------------------------ teams

    @get("/structures/{structure_id:int}/equipes", name="agenda-teams")
    async def teams(self, access: Access, structure_id: Id) -> Template:
        structure = _structure_or_404(access, structure_id)
        access.require("agenda.teams.manage", structure_id=structure_id)
        return Template(
            "agenda/teams.html",
            context={
                "structure": structure,
                "teams": storage.teams_of_structure(access.db, structure_id),
                "members": service.professionals_for(access, structure_id),
                "roles": ROLES,
            },
        )

    @post("/structures/{structure_id:int}/equipes", status_code=303)
    async def save_team(self, request: Request, access: Access, structure_id: Id) -> Redirect:
        form = await _form(request)
        service.save_team(
            access,
            structure_id,
            form.get("name", ""),
            _ints(form.getall("member_ids", [])),
            _int(form.get("team_id"), "équipe"),
        )
        return Redirect(f"/agenda/structures/{structure_id}/equipes", status_code=303)

    @post("/structures/{structure_id:int}/equipes/{team_id:int}/supprimer", status_code=303)
    async def delete_team(self, access: Access, structure_id: Id, team_id: Id) -> Redirect:
        service.delete_team(access, structure_id, team_id)
        return Redirect(f"/agenda/structures/{structure_id}/equipes", status_code=303)

    # ------------------------------------------------------------------ import & settings

    @get("/structures/{structure_id:int}/import", name="agenda-import")
    async def import_page(self, access: Access, plugins: Plugins, structure_id: Id) -> Template:
        structure = _structure_or_404(access, structure_id)
        access.require("agenda.import", structure_id=structure_id, action="agenda.import.form")
        return Template("agenda/import.html", context=_import_context(access, plugins, structure))

    @post("/structures/{structure_id:int}/import", status_code=200)
    async def import_file(
        self, request: Request, access: Access, plugins: Plugins, structure_id: Id
    ) -> Template:
        structure = _structure_or_404(access, structure_id)
        form = await _form(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("Choisissez un fichier .ics à importer.")
        content = await upload.read()
        report = await importing.import_calendar_async(
            access,
            plugins,
            structure_id,
            content,
            professional_ids=_ints(form.getall("professional_ids", [])),
            kind=form.get("kind", "meeting"),
            dry_run=form.get("dry_run") == "1",
            force=form.get("force") == "1",
        )
        context = _import_context(access, plugins, structure)
        context["report"] = report
        return Template("agenda/import.html", context=context)

    @post("/structures/{structure_id:int}/reglages", status_code=303)
    async def settings(self, request: Request, access: Access, structure_id: Id) -> Redirect:
        form = await _form(request)
        service.set_calendar_privacy(access, structure_id, form.get("calendar_privacy", ""))
        return Redirect("/agenda?ok=reglages", status_code=303)

    # ------------------------------------------------------------------ person, subscription

    @get("/personnes/{person_id:int}", name="agenda-person")
    async def person(self, access: Access, plugins: Plugins, person_id: Id) -> Template:
        person = access.require("persons.identity.read", person_id=person_id, action="persons.read")
        today = today_paris()
        rows = service.person_agenda(
            access,
            plugins,
            person_id,
            day_bounds(today - timedelta(days=90))[0],
            day_bounds(today + timedelta(days=180))[1],
            limit=1000,
        )
        now = datetime.now().astimezone()
        return Template(
            "agenda/person.html",
            context={
                "person": person,
                "past": [r for r in rows if to_local(r["end"]) < now][::-1],
                "upcoming": [r for r in rows if to_local(r["end"]) >= now],
                "can_book": access.allowed("agenda.book", structure_id=person["structure_id"]),
            },
        )

    @get("/abonnement", name="agenda-feed")
    async def feed_page(self, access: Access) -> Template:
        actor = access.require_login()
        feeds = storage.feeds_of_user(access.db, actor.user_id)
        return Template(
            "agenda/feed.html",
            context={"active": [f for f in feeds if not f["revoked_at"]], "url": None},
        )

    @post("/abonnement", status_code=200)
    async def create_feed(self, request: Request, access: Access) -> Template:
        secret = ical.create_feed(access)
        base = str(request.base_url).rstrip("/")
        feeds = storage.feeds_of_user(access.db, access.actor.user_id)
        return Template(
            "agenda/feed.html",
            context={
                "active": [f for f in feeds if not f["revoked_at"]],
                "url": f"{base}/agenda/flux/{secret}.ics",
                "webcal": f"webcal://{base.split('://', 1)[1]}/agenda/flux/{secret}.ics",
            },
        )

    @post("/abonnement/revoquer", status_code=303)
    async def revoke_feed(self, access: Access) -> Redirect:
        ical.revoke_feed(access)
        return Redirect("/agenda/abonnement", status_code=303)


class FeedEndpoint(Controller):
    """The subscription feed: no session (calendar apps have none), the secret is the key."""

    path = "/agenda/flux"
    include_in_schema = False

    @get("/{secret:str}", name="agenda-feed-ics", cache=False)
    async def feed(
        self,
        request: Request,
        db: DB,
        plugins: Plugins,
        registry: Permissions,
        secret: FromPath[str],
    ) -> Response:
        body = ical.feed_calendar(
            db,
            plugins,
            registry,
            secret,
            base_url=str(request.base_url).rstrip("/"),
            route="GET /agenda/flux/…",
        )
        return Response(
            body,
            media_type="text/calendar",  # Litestar adds "; charset=utf-8" to text/* types
            headers={
                "Content-Disposition": 'inline; filename="virage-agenda.ics"',
                "Cache-Control": "private, no-store",
            },
        )


# --------------------------------------------------------------------------- shared contexts


def _back(form, appointment_id: int, ok: str) -> str:
    target = form.get("retour", "")
    if target.startswith("/agenda/") and not target.startswith("//"):
        separator = "&" if "?" in target else "?"
        return f"{target}{separator}ok={ok}"
    return f"/agenda/rendez-vous/{appointment_id}?ok={ok}"


def _appointment_context(access, plugins, appointment_id: int, ok: str | None = None) -> dict:
    data = service.get(access, plugins, appointment_id)
    sid = data["structure_id"]
    local_start, local_end = to_local(data["start"]), to_local(data["end"])
    started = local_start <= datetime.now(local_start.tzinfo) + timedelta(hours=1)
    members = service.professionals_for(access, sid) if data["can_write"] else []
    return {
        "a": data,
        "structure": accounts_storage.get_structure(access.db, sid),
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
        ],
        "status_actions": STATUS_ACTIONS,
        "can_force": access.allowed("agenda.force", structure_id=sid),
        "ok": ok,
        "roles": ROLES,
    }


def _import_context(access, plugins, structure: dict) -> dict:
    kinds = [k for k in kinds_registry(plugins).values() if k.person != "required"]
    return {
        "structure": structure,
        "kinds": kinds,
        "members": service.professionals_for(access, structure["id"]),
        "can_force": access.allowed("agenda.force", structure_id=structure["id"]),
        "report": None,
        "roles": ROLES,
    }


# --------------------------------------------------------------------------- sections of other pages


def person_section(access, plugins, person: dict) -> PageSection | None:
    """The "Agenda" section of a person's record: the next appointments."""
    sid = person["structure_id"]
    if not access.allowed("agenda.read", structure_id=sid):
        return None
    today = today_paris()
    rows = service.person_agenda(
        access,
        plugins,
        person["id"],
        day_bounds(today)[0],
        day_bounds(today + timedelta(days=30))[1],
        limit=12,
    )
    html = render_snippet(
        "agenda/_person_section.html",
        person=person,
        appointments=rows,
        can_book=access.allowed("agenda.book", structure_id=sid)
        or access.allowed("agenda.book.own", structure_id=sid),
    )
    return PageSection(title="Agenda", html=html, anchor="agenda", order=20)


def worker_section(db, user_id: int) -> PageSection:
    records = service.worker_records(db, user_id)
    for checkin in records["checkins"]:
        checkin["when"] = long_date(to_local(checkin["start_utc"]).date())
    html = render_snippet(
        "agenda/_worker_records.html",
        records=records,
        weekdays=WEEKDAYS_FR,
    )
    return PageSection(title="Agenda : pointages, horaires, absences", html=html, anchor="agenda")

"""Pages reading the agenda:

- ``/agenda``: the structures of the actor, what each allows, the calendar privacy setting;
- ``/agenda/ma-journee``: the field worker's day (time, person, address, what to bring, check-in);
- ``/agenda/structures/{id}/semaine``: the team week (coordination);
- ``/agenda/structures/{id}/creneaux``: free slots, then booking (secretariat);
- ``/agenda/personnes/{id}``: a person's appointments."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.params import QueryParameter
from litestar.response import Template

from virage.access import ROLES
from virage.accounts import lookups
from virage.accounts.auth import require_actor_guard
from virage.agenda import service
from virage.agenda.day_cards import my_day_cards
from virage.agenda.limits import MAX_ID
from virage.agenda.settings_section import kinds_in_use
from virage.agenda.timeutil import (
    WEEKDAYS_FR,
    day_bounds,
    long_date,
    parse_hhmm,
    to_local,
    today_paris,
    week_start,
)
from virage.agenda.web_forms import (
    Id,
    form_date,
    form_int,
    form_ints,
    structure_or_404,
)
from virage.agenda.web_slot_defaults import WORKING_DAY, default_search_kind
from virage.deps import Access, Plugins
from virage.errors import VirageError


class AgendaPages(Controller):
    """The agenda's home, « ma journée », the team week, free slots, a person's agenda."""

    path = "/agenda"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="agenda")
    async def index(self, access: Access) -> Template:
        actor = access.require_login()
        structures = lookups.structures(access.db, actor.structure_ids)
        privacy = service.calendar_privacy(access.db, actor.structure_ids)
        for s in structures:
            sid = s["id"]
            s["calendar_privacy"] = privacy[sid]
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
        day = form_date(jour, "jour", today_paris())
        rows = my_day_cards(access, plugins, day)
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
        structure = structure_or_404(access, structure_id)
        first = week_start(form_date(debut, "debut", today_paris()))
        teams = service.structure_teams(access, structure_id)
        pros = form_ints(request.query_params.getall("pro", []))
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
                    {
                        "iso": d.isoformat(),
                        "label": f"{WEEKDAYS_FR[d.weekday()][:3]}. {d.day}",
                        "long": long_date(d),
                        "today": d == today_paris(),
                    }
                    for d in days
                ],
                "this_week": first == week_start(today_paris()),
                "this_monday": week_start(today_paris()).isoformat(),
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
        structure = structure_or_404(access, structure_id)
        access.require("agenda.availability.read", structure_id=structure_id)
        params = request.query_params
        kinds = kinds_in_use(access.db, plugins, structure_id)
        kind = default_search_kind(kinds, params.get("type"))
        today = today_paris()
        form = {
            "du": params.get("du") or today.isoformat(),
            "au": params.get("au") or (today + timedelta(days=6)).isoformat(),
            "de": params.get("de") or WORKING_DAY[0],
            "a": params.get("a") or WORKING_DAY[1],
            "duree": params.get("duree") or str(kind.default_minutes if kind else 30),
            "pro": form_ints(params.getall("pro", [])),
            "equipe": form_int(params.get("equipe"), "équipe"),
            "mode": params.get("mode") or "any",
            "type": kind.name if kind else "",
        }
        results, error = None, None
        # arriving on the page searches at once with the defaults: this week's slots show
        if params.get("chercher") or not params:
            try:
                results = service.search_free_slots(
                    access,
                    plugins,
                    structure_id,
                    first_day=form_date(form["du"], "du"),
                    last_day=form_date(form["au"], "au"),
                    day_start=parse_hhmm(form["de"], "de"),
                    day_end=parse_hhmm(form["a"], "à"),
                    duration_minutes=form_int(form["duree"], "durée", 12 * 60) or 30,
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
                "teams": service.structure_teams(access, structure_id),
                "kinds": kinds,
                "results": results,
                "by_day": by_day,
                "error": error,
                "roles": ROLES,
            },
        )

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

"""Web pages of the teleconsultation (French, phone first, plain forms with CSRF, no JavaScript).

- ``/teleconsultation/``: my sessions (requesting nurse, accompanying professional, remote doctor);
- ``/teleconsultation/nouvelle?personne=ID``: request a session;
- ``/teleconsultation/{id}``: one session and its next step (slot, preparation, start, report);
- ``/teleconsultation/structures/{id}``: the coordinator's view (upcoming, without report).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from markupsafe import Markup

from virage.sdk import (
    Access,
    InvalidInput,
    PageSection,
    Plugins,
    accounts,
    require_actor_guard,
    today_paris,
)
from virage_teleconsultation import service
from virage_teleconsultation.web_forms import (
    DAYS_AHEAD,
    day_choices,
    day_label,
    new_form_context,
)

Id = FromPath[int]


def _chosen_day(value: str, today: date) -> date:
    """The day asked in ``?jour=`` when it is within the next four weeks, else today."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return today
    return day if today <= day <= today + timedelta(days=DAYS_AHEAD - 1) else today


def _int(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{field} : choisissez dans la liste.") from None


def _structures(access) -> list[dict]:
    actor = access.require_login()
    return [
        {"id": s["id"], "name": s["name"]}
        for s in accounts.structures(access.db)
        if s["id"] in actor.structure_ids
        and access.allowed("teleconsultation.overview", structure_id=s["id"])
    ]


def person_section(access, plugins, person: dict, ref) -> PageSection | None:
    sessions = service.of_person(access, plugins, person, ref)
    if sessions is None:
        return None
    can_request = access.allowed("teleconsultation.request", person=ref)
    items = "".join(
        '<li><a href="/teleconsultation/{id}">{when}</a> · {doctor} · <strong>{status}</strong></li>'.format(
            id=s["id"],
            when=Markup.escape(s["when"] or "à planifier"),
            doctor=Markup.escape(s["doctor"]),
            status=Markup.escape(s["status_label"]),
        )
        for s in sessions
    )
    html = Markup("<ul class='list'>") + Markup(items or "<li>Aucune téléconsultation.</li>")
    html += Markup("</ul>")
    if can_request and person.get("status") != "closed":
        html += Markup(
            f'<p><a class="button" href="/teleconsultation/nouvelle?personne={int(person["id"])}">'
            "Demander une téléconsultation</a></p>"
        )
    return PageSection("Téléconsultations", html, "teleconsultation", 45)


class TeleconsultationPages(Controller):
    path = "/teleconsultation"
    guards = [require_actor_guard]
    include_in_schema = False

    @get("/", name="teleconsultation-home")
    async def home(self, access: Access, plugins: Plugins) -> Template:
        return Template(
            "teleconsultation/home.html",
            context={
                "sessions": service.mine(access, plugins),
                "structures": _structures(access),
            },
        )

    @get("/nouvelle", name="teleconsultation-new")
    async def new(
        self,
        access: Access,
        personne: Annotated[int, QueryParameter()],
        q: Annotated[str, QueryParameter()] = "",
    ) -> Template:
        person = access.require(
            "teleconsultation.request", person_id=personne, action="teleconsultation.form"
        )
        return Template(
            "teleconsultation/new.html", context=new_form_context(access, person, q, {})
        )

    @post("/", status_code=303)
    async def create(
        self, request: Request, access: Access, plugins: Plugins
    ) -> Redirect | Template:
        form = await request.form()
        if form.get("chercher"):
            # the doctor search inside the form: the reason and everything typed come back
            person = access.require(
                "teleconsultation.request",
                person_id=_int(form.get("person_id"), "Personne"),
                action="teleconsultation.form",
            )
            values = {k: form.get(k, "") for k in ("doctor", "accompanying", "reason", "documents")}
            q = (form.get("q") or "").strip()[:100]
            return Template(
                "teleconsultation/new.html",
                context=new_form_context(access, person, q, values),
                status_code=200,
            )
        tc_id = service.request(
            access,
            plugins,
            {
                "person_id": _int(form.get("person_id"), "Personne"),
                "doctor_professional_id": _int(form.get("doctor"), "Médecin téléconsultant"),
                "accompanying_user_id": _int(form.get("accompanying"), "Accompagnant"),
                "reason": form.get("reason", ""),
                "documents": form.get("documents", ""),
            },
        )
        return Redirect(f"/teleconsultation/{tc_id}?ok=demandee", status_code=303)

    @get("/{tc_id:int}", name="teleconsultation")
    async def detail(
        self,
        access: Access,
        plugins: Plugins,
        tc_id: Id,
        ok: Annotated[str, QueryParameter()] = "",
        jour: Annotated[str, QueryParameter()] = "",
    ) -> Template:
        tc = service.view(access, plugins, tc_id)
        slots, days = [], []
        today = today_paris()
        day = _chosen_day(jour, today)
        if tc["status"] == "requested" and access.allowed(
            "teleconsultation.manage", person=access.load_person(tc["person_id"])[1]
        ):
            slots = service.free_slots(access, plugins, tc_id, day)
            days = day_choices(today, day)
        members = accounts.members_of(access.db, tc["structure_id"])
        return Template(
            "teleconsultation/detail.html",
            context={
                "tc": tc,
                "slots": slots,
                "days": days,
                "day": day,
                "day_label": day_label(day, today),
                "ok": ok,
                "members": members,
                "me": access.actor.user_id,
                "consent_methods": service.CONSENT_METHODS,
                "equipment": service.EQUIPMENT,
            },
        )

    @post("/{tc_id:int}/planifier", status_code=303)
    async def schedule(
        self, request: Request, access: Access, plugins: Plugins, tc_id: Id
    ) -> Redirect:
        form = await request.form()
        try:
            start = datetime.fromisoformat(form.get("start", ""))
        except ValueError:
            raise InvalidInput("Créneau : choisissez un créneau dans la liste.") from None
        service.schedule(access, plugins, tc_id, start, form.get("force") == "1")
        return Redirect(f"/teleconsultation/{tc_id}?ok=planifiee", status_code=303)

    @post("/{tc_id:int}/preparer", status_code=303)
    async def prepare(self, request: Request, access: Access, tc_id: Id) -> Redirect:
        form = await request.form()
        collector = form.get("consent_collected_by")
        service.prepare(
            access,
            tc_id,
            identity_checked=form.get("identity") == "1",
            consent=form.get("consent") == "1",
            consent_method=form.get("consent_method", ""),
            consent_collected_by=_int(collector, "Consentement recueilli par")
            if collector
            else None,
            equipment=form.getall("equipment", []),
        )
        return Redirect(f"/teleconsultation/{tc_id}?ok=prete", status_code=303)

    @post("/{tc_id:int}/commencer", status_code=303)
    async def start(self, access: Access, plugins: Plugins, tc_id: Id) -> Redirect:
        service.start(access, plugins, tc_id)
        return Redirect(f"/teleconsultation/{tc_id}?ok=en-cours", status_code=303)

    @post("/{tc_id:int}/terminer", status_code=303)
    async def finish(self, access: Access, plugins: Plugins, tc_id: Id) -> Redirect:
        service.finish(access, plugins, tc_id)
        return Redirect(f"/teleconsultation/{tc_id}?ok=realisee", status_code=303)

    @post("/{tc_id:int}/non-realisee", status_code=303)
    async def not_done(
        self, request: Request, access: Access, plugins: Plugins, tc_id: Id
    ) -> Redirect:
        form = await request.form()
        service.not_done(access, plugins, tc_id, form.get("reason", ""))
        return Redirect(f"/teleconsultation/{tc_id}?ok=non-realisee", status_code=303)

    @post("/{tc_id:int}/annuler", status_code=303)
    async def cancel(
        self, request: Request, access: Access, plugins: Plugins, tc_id: Id
    ) -> Redirect:
        form = await request.form()
        service.cancel(access, plugins, tc_id, form.get("reason", ""))
        return Redirect(f"/teleconsultation/{tc_id}?ok=annulee", status_code=303)

    @post("/{tc_id:int}/compte-rendu", status_code=303)
    async def report(
        self, request: Request, access: Access, plugins: Plugins, tc_id: Id
    ) -> Redirect:
        form = await request.form()
        service.report(
            access,
            plugins,
            tc_id,
            data=form.get("data", ""),
            actions=form.get("actions", ""),
        )
        return Redirect(f"/teleconsultation/{tc_id}?ok=compte-rendu", status_code=303)

    @get("/structures/{structure_id:int}", name="teleconsultation-structure")
    async def structure(self, access: Access, plugins: Plugins, structure_id: Id) -> Template:
        data = service.overview(access, plugins, structure_id)
        name = next(
            (s["name"] for s in _structures(access) if s["id"] == structure_id), "Structure"
        )
        return Template(
            "teleconsultation/structure.html",
            context={**data, "structure_name": name},
        )

"""Web pages of the transmissions (French, phone first, plain forms protected by CSRF).

Every page works without JavaScript. ``transmissions.js`` (every page) and
``transmissions-form.js`` (the form) add, when available: drafts kept on the device, sending
through the JSON endpoint ``POST /transmissions/envoyer`` with a client identifier (a retry never
creates a duplicate), an outbox that is sent again when the network comes back, and templates
filled in place.

The reading pages are here; the form and the pages that write are in ``web_forms`` and
``web_writing``. Pages call the service only.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.params import FromPath, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Template
from markupsafe import Markup

from virage.accounts import objections
from virage.accounts.auth import require_actor_guard
from virage.deps import Access, AppSettings, Plugins
from virage.errors import Forbidden, InvalidInput
from virage.transmissions import service, timefmt
from virage.transmissions.targets import CATEGORIES
from virage.transmissions.web_forms import (
    TransmissionForm,
    _client_id,
    _form_context,
    _form_values,
    _int_or_none,
    _person_name,
)
from virage.web.templating import fragment_environment

Id = FromPath[int]
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "web" / "templates"

_fragments = fragment_environment(TEMPLATES_DIR)


def render_fragment(name: str, **context: Any) -> Markup:
    """Render a template fragment for a section of another domain's page (no forms there)."""
    return Markup(_fragments.get_template(name).render(csrf=None, **context))


# --------------------------------------------------------------------------- pages


class TransmissionPages(Controller):
    path = "/"
    include_in_schema = False
    guards = [require_actor_guard]

    # ---------------------------------------------------------------- reading

    @get("/transmissions", name="transmissions-home")
    async def home(
        self, access: Access, poste: Annotated[str | None, QueryParameter()] = None
    ) -> Template:
        feed = service.new_for_me(access)
        persons, whole_structures = service.reading_scope(access)
        structures = service.coordinated_structures(access)
        return Template(
            "transmissions/home.html",
            context={
                **feed,
                "since_label": timefmt.label(feed["since"]),
                "unread": sum(1 for i in feed["items"] if not i["acknowledged_at"]),
                "coordinated": structures,
                "urgent_counts": {
                    s["id"]: service.unacknowledged_urgent_count(access, s["id"])
                    for s in structures
                },
                "shift_taken": poste == "1",
                "can_read": bool(persons or whole_structures),
            },
        )

    @post("/transmissions/prise-de-poste", status_code=303)
    async def take_shift(self, access: Access) -> Redirect:
        service.take_shift(access)
        return Redirect("/transmissions?poste=1", status_code=303)

    @get("/transmissions/urgentes", name="transmissions-urgent")
    async def urgent(self, access: Access) -> Template:
        structures = service.coordinated_structures(access)
        if not structures:
            access.require_login()
            raise_forbidden()
        blocks = [
            {"structure": s, "rows": service.unacknowledged_urgent(access, s["id"])}
            for s in structures
        ]
        return Template("transmissions/urgent.html", context={"blocks": blocks})

    @get("/transmissions/recherche", name="transmissions-search")
    async def search(
        self,
        access: Access,
        q: Annotated[str, QueryParameter()] = "",
        personne: Annotated[int | None, QueryParameter()] = None,
    ) -> Template:
        rows = service.search(access, q, person_id=personne) if q.strip() else []
        person = None
        if personne is not None:
            person = service.person(access, personne)
        return Template(
            "transmissions/search.html",
            context={"q": q, "rows": rows, "person": person, "searched": bool(q.strip())},
        )

    @get("/transmissions/nouvelle", name="transmissions-choose")
    async def choose_person(self, access: Access) -> Template:
        return Template(
            "transmissions/choose_person.html",
            context={"persons": service.writable_persons(access)},
        )

    @get("/transmissions/{transmission_id:int}", name="transmission")
    async def detail(self, access: Access, transmission_id: Id) -> Template:
        row = service.get(access, transmission_id)
        person = service.person(access, row["person_id"])
        return Template(
            "transmissions/detail.html",
            context={
                "t": row,
                "person": person,
                "person_name": _person_name(person),
                "result_client_id": uuid.uuid4().hex,
            },
        )

    @get("/personnes/{person_id:int}/transmissions", name="person-transmissions")
    async def timeline(
        self,
        access: Access,
        person_id: Id,
        cible: Annotated[str | None, QueryParameter()] = None,
        categorie: Annotated[str | None, QueryParameter()] = None,
        auteur: Annotated[str | None, QueryParameter()] = None,
        du: Annotated[str | None, QueryParameter()] = None,
        au: Annotated[str | None, QueryParameter()] = None,
        avant: Annotated[str | None, QueryParameter()] = None,
    ) -> Template:
        before = None
        if avant:
            moment, _, tid = avant.rpartition("~")
            if not tid.isdigit():
                raise InvalidInput("Lien de page incorrect : revenez au début du fil.")
            before = (moment, int(tid))
        author_id = _int_or_none(auteur, "auteur")
        rows = service.timeline(
            access,
            person_id,
            target=cible or None,
            category=categorie or None,
            author_id=author_id,
            since=service.parse_day(du, "du"),
            until=service.next_day(au, "au"),
            before=before,
            limit=30,
        )
        person, ref = access.load_person(person_id)
        filters = {"cible": cible, "categorie": categorie, "auteur": auteur, "du": du, "au": au}
        more = None
        if len(rows) == 30:
            last = rows[-1]
            more = {
                **{k: v for k, v in filters.items() if v},
                "avant": f"{last['occurred_at']}~{last['id']}",
            }
        return Template(
            "transmissions/timeline.html",
            context={
                "person": person,
                "person_name": _person_name(person),
                "rows": rows,
                "filters": filters,
                "filtered": any(filters.values()),
                "more": more,
                "targets": service.all_targets(access.db),
                "categories": CATEGORIES,
                "authors": service.authors(access, person_id),
                "can_write": access.allowed("transmissions.write", person=ref)
                and person["status"] == "active",
                "can_export": access.allowed("transmissions.export", person=ref),
                "sharing": objections.sharing(access.db, person_id),
                "today": timefmt.local(timefmt.to_iso(service._now())).date().isoformat(),
            },
        )

    # The thread's own address also receives the form (same path: same controller).
    @post("/personnes/{person_id:int}/transmissions", status_code=303)
    async def create(
        self,
        access: Access,
        plugins: Plugins,
        settings: AppSettings,
        person_id: Id,
        data: URLEncodedBody[TransmissionForm],
    ) -> Redirect | Template:
        try:
            created = service.create_transmission(
                access,
                plugins,
                person_id,
                target=data.target,
                category=data.category or None,
                priority=data.priority,
                occurred_at=data.occurred_at or None,
                data=data.data,
                actions=data.actions,
                results=data.results,
                appointment_id=_int_or_none(data.appointment_id, "visite"),
                client_id=_client_id(data.client_id),
                grace_minutes=settings.transmission_grace_minutes,
            )
        except InvalidInput as exc:
            person = access.load_person(person_id)[0]
            return Template(
                "transmissions/form.html",
                status_code=400,
                context=_form_context(
                    access,
                    person,
                    _form_values(data),
                    mode="new",
                    action=f"/personnes/{person_id}/transmissions",
                    person_name=_person_name(person),
                    grace=settings.transmission_grace_minutes,
                    erreur=exc.message,
                ),
            )
        t = created.transmission
        return Redirect(f"/personnes/{person_id}/transmissions?ok={t['id']}", status_code=303)

    @get("/personnes/{person_id:int}/transmissions/impression", name="transmissions-print")
    async def print_view(
        self,
        access: Access,
        person_id: Id,
        du: Annotated[str | None, QueryParameter()] = None,
        au: Annotated[str | None, QueryParameter()] = None,
    ) -> Template:
        doc = service.export(access, person_id, du, au)
        for row in doc["rows"]:
            row["occurred_full"] = timefmt.full(row["occurred_at"])
            row["created_full"] = timefmt.full(row["created_at"])
            for kid in row["children"]:
                kid["created_full"] = timefmt.full(kid["created_at"])
        return Template(
            "transmissions/print.html",
            context={
                **doc,
                "person_name": _person_name(doc["person"]),
                "birth_label": timefmt.day_label(doc["person"]["birth_date"]),
                "since_label": timefmt.day_label(du),
                "until_label": timefmt.day_label(au),
            },
        )


def raise_forbidden() -> None:
    raise Forbidden(
        "Cette vue est réservée à la coordination : elle liste les transmissions urgentes que "
        "personne n'a encore lues."
    )

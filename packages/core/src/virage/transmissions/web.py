"""Web pages of the transmissions (French, phone first, plain forms protected by CSRF).

Every page works without JavaScript. ``/static/transmissions.js`` adds, when available: drafts
kept on the device, sending through the JSON endpoint ``POST /transmissions/envoyer`` with a
client identifier (a retry never creates a duplicate), an outbox that is sent again when the
network comes back, and templates filled in place.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, MediaType, get, post
from litestar.params import FromPath, JSONBody, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Response, Template
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from virage.accounts import objections
from virage.accounts import storage as accounts_storage
from virage.accounts.auth import require_actor_guard
from virage.deps import Access, AppSettings, Plugins
from virage.errors import Conflict, InvalidInput
from virage.transmissions import service, storage, timefmt, visits
from virage.transmissions.models import DarParts
from virage.transmissions.targets import CATEGORIES, PRIORITIES
from virage.web.templating import fragment_environment

Id = FromPath[int]
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "web" / "templates"

_fragments = fragment_environment(TEMPLATES_DIR)


def render_fragment(name: str, **context: Any) -> Markup:
    """Render a template fragment for a section of another domain's page (no forms there)."""
    return Markup(_fragments.get_template(name).render(csrf=None, **context))


# --------------------------------------------------------------------------- forms


class TransmissionForm(BaseModel):
    """The transmission form (flat strings: the service validates and answers in French)."""

    target: str = ""
    category: str = ""
    priority: str = "normal"
    occurred_at: str = ""
    data: str = ""
    actions: str = ""
    results: str = ""
    appointment_id: str = ""
    client_id: str = ""


class PageSubmission(DarParts):
    """What the page's script sends to ``POST /transmissions/envoyer``."""

    model_config = ConfigDict(str_strip_whitespace=True)

    person_id: int
    client_id: str = Field(
        pattern=r"^[A-Za-z0-9_-]{8,64}$", description="Identifiant d'envoi choisi par la page"
    )
    corrects: int | None = Field(default=None, description="Transmission corrigée")
    author_id: int | None = Field(
        default=None, description="Compte qui a écrit l'entrée sur l'appareil (vérifié)"
    )


def _int_or_none(value: str | None, field: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput(f"Valeur incorrecte pour {field} : nombre attendu.")
    return int(value)


def _values_of(transmission: dict) -> dict:
    """The form values of an existing transmission (to edit or correct it)."""
    return _form_values(
        None,
        target=transmission["target"],
        category=transmission["category"],
        priority=transmission["priority"],
        occurred_at=timefmt.input_value(transmission["occurred_at"]),
        data=transmission["data"],
        actions=transmission["actions"],
        results=transmission["results"],
    )


def _form_values(form: TransmissionForm | None, **defaults: Any) -> dict[str, Any]:
    values = {
        "target": "",
        "category": "",
        "priority": "normal",
        "occurred_at": timefmt.input_value(timefmt.to_iso(service._now())),
        "data": "",
        "actions": "",
        "results": "",
        "appointment_id": "",
        "client_id": uuid.uuid4().hex,
    }
    values.update({k: v for k, v in defaults.items() if v is not None})
    if form is not None:
        values.update(form.model_dump())
        if not values["client_id"]:
            values["client_id"] = uuid.uuid4().hex
    return values


def _form_context(access, person: dict, values: dict, **extra: Any) -> dict[str, Any]:
    db = access.db
    nomenclature = service.nomenclature(db)
    templates_by_target: dict[str, list[dict]] = {}
    for t in nomenclature["templates"]:
        templates_by_target.setdefault(t["target"], []).append(t)
    actor = access.actor
    return {
        "person": person,
        "values": values,
        "targets": nomenclature["targets"],
        "templates": templates_by_target,
        "categories": CATEGORIES,
        "priorities": PRIORITIES,
        "visits": visits.visits_of_day(db, actor.user_id, person["id"]),
        "nomenclature_json": json.dumps(
            {
                "targets": {t["code"]: t["category"] for t in nomenclature["targets"]},
                "templates": {
                    str(t["id"]): {k: t[k] for k in ("data", "actions", "results")}
                    for t in nomenclature["templates"]
                },
            },
            ensure_ascii=False,
        ).replace("<", "\\u003c"),
        "user_id": actor.user_id,
        **extra,
    }


def _template_defaults(db, modele: int | None, target: str | None) -> dict[str, Any]:
    if not modele:
        return {"target": target}
    tpl = storage.get_template(db, modele)
    if tpl is None:
        return {"target": target}
    return {
        "target": tpl["target"],
        "data": tpl["data"],
        "actions": tpl["actions"],
        "results": tpl["results"],
    }


def _person_name(person: dict) -> str:
    return f"{person['given_names']} {person['family_name'].upper()}"


def _existing_form(
    access,
    settings,
    original: dict,
    person: dict,
    values: dict,
    mode: str,
    *,
    status_code: int = 200,
    erreur: str | None = None,
) -> Template:
    """The form to edit (within the grace period) or correct an existing transmission."""
    path = "modifier" if mode == "edit" else "corriger"
    extra: dict[str, Any] = {}
    if mode == "edit":
        extra["editable_until"] = timefmt.label(original["editable_until"])
    if erreur:
        extra["erreur"] = erreur
    return Template(
        "transmissions/form.html",
        status_code=status_code,
        context=_form_context(
            access,
            person,
            values,
            mode=mode,
            original=original,
            action=f"/transmissions/{original['id']}/{path}",
            person_name=_person_name(person),
            grace=settings.transmission_grace_minutes,
            **extra,
        ),
    )


def _my_persons(access) -> list[dict]:
    persons, structures = service.reading_scope(access, "transmissions.write")
    rows: dict[int, dict] = {}
    for sid in sorted(structures):
        for p in accounts_storage.list_persons(access.db, sid, status="active", limit=500):
            rows[p["id"]] = p
    named = storage.persons(access.db, sorted(persons))
    for pid, p in named.items():
        if p["status"] == "active":
            rows[pid] = p
    return sorted(rows.values(), key=lambda p: (p["family_name"], p["given_names"]))


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
                    s["id"]: len(storage.unacknowledged_urgent(access.db, s["id"], _week_ago()))
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
            person = storage.persons(access.db, [personne]).get(personne)
        return Template(
            "transmissions/search.html",
            context={"q": q, "rows": rows, "person": person, "searched": bool(q.strip())},
        )

    @get("/transmissions/nouvelle", name="transmissions-choose")
    async def choose_person(self, access: Access) -> Template:
        return Template(
            "transmissions/choose_person.html", context={"persons": _my_persons(access)}
        )

    @get("/transmissions/{transmission_id:int}", name="transmission")
    async def detail(self, access: Access, transmission_id: Id) -> Template:
        row = service.get(access, transmission_id)
        person = storage.persons(access.db, [row["person_id"]])[row["person_id"]]
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
                "targets": storage.list_targets(access.db, active_only=False),
                "categories": CATEGORIES,
                "authors": storage.authors_for_person(access.db, person_id),
                "can_write": access.allowed("transmissions.write", person=ref)
                and person["status"] == "active",
                "can_export": access.allowed("transmissions.export", person=ref),
                "sharing": objections.sharing(access.db, person_id),
                "today": timefmt.local(timefmt.to_iso(service._now())).date().isoformat(),
            },
        )

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

    # ---------------------------------------------------------------- writing

    @get("/personnes/{person_id:int}/transmissions/nouvelle", name="transmission-new")
    async def new_form(
        self,
        access: Access,
        settings: AppSettings,
        person_id: Id,
        cible: Annotated[str | None, QueryParameter()] = None,
        modele: Annotated[int | None, QueryParameter()] = None,
        visite: Annotated[int | None, QueryParameter()] = None,
    ) -> Template:
        person = access.require(
            "transmissions.write", person_id=person_id, action="transmissions.form"
        )
        values = _form_values(
            None, **_template_defaults(access.db, modele, cible), appointment_id=visite
        )
        return Template(
            "transmissions/form.html",
            context=_form_context(
                access,
                person,
                values,
                mode="new",
                action=f"/personnes/{person_id}/transmissions",
                person_name=_person_name(person),
                grace=settings.transmission_grace_minutes,
            ),
        )

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

    @post("/transmissions/envoyer", status_code=201, name="transmissions-send")
    async def send(
        self,
        access: Access,
        plugins: Plugins,
        settings: AppSettings,
        data: JSONBody[PageSubmission],
    ) -> Response:
        """The page's JSON endpoint (session cookie + ``x-csrftoken`` header)."""
        actor = access.require_login()
        if data.author_id is not None and data.author_id != actor.user_id:
            # An entry written on this device by someone else is never sent under this session.
            raise Conflict(
                "Cette transmission a été écrite par une autre personne sur cet appareil : "
                "elle n'est pas envoyée sous votre compte."
            )
        fields = data.model_dump(exclude={"person_id", "client_id", "corrects", "author_id"})
        if data.corrects is not None:
            original = service.get(access, data.corrects)
            if original["person_id"] != data.person_id:
                raise InvalidInput("La transmission corrigée concerne une autre personne.")
            created = service.correct(
                access,
                plugins,
                data.corrects,
                fields,
                client_id=data.client_id,
                grace_minutes=settings.transmission_grace_minutes,
            )
        else:
            created = service.create_transmission(
                access,
                plugins,
                data.person_id,
                client_id=data.client_id,
                grace_minutes=settings.transmission_grace_minutes,
                **fields,
            )
        t = created.transmission
        body = {
            "created": created.created,
            "id": t["id"],
            "person_id": t["person_id"],
            "url": f"/personnes/{t['person_id']}/transmissions?ok={t['id']}"
            + ("" if t["kind"] == "entry" else f"#t-{t['id']}"),
            "message": "Transmission enregistrée."
            if created.created
            else "Cette transmission avait déjà été reçue : elle n'a pas été enregistrée deux fois.",
        }
        return Response(
            body, status_code=201 if created.created else 200, media_type=MediaType.JSON
        )

    @get("/transmissions/{transmission_id:int}/corriger", name="transmission-correct")
    async def correct_form(
        self, access: Access, settings: AppSettings, transmission_id: Id
    ) -> Template:
        original = service.get(access, transmission_id)
        person = access.require(
            "transmissions.write", person_id=original["person_id"], action="transmissions.form"
        )
        return _existing_form(
            access, settings, original, person, _values_of(original), "correction"
        )

    @post("/transmissions/{transmission_id:int}/corriger", status_code=303)
    async def correct(
        self,
        access: Access,
        plugins: Plugins,
        settings: AppSettings,
        transmission_id: Id,
        data: URLEncodedBody[TransmissionForm],
    ) -> Redirect | Template:
        fields = {
            "target": data.target,
            "category": data.category or None,
            "priority": data.priority,
            "occurred_at": data.occurred_at or None,
            "data": data.data,
            "actions": data.actions,
            "results": data.results,
        }
        try:
            created = service.correct(
                access,
                plugins,
                transmission_id,
                fields,
                client_id=_client_id(data.client_id),
                grace_minutes=settings.transmission_grace_minutes,
            )
        except InvalidInput as exc:
            original = service.get(access, transmission_id)
            person = access.load_person(original["person_id"])[0]
            return _existing_form(
                access,
                settings,
                original,
                person,
                _form_values(data),
                "correction",
                status_code=400,
                erreur=exc.message,
            )
        t = created.transmission
        return Redirect(
            f"/personnes/{t['person_id']}/transmissions?ok={t['id']}#t-{t['id']}", status_code=303
        )

    @get("/transmissions/{transmission_id:int}/modifier", name="transmission-edit")
    async def edit_form(
        self, access: Access, settings: AppSettings, transmission_id: Id
    ) -> Template:
        t = service.get(access, transmission_id)
        if not t["editable"]:
            raise_grace(t)
        person = access.load_person(t["person_id"])[0]
        return _existing_form(access, settings, t, person, _values_of(t), "edit")

    @post("/transmissions/{transmission_id:int}/modifier", status_code=303)
    async def edit(
        self,
        access: Access,
        settings: AppSettings,
        transmission_id: Id,
        data: URLEncodedBody[TransmissionForm],
    ) -> Redirect | Template:
        changes: dict[str, Any] = {
            "target": data.target or None,
            "category": data.category or None,
            "priority": data.priority or None,
            "occurred_at": data.occurred_at or None,
            "data": data.data,
            "actions": data.actions,
            "results": data.results,
        }
        try:
            t = service.update(access, transmission_id, changes)
        except InvalidInput as exc:
            original = service.get(access, transmission_id)
            person = access.load_person(original["person_id"])[0]
            return _existing_form(
                access,
                settings,
                original,
                person,
                _form_values(data),
                "edit",
                status_code=400,
                erreur=exc.message,
            )
        return Redirect(
            f"/personnes/{t['person_id']}/transmissions?ok={t['id']}#t-{t['id']}", status_code=303
        )

    @post("/transmissions/{transmission_id:int}/retirer", status_code=303)
    async def withdraw(self, access: Access, transmission_id: Id) -> Redirect:
        row = service.get(access, transmission_id)
        service.withdraw(access, transmission_id)
        return Redirect(f"/personnes/{row['person_id']}/transmissions?retiree=1", status_code=303)

    @post("/transmissions/{transmission_id:int}/resultat", status_code=303)
    async def add_result(
        self,
        access: Access,
        plugins: Plugins,
        settings: AppSettings,
        transmission_id: Id,
        data: URLEncodedBody[dict[str, str]],
    ) -> Redirect:
        created = service.add_result(
            access,
            plugins,
            transmission_id,
            data.get("results", ""),
            priority=data.get("priority") or "normal",
            client_id=_client_id(data.get("client_id")),
            grace_minutes=settings.transmission_grace_minutes,
        )
        t = created.transmission
        return Redirect(
            f"/personnes/{t['person_id']}/transmissions?ok={t['id']}#t-{transmission_id}",
            status_code=303,
        )

    @post("/transmissions/{transmission_id:int}/pris-connaissance", status_code=303)
    async def acknowledge(
        self, access: Access, transmission_id: Id, data: URLEncodedBody[dict[str, str]]
    ) -> Redirect:
        service.acknowledge(access, transmission_id)
        target = data.get("suivant") or f"/transmissions/{transmission_id}"
        if not target.startswith("/") or target.startswith("//"):
            target = f"/transmissions/{transmission_id}"
        return Redirect(target, status_code=303)


def _client_id(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not (8 <= len(value) <= 64) or not all(c.isalnum() or c in "-_" for c in value):
        raise InvalidInput("Identifiant d'envoi incorrect : rechargez le formulaire.")
    return value


def _week_ago() -> str:
    return timefmt.to_iso(service._now() - service.URGENT_WINDOW)


def raise_forbidden() -> None:
    from virage.errors import Forbidden

    raise Forbidden(
        "Cette vue est réservée à la coordination : elle liste les transmissions urgentes que "
        "personne n'a encore lues."
    )


def raise_grace(t: dict) -> None:
    from virage.errors import Conflict, Forbidden

    if not t["mine"]:
        raise Forbidden(service.AUTHOR_ONLY)
    raise Conflict(service.GRACE_PASSED)

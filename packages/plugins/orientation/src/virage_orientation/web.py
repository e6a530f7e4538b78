"""HTML pages of orientation (session), and the section on a person's record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from markupsafe import Markup
from pydantic import ValidationError

from virage.sdk import (
    Access,
    Forbidden,
    InvalidInput,
    PageSection,
    Plugins,
    accounts,
    fragment_environment,
    require_actor_guard,
)
from virage_orientation import service, storage, todo
from virage_orientation.catalog import (
    CONSENTS,
    CRITERIA,
    EVENT_LABELS,
    MOBILITY,
    MODULES,
    OFFERS,
    REFUSAL_REASONS,
    REQUEST_STATUSES,
    SENDING_STATUSES,
    URGENCIES,
)
from virage_orientation.models import AnswerIn, RequestIn

Id = FromPath[int]
TEMPLATES = Path(__file__).parent / "templates"
_snippets = fragment_environment(TEMPLATES)


def _fr_date(value: str | None) -> str:
    """« 18 novembre 1929 » for a date, « 2 décembre 2026 à 9 h 42 » (Paris) for an instant."""
    from virage.sdk import moment_text

    return moment_text(value)


CATALOG = {
    "modules": MODULES,
    "offers": OFFERS,
    "criteria": CRITERIA,
    "urgencies": URGENCIES,
    "consents": CONSENTS,
    "mobility": MOBILITY,
    "refusal_reasons": REFUSAL_REASONS,
    "request_statuses": REQUEST_STATUSES,
    "sending_statuses": SENDING_STATUSES,
    "event_labels": EVENT_LABELS,
}


def _page(name: str, **context: Any) -> Template:
    return Template(name, context={**context, **CATALOG, "fr_date": _fr_date})


def person_section(access, person: dict) -> Markup | None:
    _, ref = access.load_person(person["id"])
    if not access.allowed("orientation.request", person=ref):
        return None
    rows = storage.requests_of_person(access.db, person["id"])
    if rows:
        access.require(
            "orientation.request", person_id=person["id"], action="orientation.request.list"
        )
    return Markup(
        _snippets.get_template("orientation/_section.html").render(
            rows=rows, person=person, fr_date=_fr_date, **CATALOG
        )
    )


def _pydantic(model, values: dict[str, Any]):
    try:
        return model(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(f"{field} : {first['msg']}.") from None


class OrientationPages(Controller):
    path = "/orientation"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="orientation")
    async def index(
        self, access: Access, ok: Annotated[str | None, QueryParameter()] = None
    ) -> Template:
        actor = access.require_login()
        blocks = []
        for structure in accounts.structures(access.db, actor.structure_ids):
            sid = structure["id"]
            block: dict[str, Any] = {"structure": structure}
            if access.allowed("orientation.list", structure_id=sid):
                block["emitted"] = service.requests_of_structure(access, sid)
                block["to_complete"] = todo.medical_to_complete(access, sid)
            linked = service.directory_id_of(access.db, sid) is not None
            if linked and access.allowed("orientation.receive", structure_id=sid):
                block["incoming"] = service.incoming(access, sid)
            if linked and access.allowed("orientation.places", structure_id=sid):
                block["places"] = {p["offer"]: p for p in service.places(access, sid)["places"]}
            blocks.append(block)
        dashboard = actor.is_network_admin or any(
            access.allowed("orientation.dashboard", structure_id=s) for s in actor.structure_ids
        )
        return _page(
            "orientation/index.html",
            title="Orientation",
            blocks=blocks,
            dashboard=dashboard,
            ok=ok,
            can_request=bool(todo.can_request_somewhere(access)),
        )

    @get("/nouvelle", name="orientation-new")
    async def new(
        self,
        access: Access,
        personne: Annotated[int | None, QueryParameter()] = None,
        q: Annotated[str, QueryParameter(max_length=100)] = "",
    ) -> Template:
        if personne is None:  # « Nouvelle demande » from the orientation home: choose the person
            if not todo.can_request_somewhere(access):
                raise Forbidden("Votre rôle ne permet pas de créer une demande d'orientation.")
            return _page(
                "orientation/choose.html",
                title="Nouvelle demande d'orientation",
                persons=todo.persons_to_choose(access, q.strip()),
                q=q,
            )
        person = access.require(
            "orientation.request", person_id=personne, action="orientation.request.form"
        )
        return _page(
            "orientation/new.html", title="Nouvelle demande d'orientation", person=person, values={}
        )

    @post("/nouvelle", status_code=303)
    async def create(self, request: Request, access: Access) -> Redirect:
        form = await request.form()
        values = {k: form.get(k) or None for k in form if k not in ("criteria", "_csrf_token")}
        values["criteria"] = form.getall("criteria", [])
        values = {k: v for k, v in values.items() if v is not None}
        data = _pydantic(RequestIn, values)
        req = service.create_request(access, data)
        return Redirect(f"/orientation/demandes/{req['id']}?ok=cree", status_code=303)

    @get("/demandes/{request_id:int}", name="orientation-request")
    async def request_page(
        self,
        access: Access,
        plugins: Plugins,
        request_id: Id,
        ok: Annotated[str | None, QueryParameter()] = None,
    ) -> Template:
        req = service.requester_view(access, request_id)
        proposals = None
        if req["status"] in ("brouillon", "envoyee") and req["medical_complete"]:
            proposals = service.proposals(access, plugins, request_id)["results"]
        return _page(
            "orientation/request.html",
            title="Demande d'orientation",
            req=req,
            proposals=proposals,
            ok=ok,
        )

    @post("/demandes/{request_id:int}/volet-medical", status_code=303)
    async def medical(self, request: Request, access: Access, request_id: Id) -> Redirect:
        form = await request.form()
        service.save_medical(access, request_id, form.get("content", ""))
        return Redirect(f"/orientation/demandes/{request_id}?ok=medical", status_code=303)

    @post("/demandes/{request_id:int}/envoyer", status_code=303)
    async def send(
        self, request: Request, access: Access, plugins: Plugins, request_id: Id
    ) -> Redirect:
        form = await request.form()
        try:
            ids = [int(x) for x in form.getall("structures", [])]
        except ValueError:
            raise InvalidInput("structures : identifiants invalides.") from None
        if not ids:
            raise InvalidInput("Cochez au moins une structure à qui envoyer la demande.")
        service.send(access, plugins, request_id, ids)
        return Redirect(f"/orientation/demandes/{request_id}?ok=envoyee", status_code=303)

    @post("/demandes/{request_id:int}/admission", status_code=303)
    async def choose(self, request: Request, access: Access, request_id: Id) -> Redirect:
        form = await request.form()
        try:
            sending_id = int(form.get("sending_id", ""))
        except ValueError:
            raise InvalidInput("Choisissez l'admission à accepter.") from None
        service.choose(access, request_id, sending_id)
        return Redirect(f"/orientation/demandes/{request_id}?ok=admission", status_code=303)

    @post("/demandes/{request_id:int}/retrait", status_code=303)
    async def withdraw(self, request: Request, access: Access, request_id: Id) -> Redirect:
        form = await request.form()
        if form.get("confirme") != "1":
            raise InvalidInput("Cochez la case qui confirme le retrait de la demande.")
        service.withdraw(access, request_id, form.get("reason", ""))
        return Redirect(f"/orientation/demandes/{request_id}?ok=retiree", status_code=303)

    @get("/structures/{structure_id:int}/recues/{sending_id:int}", name="orientation-incoming")
    async def incoming(
        self,
        access: Access,
        structure_id: Id,
        sending_id: Id,
        ok: Annotated[str | None, QueryParameter()] = None,
    ) -> Template:
        req = service.incoming_view(access, structure_id, sending_id)
        return _page(
            "orientation/incoming.html",
            title="Demande reçue",
            req=req,
            structure_id=structure_id,
            ok=ok,
        )

    @post("/structures/{structure_id:int}/recues/{sending_id:int}/reponse", status_code=303)
    async def answer(
        self, request: Request, access: Access, structure_id: Id, sending_id: Id
    ) -> Redirect:
        form = await request.form()
        values = {
            k: form.get(k) or None for k in ("status", "refusal_reason", "comment", "proposed_date")
        }
        data = _pydantic(AnswerIn, {k: v for k, v in values.items() if v is not None})
        service.answer(access, structure_id, sending_id, data)
        return Redirect(
            f"/orientation/structures/{structure_id}/recues/{sending_id}?ok=reponse",
            status_code=303,
        )

    @post("/structures/{structure_id:int}/places", status_code=303)
    async def places(self, request: Request, access: Access, structure_id: Id) -> Redirect:
        form = await request.form()
        try:
            count = int(form.get("places", ""))
        except ValueError:
            raise InvalidInput(
                "places : indiquez un nombre entier (0 s'il n'y a plus de place)."
            ) from None
        service.set_places(access, structure_id, form.get("offer", ""), count)
        return Redirect("/orientation/?ok=places", status_code=303)

    @get("/tableau-de-bord", name="orientation-dashboard")
    async def dashboard(self, access: Access) -> Template:
        data = service.dashboard(access)
        return _page(
            "orientation/dashboard.html", title="Tableau de bord de l'orientation", data=data
        )


def worker_section(db, user_id: int) -> list[PageSection] | None:
    records = storage.worker_records(db, user_id)
    if not any(records.values()):
        return None
    html = Markup(
        _snippets.get_template("orientation/_worker_records.html").render(
            records=records, fr_date=_fr_date, **CATALOG
        )
    )
    return [PageSection("Orientation", html, "orientation", order=60)]

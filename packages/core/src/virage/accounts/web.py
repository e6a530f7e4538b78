"""Web pages of the accounts domain (French, phone first, plain forms protected by CSRF)."""

from __future__ import annotations

import json
from typing import Annotated

from litestar import Controller, MediaType, get, post
from litestar.params import FromPath, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Response, Template
from pydantic import BaseModel, Field, ValidationError

from virage.access import CARE_TEAM_ROLES, ROLES
from virage.accounts import (
    notice,
    objections,
    persons,
    second_factor,
    service,
    worker_records,
)
from virage.accounts.auth import require_actor_guard
from virage.accounts.display import HELPERS
from virage.accounts.models import PersonCreate, PersonUpdate
from virage.audit import journal
from virage.deps import Access, Plugins
from virage.errors import Forbidden, InvalidInput, NotFound, pydantic_details
from virage.web.sections import sort_sections

Id = FromPath[int]


class MePages(Controller):
    path = "/moi"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="me")
    async def me(self, access: Access) -> Template:
        actor = access.require_login()
        structures = service.list_structures(access.db, actor.structure_ids)
        for s in structures:
            s["role"] = ROLES.get(actor.memberships[s["id"]], actor.memberships[s["id"]])
            s["can_audit"] = access.allowed("audit.read", structure_id=s["id"])
            s["can_tokens"] = access.allowed("tokens.manage", structure_id=s["id"])
            s["can_settings"] = access.allowed("structures.settings", structure_id=s["id"])
        context = {
            "structures": structures,
            "second_factor": second_factor.status(access.db, actor.user_id),
            "notice_due": notice.due(access.db, actor.user_id),
            "demo": second_factor.is_demo(access.db),
        }
        return Template("accounts/me.html", context=context)

    @get("/enregistrements", name="me-records")
    async def records(self, access: Access, plugins: Plugins) -> Template:
        """Everything Virage records about the worker: nothing else is recorded."""
        actor = access.require_login()
        db = access.db
        records = worker_records.of_worker(db, actor)
        records["audit"] = journal.describe(access, records["audit"])
        context = {
            **records,
            "activity_reads": journal.reads_of_my_activity(access),
            **HELPERS,
            "sections": sort_sections(
                plugins.call_flat("extra_worker_records", db=db, user_id=actor.user_id)
            ),
        }
        return Template("accounts/me_records.html", context=context)


class PersonForm(BaseModel):
    """The person form of the web interface (flat fields; contacts as one line each)."""

    family_name: str = ""
    birth_name: str = ""
    given_names: str = ""
    birth_date: str = ""
    sex: str = ""
    ins_nir: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    health_notes: str = ""


def _validate(model_cls, data: dict):

    try:
        return model_cls.model_validate(data)
    except ValidationError as exc:
        details = pydantic_details(exc)
        raise InvalidInput(
            "Certaines informations ne sont pas valides : corrigez-les puis réessayez.",
            details=details,
        ) from None


class PersonPages(Controller):
    path = "/"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/structures/{structure_id:int}/personnes", name="persons")
    async def list_page(
        self,
        access: Access,
        structure_id: Id,
        q: Annotated[str | None, QueryParameter()] = None,
        statut: Annotated[str, QueryParameter()] = "active",
    ) -> Template:
        structure = service.get_structure(access.db, structure_id)
        if structure is None or access.actor.role_in(structure_id) is None:
            raise NotFound("Cette structure n'existe pas ou ne vous est pas accessible.")
        status = statut if statut in ("active", "closed") else "active"
        rows = persons.list_for(access, structure_id, q, status)
        return Template(
            "accounts/persons.html",
            context={
                "structure": structure,
                "persons": rows,
                "q": q or "",
                "statut": status,
                "can_manage": access.allowed("persons.manage", structure_id=structure_id),
                **HELPERS,
            },
        )

    @get("/structures/{structure_id:int}/personnes/nouvelle", name="person-new")
    async def new_page(self, access: Access, structure_id: Id) -> Template:
        access.require("persons.manage", structure_id=structure_id, action="persons.form")
        return Template(
            "accounts/person_form.html",
            context={
                "structure": service.get_structure(access.db, structure_id),
                "can_health": access.allowed("persons.health.write", structure_id=structure_id),
            },
        )

    @post("/structures/{structure_id:int}/personnes", status_code=303)
    async def create(
        self, access: Access, structure_id: Id, data: URLEncodedBody[PersonForm]
    ) -> Redirect:
        person = _validate(PersonCreate, data.model_dump())
        person_id = persons.create(access, structure_id, person.model_dump(mode="json"))
        return Redirect(f"/personnes/{person_id}", status_code=303)

    @get("/personnes/{person_id:int}", name="person")
    async def record(self, access: Access, plugins: Plugins, person_id: Id) -> Template:
        try:
            data = persons.view(access, person_id)
        except Forbidden as exc:
            # Not in the care team: offer the traced emergency access when the role allows it.
            _, ref = access.load_person(person_id)
            if access.allowed("emergency_access.request", structure_id=ref.structure_id):
                return Template(
                    "accounts/emergency.html",
                    status_code=403,
                    context={
                        "person_id": person_id,
                        "message": exc.message,
                        "objection": objections.active(access.db, person_id),
                        **HELPERS,
                    },
                )
            raise
        person = data["person"]
        structure_id = person["structure_id"]
        members = service.members_of(access.db, structure_id) if data["can_manage_team"] else []
        in_team = {m["id"] for m in data["care_team"]}
        access_log = (
            persons.access_log(access, person_id)[:50] if data["can_see_access_log"] else []
        )
        return Template(
            "accounts/person.html",
            context={
                **data,
                "structure": service.get_structure(access.db, structure_id),
                "candidates": [
                    m for m in members if m["id"] not in in_team and m["role"] in CARE_TEAM_ROLES
                ],
                "access_log": access_log,
                "can_read_journal": access.allowed("audit.read", structure_id=structure_id),
                "roles": ROLES,
                "objection_choices": objections.SCOPE_CHOICES,
                "objection_phrases": objections.SCOPES,
                **HELPERS,
                "sections": sort_sections(
                    plugins.call_flat(
                        "extra_person_sections",
                        access=access,
                        person=person,
                        person_ref=access.load_person(person_id)[1],
                        plugins=plugins,
                    )
                ),
            },
        )

    @post("/personnes/{person_id:int}/equipe", status_code=303)
    async def add_member(
        self, access: Access, person_id: Id, data: URLEncodedBody[dict[str, str]]
    ) -> Redirect:
        try:
            user_id = int(data.get("user_id", ""))
        except ValueError:
            raise InvalidInput("Choisissez un professionnel dans la liste.") from None
        persons.add_member(access, person_id, user_id)
        return Redirect(f"/personnes/{person_id}#equipe", status_code=303)

    @post("/personnes/{person_id:int}/equipe/{user_id:int}/retirer", status_code=303)
    async def remove_member(
        self, access: Access, person_id: Id, user_id: FromPath[int]
    ) -> Redirect:
        persons.remove_member(access, person_id, user_id)
        return Redirect(f"/personnes/{person_id}#equipe", status_code=303)

    @post("/personnes/{person_id:int}/sante", status_code=303)
    async def update_health(
        self, access: Access, person_id: Id, data: URLEncodedBody[dict[str, str]]
    ) -> Redirect:
        changes = _validate(PersonUpdate, {"health_notes": data.get("health_notes", "")})
        persons.update(access, person_id, changes.model_dump(exclude_unset=True))
        return Redirect(f"/personnes/{person_id}#sante", status_code=303)

    @post("/personnes/{person_id:int}/bris-de-glace", status_code=303)
    async def emergency(
        self, access: Access, person_id: Id, data: URLEncodedBody[dict[str, str]]
    ) -> Redirect:
        access.request_emergency(person_id, data.get("reason", ""))
        return Redirect(f"/personnes/{person_id}", status_code=303)

    @post("/personnes/{person_id:int}/cloture", status_code=303)
    async def close(self, access: Access, person_id: Id) -> Redirect:
        persons.close(access, person_id)
        return Redirect(f"/personnes/{person_id}", status_code=303)

    @get("/personnes/{person_id:int}/export.json", name="person-export")
    async def export(self, access: Access, plugins: Plugins, person_id: Id) -> Response:
        """What the actor may read; the export lists the sections left out and why."""
        return _export_response(persons.export(access, plugins, person_id), person_id)

    @post("/personnes/{person_id:int}/export.json", status_code=200)
    async def export_for_right_of_access(
        self, access: Access, plugins: Plugins, person_id: Id, data: URLEncodedBody[ExportForm]
    ) -> Response:
        """The complete export (DPO, stated reason, flagged in the audit trail)."""
        return _export_response(persons.export(access, plugins, person_id, data.motif), person_id)


class ExportForm(BaseModel):
    motif: str = Field(default="", max_length=500)


def _export_response(data: dict, person_id: int) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(
        body,
        media_type=MediaType.JSON,
        headers={"Content-Disposition": f'attachment; filename="personne-{person_id}.json"'},
    )


class StructurePages(Controller):
    path = "/structures/{structure_id:int}"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/jetons", name="tokens")
    async def tokens(self, access: Access, structure_id: Id) -> Template:
        access.require("tokens.manage", structure_id=structure_id)
        return Template(
            "accounts/tokens.html",
            context={
                "structure": service.get_structure(access.db, structure_id),
                "tokens": service.tokens_of_structure(access.db, structure_id),
                **HELPERS,
            },
        )

    @post("/jetons", status_code=200)
    async def create_token(
        self, access: Access, structure_id: Id, data: URLEncodedBody[dict[str, str]]
    ) -> Template:
        access.require("tokens.manage", structure_id=structure_id)
        token_id, secret = service.create_token(
            access.db, access.actor.user_id, structure_id, data.get("name", "")
        )
        access.audit("tokens.created", structure_id=structure_id, target=f"token:{token_id}")
        return Template(
            "accounts/tokens.html",
            context={
                "structure": service.get_structure(access.db, structure_id),
                "tokens": service.tokens_of_structure(access.db, structure_id),
                "secret": secret,
                **HELPERS,
            },
        )

    @post("/jetons/{token_id:int}/revoquer", status_code=303)
    async def revoke_token(
        self, access: Access, structure_id: Id, token_id: FromPath[int]
    ) -> Redirect:
        access.require("tokens.manage", structure_id=structure_id)
        token = service.get_token(access.db, token_id)
        if token is None or token["structure_id"] != structure_id:
            raise NotFound("Ce jeton n'existe pas.")
        service.revoke_token(access.db, token_id)
        access.audit("tokens.revoked", structure_id=structure_id, target=f"token:{token_id}")
        return Redirect(f"/structures/{structure_id}/jetons", status_code=303)

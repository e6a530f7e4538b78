"""Pages of the organisational inboxes (French, phone first, plain forms: no JavaScript needed).

``/boites`` (my inboxes, open counts; creating one for the direction), ``/boites/{id}`` (open
items, who is on call, the handover note, the settings), ``/boites/{id}/ecrire`` (write to it),
``/boites/elements/{id}`` (« Je prends », answer, close), ``/boites/{id}/ecrire-externe`` (a
bridged inbox writes to a professional found in the directory). A person's name never goes in a page's
``<title>``; an item's text about a person shows to her care team only.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from pydantic import BaseModel, Field, ValidationError

from virage.access import ROLES
from virage.accounts import lookups
from virage.accounts.auth import require_actor_guard
from virage.deps import Access
from virage.errors import InvalidInput, pydantic_details
from virage.inboxes import outgoing, service, settings
from virage.inboxes.api import answered_message
from virage.inboxes.model import KINDS, STATUSES, AnswerIn, CloseIn, ExternalIn, ItemIn, NoteIn


def checked(model, data: dict[str, Any]):
    """A form checked by its model; ``InvalidInput`` with a French message otherwise."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = pydantic_details(exc)
        raise InvalidInput(
            "Certaines informations ne sont pas valides : " + details[0]["message"] + ".",
            details=details,
        ) from None


def _ids(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value] if value else []
    out = []
    for v in values[:200]:
        try:
            out.append(int(str(v)))
        except ValueError:
            raise InvalidInput("Choisissez les destinataires dans la liste.") from None
    return out


class SettingsForm(BaseModel):
    structure_id: int = Field(default=0, ge=0, le=2**62)
    name: str = Field(default="", max_length=200)
    kind: str = Field(default="on_call", max_length=20)
    external_address: str = Field(default="", max_length=300)
    reader_roles: list[str] | str = Field(default_factory=list)
    reader_user_ids: list[str] | str = Field(default_factory=list)
    claim_minutes: str = Field(default="15", max_length=6)
    manager_user_id: str = Field(default="", max_length=20)

    def settings(self) -> settings.InboxSettings:
        roles = self.reader_roles if isinstance(self.reader_roles, list) else [self.reader_roles]
        manager = self.manager_user_id.strip()
        return checked(
            settings.InboxSettings,
            {
                "name": self.name,
                "kind": self.kind,
                "external_address": self.external_address or None,
                "reader_roles": [r for r in roles[:20] if r],
                "reader_user_ids": _ids(self.reader_user_ids),
                "claim_minutes": self.claim_minutes.strip() or "15",
                "manager_user_id": manager or None,
            },
        )


class ItemForm(BaseModel):
    subject: str = Field(default="", max_length=1000)
    body: str = Field(default="", max_length=40_000)
    person_id: str = Field(default="", max_length=20)
    urgent: str = Field(default="", max_length=5)


class ExternalForm(BaseModel):
    subject: str = Field(default="", max_length=1000)
    body: str = Field(default="", max_length=40_000)
    person_id: str = Field(default="", max_length=20)


class TextForm(BaseModel):
    text: str = Field(default="", max_length=40_000)


def _choices(access, structure_id: int) -> dict:
    return {
        "kinds": KINDS,
        "roles": ROLES,
        "members": lookups.members_of(access.db, structure_id),
    }


class InboxPages(Controller):
    path = "/boites"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="inboxes")
    async def index(self, access: Access) -> Template:
        view = service.inboxes_for(access)
        actor = access.actor
        managed = [
            {"id": s, "name": (lookups.structure(access.db, s) or {}).get("name", "")}
            for s in actor.structure_ids
            if access.allowed("inboxes.manage", structure_id=s)
        ]
        members = _choices(access, managed[0]["id"]) if managed else {}
        return Template("inboxes/list.html", context={**view, "managed": managed, **members})

    @post("/", status_code=303)
    async def create(self, access: Access, data: URLEncodedBody[SettingsForm]) -> Redirect:
        inbox_id = settings.create(access, data.structure_id, data.settings())
        return Redirect(f"/boites/{inbox_id}", status_code=303)

    @get("/{inbox_id:int}", name="inbox")
    async def inbox(self, access: Access, inbox_id: FromPath[int]) -> Template:
        view = service.inbox_view(access, inbox_id)
        extra = _choices(access, view["inbox"]["structure_id"]) if view["can_manage"] else {}
        return Template(
            "inboxes/inbox.html", context={**view, **extra, "statuses": STATUSES, "kinds": KINDS}
        )

    @post("/{inbox_id:int}/reglages", status_code=303)
    async def update(
        self, access: Access, inbox_id: FromPath[int], data: URLEncodedBody[SettingsForm]
    ) -> Redirect:
        settings.update(access, inbox_id, data.settings())
        return Redirect(f"/boites/{inbox_id}#reglages", status_code=303)

    @post("/{inbox_id:int}/releve", status_code=303)
    async def note(
        self, access: Access, inbox_id: FromPath[int], data: URLEncodedBody[TextForm]
    ) -> Redirect:
        service.write_note(access, inbox_id, checked(NoteIn, {"note": data.text}))
        return Redirect(f"/boites/{inbox_id}#releve", status_code=303)

    @get("/{inbox_id:int}/ecrire", name="inbox-write")
    async def write(self, access: Access, inbox_id: FromPath[int]) -> Template:
        inbox = next(
            (r for r in service.inboxes_for(access)["postable"] if r["id"] == inbox_id), None
        )
        if inbox is None:
            from virage.errors import NotFound

            raise NotFound(service.INBOX_NOT_FOUND)
        return Template("inboxes/write.html", context={"inbox": inbox})

    @post("/{inbox_id:int}/ecrire", status_code=303)
    async def send(
        self, access: Access, inbox_id: FromPath[int], data: URLEncodedBody[ItemForm]
    ) -> Redirect:
        item = checked(
            ItemIn,
            {
                "subject": data.subject,
                "body": data.body,
                "person_id": data.person_id.strip() or None,
                "urgent": bool(data.urgent),
            },
        )
        service.post(access, inbox_id, item)
        return Redirect(f"/boites?ecrit={inbox_id}", status_code=303)

    @get("/{inbox_id:int}/ecrire-externe", name="inbox-external")
    async def external(
        self, access: Access, inbox_id: FromPath[int], q: FromQuery[str] = ""
    ) -> Template:
        view = outgoing.candidates(access, inbox_id, q[:1000])
        return Template("inboxes/external.html", context=view)

    @get("/{inbox_id:int}/ecrire-externe/{professional_id:int}", name="inbox-external-form")
    async def external_form(
        self, access: Access, inbox_id: FromPath[int], professional_id: FromPath[int]
    ) -> Template:
        view = outgoing.form_view(access, inbox_id, professional_id)
        return Template("inboxes/external.html", context=view)

    @post("/{inbox_id:int}/ecrire-externe/{professional_id:int}", status_code=303)
    async def external_send(
        self,
        access: Access,
        inbox_id: FromPath[int],
        professional_id: FromPath[int],
        data: URLEncodedBody[ExternalForm],
    ) -> Redirect:
        message = checked(
            ExternalIn,
            {
                "professional_id": professional_id,
                "subject": data.subject,
                "body": data.body,
                "person_id": data.person_id.strip() or None,
            },
        )
        item_id, sent = outgoing.write_external(access, inbox_id, message)
        flag = {True: "oui", False: "non", None: "aucun"}[sent]
        return Redirect(f"/boites/elements/{item_id}?envoi={flag}", status_code=303)

    @get("/elements/{item_id:int}", name="inbox-item")
    async def item(
        self, access: Access, item_id: FromPath[int], envoi: FromQuery[str] = ""
    ) -> Template:
        view = service.item_view(access, item_id)
        sent = {"oui": True, "non": False, "aucun": None}
        said = (
            outgoing.written_message if view["item"]["source"] == "outgoing" else answered_message
        )
        notice = said(sent[envoi]) if envoi in sent else ""
        return Template(
            "inboxes/item.html",
            context={**view, "statuses": STATUSES, "me": access.actor.user_id, "notice": notice},
        )

    @post("/elements/{item_id:int}/prendre", status_code=303)
    async def claim(self, access: Access, item_id: FromPath[int]) -> Redirect:
        service.claim(access, item_id)
        return Redirect(f"/boites/elements/{item_id}", status_code=303)

    @post("/elements/{item_id:int}/repondre", status_code=303)
    async def answer(
        self, access: Access, item_id: FromPath[int], data: URLEncodedBody[TextForm]
    ) -> Redirect:
        sent = service.answer(access, item_id, checked(AnswerIn, {"body": data.text}))
        flag = {True: "oui", False: "non", None: "aucun"}[sent]
        return Redirect(f"/boites/elements/{item_id}?envoi={flag}#reponses", status_code=303)

    @post("/elements/{item_id:int}/clore", status_code=303)
    async def close(
        self, access: Access, item_id: FromPath[int], data: URLEncodedBody[TextForm]
    ) -> Redirect:
        service.close(access, item_id, checked(CloseIn, {"outcome": data.text}))
        return Redirect(f"/boites/elements/{item_id}", status_code=303)

"""Pages of the messaging (French, phone first, plain forms: no JavaScript needed).

``/messages`` (my conversations), ``/messages/{id}`` (read, marked read, answer), and from the
person's record ``/personnes/{id}/messages/nouvelle`` and ``/personnes/{id}/messages/accords``.
The person's name never goes in a page's ``<title>`` (browser history, shared tablets).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Controller, get, post
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from markupsafe import Markup
from pydantic import BaseModel, Field

from virage.accounts.auth import require_actor_guard
from virage.deps import Access, Plugins
from virage.errors import InvalidInput
from virage.messaging import attachments, consents, service
from virage.web.templating import fragment_environment

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "web" / "templates"
_fragments = fragment_environment(TEMPLATES_DIR)


def render_fragment(name: str, **context: Any) -> Markup:
    return Markup(_fragments.get_template(name).render(csrf=None, **context))


def ids(value: Any) -> list[int]:
    """Checked boxes: one value or several, each an account number; bounded."""
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values[:60]:
        try:
            out.append(int(str(v)))
        except ValueError:
            raise InvalidInput("Choisissez les participants dans la liste.") from None
    return out


class ReplyForm(BaseModel):
    body: str = Field(default="", max_length=5000)
    document_id: str = Field(default="", max_length=20)


def document_id(value: str) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise InvalidInput("Choisissez le document dans la liste.") from None


class NewThreadForm(BaseModel):
    subject: str = Field(default="", max_length=120)
    body: str = Field(default="", max_length=5000)
    urgent: str = Field(default="", max_length=5)
    participants: list[str] | str = Field(default_factory=list)


class ConsentForm(BaseModel):
    partner_structure_id: int = 0
    expressed_on: str = Field(default="", max_length=30)


class MessagePages(Controller):
    path = "/messages"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="messages")
    async def index(self, access: Access) -> Template:
        return Template("messaging/list.html", context={"threads": service.my_threads(access)})

    @get("/{thread_id:int}", name="message-thread")
    async def thread(self, access: Access, thread_id: FromPath[int]) -> Template:
        return Template("messaging/thread.html", context=service.open_thread(access, thread_id))

    @post("/{thread_id:int}", status_code=303)
    async def reply(
        self,
        access: Access,
        plugins: Plugins,
        thread_id: FromPath[int],
        data: URLEncodedBody[ReplyForm],
    ) -> Redirect:
        post_id = service.reply(
            access, plugins, thread_id, data.body, document_id(data.document_id)
        )
        return Redirect(f"/messages/{thread_id}#message-{post_id}", status_code=303)

    @get("/{thread_id:int}/joindre", name="message-attach")
    async def attach(self, access: Access, thread_id: FromPath[int]) -> Template:
        view = service.open_thread(access, thread_id, mark=False)
        if not view["can_attach"]:
            raise InvalidInput(attachments.RESERVED)
        docs = attachments.choices(access, view["person_id"])
        return Template("messaging/attach.html", context={**view, "documents": docs})


class PersonMessagePages(Controller):
    path = "/personnes/{person_id:int}/messages"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/nouvelle", name="message-new")
    async def new(self, access: Access, person_id: FromPath[int]) -> Template:
        view = service.candidates(access, person_id)
        return Template("messaging/new.html", context={**view, "values": {}})

    @post("/nouvelle", status_code=303)
    async def create(
        self,
        access: Access,
        plugins: Plugins,
        person_id: FromPath[int],
        data: URLEncodedBody[NewThreadForm],
    ) -> Redirect:
        tid = service.start(
            access,
            plugins,
            person_id,
            data.subject,
            data.body,
            ids(data.participants),
            urgent=bool(data.urgent),
        )
        return Redirect(f"/messages/{tid}", status_code=303)

    @get("/accords", name="message-consents")
    async def consents_page(self, access: Access, person_id: FromPath[int]) -> Template:
        return Template("messaging/consents.html", context=consents.view(access, person_id))

    @post("/accords", status_code=303)
    async def record(
        self, access: Access, person_id: FromPath[int], data: URLEncodedBody[ConsentForm]
    ) -> Redirect:
        consents.record(access, person_id, data.partner_structure_id, data.expressed_on)
        return Redirect(f"/personnes/{person_id}/messages/accords", status_code=303)

    @post("/accords/{consent_id:int}/retirer", status_code=303)
    async def revoke(
        self, access: Access, person_id: FromPath[int], consent_id: FromPath[int]
    ) -> Redirect:
        consents.revoke(access, person_id, consent_id)
        return Redirect(f"/personnes/{person_id}/messages/accords", status_code=303)

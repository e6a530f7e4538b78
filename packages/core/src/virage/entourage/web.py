"""Pages of the entourage: ``/personnes/{id}/entourage`` and the printable DLU ``/personnes/{id}/dlu``."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, get, post
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from pydantic import BaseModel, Field

from virage.accounts.auth import require_actor_guard
from virage.deps import Access
from virage.entourage import dlu, service
from virage.entourage.kinds import DIRECTIVES, KINDS, MAY_KNOW, PROTECTIONS, SOURCES
from virage.entourage.models import validate_entry
from virage.french import PARIS


class EntryForm(BaseModel):
    """The flat form of an entry; checked again by :class:`virage.entourage.models.EntryIn`."""

    kind: str = Field(default="", max_length=30)
    name: str = Field(default="", max_length=500)
    relation: str = Field(default="", max_length=500)
    phone: str = Field(default="", max_length=500)
    detail: str = Field(default="", max_length=1000)
    extra: str = Field(default="", max_length=1000)
    may_know: str = Field(default="", max_length=30)
    source: str = Field(default="", max_length=30)
    declared_on: str = Field(default="", max_length=30)


CHOICES = {
    "kinds": KINDS,
    "protections": PROTECTIONS,
    "may_know": MAY_KNOW,
    "directive_labels": DIRECTIVES,
    "sources": SOURCES,
}


class EntouragePages(Controller):
    path = "/personnes/{person_id:int}"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/entourage", name="person-entourage")
    async def page(self, access: Access, person_id: FromPath[int]) -> Template:
        view = service.view(access, person_id)
        return Template("entourage/page.html", context={**view, **CHOICES})

    @post("/entourage", status_code=303)
    async def add(
        self, access: Access, person_id: FromPath[int], data: URLEncodedBody[EntryForm]
    ) -> Redirect:
        entry = validate_entry(data.model_dump())
        service.add(access, person_id, entry)
        return Redirect(f"/personnes/{person_id}/entourage#{entry.kind}", status_code=303)

    @post("/entourage/{entry_id:int}/retirer", status_code=303)
    async def remove(
        self, access: Access, person_id: FromPath[int], entry_id: FromPath[int]
    ) -> Redirect:
        service.remove(access, person_id, entry_id)
        return Redirect(f"/personnes/{person_id}/entourage", status_code=303)

    @get("/dlu", name="person-dlu")
    async def dlu_page(self, access: Access, person_id: FromPath[int]) -> Template:
        data = dlu.build(access, person_id, datetime.now(PARIS).date())
        return Template("entourage/dlu.html", context={**data, **CHOICES})

"""Record or withdraw a person's objection to sharing, from her record page."""

from __future__ import annotations

from litestar import Controller, post
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect
from pydantic import BaseModel, Field

from virage.accounts import objections
from virage.accounts.auth import require_actor_guard
from virage.deps import Access


class ObjectionForm(BaseModel):
    scope: str = Field(default="", max_length=20)
    date: str = Field(default="", max_length=20)
    note: str = Field(default="", max_length=1000)


class ObjectionPages(Controller):
    path = "/personnes/{person_id:int}/opposition"
    include_in_schema = False
    guards = [require_actor_guard]

    @post("/", status_code=303)
    async def record(
        self, access: Access, person_id: FromPath[int], data: URLEncodedBody[ObjectionForm]
    ) -> Redirect:
        objections.record_objection(access, person_id, data.scope, data.date, data.note)
        return Redirect(f"/personnes/{person_id}#opposition", status_code=303)

    @post("/{objection_id:int}/lever", status_code=303)
    async def withdraw(
        self,
        access: Access,
        person_id: FromPath[int],
        objection_id: FromPath[int],
        data: URLEncodedBody[ObjectionForm],
    ) -> Redirect:
        objections.withdraw_objection(access, person_id, objection_id, data.date)
        return Redirect(f"/personnes/{person_id}#opposition", status_code=303)

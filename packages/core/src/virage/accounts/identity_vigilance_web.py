"""Pages of identity vigilance: a person's identity status (``/personnes/{id}/identite``) and
the structure's possible duplicates (``/structures/{id}/personnes/doublons``)."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from pydantic import BaseModel, Field

from virage.accounts import identity_vigilance as vigilance
from virage.accounts import identity_vigilance_merge
from virage.accounts.auth import require_actor_guard
from virage.deps import Access


class ValidationForm(BaseModel):
    document: str = Field(default="", max_length=40)


class MergeForm(BaseModel):
    merged_id: int = Field(ge=1, le=2**62)
    reason: str = Field(default="", max_length=1000)


class IdentityPages(Controller):
    path = "/"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/personnes/{person_id:int}/identite", name="person-identity")
    async def page(self, access: Access, person_id: FromPath[int]) -> Template:
        person = access.require("persons.identity.read", person_id=person_id, action="persons.read")
        can_manage = access.allowed("persons.manage", structure_id=person["structure_id"])
        return Template(
            "accounts/identity_vigilance.html",
            context={
                "person": person,
                "identity": vigilance.status_of(access.db, person),
                "can_manage": can_manage and person["status"] == "active",
                "documents": vigilance.documents_of(access.db, person),
                "duplicates": vigilance.duplicates_of(access.db, person) if can_manage else [],
                "can_merge": access.allowed("persons.merge", structure_id=person["structure_id"])
                and person["status"] == "active",
            },
        )

    @post("/personnes/{person_id:int}/identite/validation", status_code=303)
    async def validate(
        self, access: Access, person_id: FromPath[int], data: URLEncodedBody[ValidationForm]
    ) -> Redirect:
        vigilance.validate(access, person_id, data.document)
        return Redirect(f"/personnes/{person_id}/identite", status_code=303)

    @post("/personnes/{person_id:int}/identite/ins", status_code=303)
    async def ins(self, access: Access, person_id: FromPath[int]) -> Redirect:
        vigilance.ins_retrieved(access, person_id)
        return Redirect(f"/personnes/{person_id}/identite", status_code=303)

    @post("/personnes/{person_id:int}/identite/fusion", status_code=303)
    async def merge(
        self, access: Access, person_id: FromPath[int], data: URLEncodedBody[MergeForm]
    ) -> Redirect:
        identity_vigilance_merge.merge(access, person_id, data.merged_id, data.reason)
        return Redirect(f"/personnes/{person_id}", status_code=303)

    @get("/structures/{structure_id:int}/personnes/doublons", name="person-duplicates")
    async def duplicates(self, access: Access, structure_id: FromPath[int]) -> Template:
        groups = vigilance.duplicates(access, structure_id)
        return Template(
            "accounts/duplicates.html",
            context={"groups": groups, "structure_id": structure_id},
        )

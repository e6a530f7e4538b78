"""The page of the first-use notice (« Note d'information », ``/moi/note-d-information``)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import QueryParameter, URLEncodedBody
from litestar.response import Redirect, Template
from pydantic import BaseModel, Field

from virage.accounts import notice
from virage.accounts.auth import require_actor_guard
from virage.accounts.display import HELPERS
from virage.accounts.login_web import safe_next
from virage.deps import Access, Permissions


class AcknowledgeForm(BaseModel):
    suivant: str = Field(default="/moi", max_length=2000)


class NoticePages(Controller):
    path = notice.NOTICE_PATH
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="notice")
    async def page(
        self,
        access: Access,
        registry: Permissions,
        suivant: Annotated[str | None, QueryParameter(max_length=2000)] = None,
    ) -> Template:
        actor = access.require_login()
        context = notice.content(access.db, registry, actor)
        context.update(
            HELPERS,
            suivant=safe_next(suivant),
            due=notice.due(access.db, actor.user_id),
        )
        return Template("accounts/notice.html", context=context)

    @post("/", status_code=303)
    async def acknowledge(self, access: Access, data: URLEncodedBody[AcknowledgeForm]) -> Redirect:
        actor = access.require_login()
        notice.acknowledge(access.db, actor, access.route)
        return Redirect(safe_next(data.suivant), status_code=303)

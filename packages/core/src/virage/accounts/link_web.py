"""The public pages of one-time links: ``/invitation/<secret>`` (a new account) and
``/mot-de-passe/<secret>`` (a password reset). No session needed: the secret is the key (see
:mod:`virage.accounts.links`). The page is made for a phone; it is never cached, and (like every page:
``Referrer-Policy: same-origin``) no other site learns its address."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Template
from pydantic import BaseModel, Field

from virage.accounts import links, service
from virage.deps import DB
from virage.errors import InvalidInput

HEADERS = {"Cache-Control": "no-store"}


class ChooseForm(BaseModel):
    password: str = Field(default="", max_length=links.MAX_PASSWORD)
    confirm: str = Field(default="", max_length=links.MAX_PASSWORD)


def _page(purpose: str, link, token: str, *, error=None, status=200, done=None) -> Template:
    return Template(
        "accounts/choose_password.html",
        context={
            "purpose": purpose,
            "user": link.user if link else done,
            "valid": link is not None,
            "action": links.path(purpose, token) if link else "",
            "erreur": error,
            "done": done is not None,
            "invalid": links.INVALID,
            "min_length": service.MIN_PASSWORD_LENGTH,
        },
        status_code=status,
        headers=HEADERS,
    )


async def _show(db, purpose: str, token: str) -> Template:
    link = links.open_link(db, purpose, token)
    return _page(purpose, link, token, status=200 if link else 404)


async def _choose(request: Request, db, purpose: str, token: str, data: ChooseForm) -> Template:
    route = f"POST {links.PATHS[purpose]}…"
    try:
        user = links.use(db, purpose, token, data.password, data.confirm, route=route)
    except InvalidInput as exc:
        link = links.open_link(db, purpose, token)
        return _page(purpose, link, token, error=exc.message, status=400 if link else 404)
    return _page(
        purpose,
        None,
        token,
        done={"username": user["username"], "display_name": user["display_name"]},
    )


class LinkPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/invitation/{token:str}", name="invitation", cache=False)
    async def invitation(self, db: DB, token: FromPath[str]) -> Template:
        return await _show(db, "invitation", token)

    @post("/invitation/{token:str}", status_code=200)
    async def accept(
        self, request: Request, db: DB, token: FromPath[str], data: URLEncodedBody[ChooseForm]
    ) -> Template:
        return await _choose(request, db, "invitation", token, data)

    @get("/mot-de-passe/{token:str}", name="password-reset", cache=False)
    async def reset(self, db: DB, token: FromPath[str]) -> Template:
        return await _show(db, "reset", token)

    @post("/mot-de-passe/{token:str}", status_code=200)
    async def choose(
        self, request: Request, db: DB, token: FromPath[str], data: URLEncodedBody[ChooseForm]
    ) -> Template:
        return await _choose(request, db, "reset", token, data)

"""The worker's own account (``/moi/…``): her password, her open sessions, her API tokens."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Template
from pydantic import BaseModel, Field

from virage.accounts import addresses, self_service
from virage.accounts.auth import require_actor_guard
from virage.accounts.display import HELPERS
from virage.deps import Access, AppSettings
from virage.errors import InvalidInput, TooManyRequests

DONE = {
    "ferme": "Session fermée.",
    "fermees": "Vos autres sessions sont fermées.",
    "revoque": "Jeton révoqué : il ne donne plus accès à rien.",
}


class PasswordForm(BaseModel):
    current: str = Field(default="", max_length=500)
    new: str = Field(default="", max_length=500)
    confirm: str = Field(default="", max_length=500)


class SelfServicePages(Controller):
    path = "/moi"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/mot-de-passe", name="my-password")
    async def password_page(self, access: Access) -> Template:
        access.require_login()
        return Template("accounts/my_password.html", context={})

    @post("/mot-de-passe", status_code=200)
    async def change_password(
        self,
        request: Request,
        access: Access,
        settings: AppSettings,
        data: URLEncodedBody[PasswordForm],
    ) -> Template:
        client = addresses.resolve(request.scope, settings)
        try:
            closed = await self_service.change_password(
                access, data.current, data.new, data.confirm, address=client.address
            )
        except (InvalidInput, TooManyRequests) as exc:
            retry_after = getattr(exc, "retry_after", None)
            return Template(
                "accounts/my_password.html",
                context={"erreur": exc.message},
                status_code=exc.status_code,
                headers={"Retry-After": str(retry_after)} if retry_after else None,
            )
        return Template(
            "accounts/my_password.html", context={"done": True, "closed": closed, **HELPERS}
        )

    @get("/sessions", name="my-sessions")
    async def sessions(
        self,
        request: Request,
        access: Access,
        fait: Annotated[str | None, QueryParameter(max_length=20)] = None,
    ) -> Template:
        return Template(
            "accounts/my_sessions.html",
            context={
                "sessions": self_service.my_sessions(access, request.headers.get("user-agent")),
                "done": DONE.get(fait or ""),
                **HELPERS,
            },
        )

    @post("/sessions/fermer-les-autres", status_code=303)
    async def close_others(self, access: Access) -> Redirect:
        self_service.close_other_sessions(access)
        return Redirect("/moi/sessions?fait=fermees", status_code=303)

    @post("/sessions/{ref:str}/fermer", status_code=303)
    async def close(self, access: Access, ref: FromPath[str]) -> Redirect:
        self_service.close_session(access, ref[:32])
        return Redirect("/moi/sessions?fait=ferme", status_code=303)

    @get("/jetons", name="my-tokens")
    async def tokens(
        self, access: Access, fait: Annotated[str | None, QueryParameter(max_length=20)] = None
    ) -> Template:
        return Template(
            "accounts/my_tokens.html",
            context={
                "tokens": self_service.my_tokens(access),
                "done": DONE.get(fait or ""),
                **HELPERS,
            },
        )

    @post("/jetons/{token_id:int}/revoquer", status_code=303)
    async def revoke(self, access: Access, token_id: FromPath[int]) -> Redirect:
        self_service.revoke_my_token(access, token_id)
        return Redirect("/moi/jetons?fait=revoque", status_code=303)

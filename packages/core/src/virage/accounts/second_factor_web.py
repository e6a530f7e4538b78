"""« Mon second facteur » (``/moi/second-facteur``): enrol or replace the authenticator app, add or
remove security keys, make new recovery codes. Every change is in the audit trail."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Response, Template
from pydantic import BaseModel, Field

from virage.access import Actor
from virage.accounts import (
    addresses,
    second_factor,
    security_keys,
    service,
)
from virage.accounts.auth import require_actor_guard
from virage.accounts.display import HELPERS
from virage.db import utcnow
from virage.deps import Access, AppSettings, Permissions
from virage.errors import Conflict, InvalidInput, NotFound

PAGE = "/moi/second-facteur"
WRONG_CODE = (
    "Ce code ne correspond pas au code QR affiché : vérifiez que l'heure de votre téléphone est "
    "juste, attendez le code suivant et réessayez."
)


class EnrolForm(BaseModel):
    code: str = Field(default="", max_length=100)
    credential: str = Field(default="", max_length=security_keys.MAX_CREDENTIAL_CHARS)
    name: str = Field(default="", max_length=200)


def _owner(actor: Actor) -> str:
    return f"session:{actor.session_id}"


class SecondFactorPages(Controller):
    path = PAGE
    include_in_schema = False
    guards = [require_actor_guard]

    def _context(self, request: Request, settings, access, registry) -> dict:
        actor = access.require_login()
        db, now = access.db, utcnow()
        user = service.get_user(db, actor.user_id)
        client = addresses.resolve(request.scope, settings)
        rp = security_keys.relying_party(request.headers.get("host"), client.https)
        return {
            **HELPERS,
            "mode": "compte",
            "user": user,
            "status": second_factor.status(db, actor.user_id),
            "reasons": second_factor.required_reasons(db, registry, user, client.address),
            "demo": second_factor.is_demo(db),
            "enrolment": second_factor.pending_app(db, user, _owner(actor), now),
            "key_options": (
                security_keys.registration_options(db, user, rp, _owner(actor), now) if rp else None
            ),
            "actions": {"app": f"{PAGE}/application", "key": f"{PAGE}/cle"},
        }

    def _page(self, request, settings, access, registry, error=None, status=200, done=None):
        context = self._context(request, settings, access, registry)
        context.update(erreur=error, fait=done)
        return Template("accounts/second_factor.html", context=context, status_code=status)

    def _codes_page(self, codes: list[str], first: bool) -> Template:
        return Template(
            "accounts/recovery_codes.html",
            context={**HELPERS, "codes": codes, "first": first, "suivant": PAGE},
        )

    def _enrolled(self, access, method: str, replaced: bool) -> list[str] | None:
        """Audit the new factor; the first one comes with recovery codes."""
        actor = access.actor
        before = second_factor.status(access.db, actor.user_id)
        codes = None
        if before.recovery_unused + before.recovery_used == 0:
            codes = second_factor.new_recovery_codes(access.db, actor.user_id, utcnow())
        access.audit(
            "accounts.second_factor.enrolled",
            target=f"user:{actor.user_id}",
            details={"methode": method, "remplace": replaced, "codes_de_secours": len(codes or [])},
        )
        return codes

    @get("/", name="second-factor")
    async def page(
        self, request: Request, access: Access, settings: AppSettings, registry: Permissions
    ) -> Template:
        return self._page(request, settings, access, registry)

    @post("/application", status_code=200)
    async def enrol_app(
        self,
        request: Request,
        access: Access,
        settings: AppSettings,
        registry: Permissions,
        data: URLEncodedBody[EnrolForm],
    ) -> Response:
        actor = access.require_login()
        replaced = second_factor.status(access.db, actor.user_id).app
        if not second_factor.confirm_app(
            access.db, actor.user_id, _owner(actor), data.code, utcnow()
        ):
            return self._page(request, settings, access, registry, WRONG_CODE, 400)
        codes = self._enrolled(access, "application", replaced)
        if codes:
            return self._codes_page(codes, first=True)
        done = (
            "Votre nouvelle application est enregistrée : l'ancienne ne donne plus de code valable."
        )
        return self._page(request, settings, access, registry, done=done if replaced else None)

    @post("/cle", status_code=200)
    async def enrol_key(
        self,
        request: Request,
        access: Access,
        settings: AppSettings,
        registry: Permissions,
        data: URLEncodedBody[EnrolForm],
    ) -> Response:
        actor = access.require_login()
        user = service.get_user(access.db, actor.user_id)
        client = addresses.resolve(request.scope, settings)
        rp = security_keys.relying_party(request.headers.get("host"), client.https)
        try:
            if rp is None:
                raise InvalidInput(security_keys.NOT_REGISTERED)
            security_keys.register(
                access.db, user, rp, _owner(actor), data.credential, data.name, utcnow()
            )
        except InvalidInput as exc:
            return self._page(request, settings, access, registry, exc.message, 400)
        codes = self._enrolled(access, "cle", False)
        if codes:
            return self._codes_page(codes, first=True)
        return self._page(request, settings, access, registry, done="Clé de sécurité ajoutée.")

    @post("/cle/{key_id:int}/retirer", status_code=303)
    async def remove_key(
        self,
        request: Request,
        access: Access,
        settings: AppSettings,
        registry: Permissions,
        key_id: FromPath[int],
    ) -> Response:
        actor = access.require_login()
        db = access.db
        state = second_factor.status(db, actor.user_id)
        if key_id not in {k["id"] for k in state.keys}:
            raise NotFound("Cette clé n'est pas enregistrée sur votre compte.")
        user = service.get_user(db, actor.user_id)
        address = addresses.resolve(request.scope, settings).address
        needed = second_factor.need(db, registry, user, address)
        if needed.required and not state.app and len(state.keys) == 1:
            raise Conflict(
                "C'est votre seul second facteur, et votre compte doit en avoir un : ajoutez "
                "d'abord une application d'authentification ou une autre clé."
            )
        second_factor.remove_key(db, actor.user_id, key_id)
        access.audit(
            "accounts.second_factor.removed",
            target=f"user:{actor.user_id}",
            details={"methode": "cle"},
        )
        return Redirect(PAGE, status_code=303)

    @post("/codes-de-secours", status_code=200)
    async def new_codes(self, access: Access) -> Template:
        actor = access.require_login()
        if not second_factor.status(access.db, actor.user_id).enrolled:
            raise Conflict(
                "Enregistrez d'abord une application ou une clé : les codes de secours la "
                "remplacent quand vous ne l'avez plus sous la main."
            )
        codes = second_factor.new_recovery_codes(access.db, actor.user_id, utcnow())
        access.audit(
            "accounts.second_factor.recovery_codes",
            target=f"user:{actor.user_id}",
            details={"codes_de_secours": len(codes)},
        )
        return self._codes_page(codes, first=False)

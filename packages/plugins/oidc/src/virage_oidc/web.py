"""The plugin's pages.

- ``GET /connexion/oidc``: starts the log-in (the button of the log-in page): remembers state,
  nonce and PKCE verifier for this browser, sends it to the provider.
- ``GET /connexion/oidc/retour``: the provider's answer; checks everything (see
  :mod:`virage_oidc.client`), finds the linked account and hands over to the core
  (:func:`virage.sdk.login.finish`), or shows the log-in page with the reason.
- ``/administration/sso``: the links, for the network administration and directors.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import Annotated, Any

import anyio.to_thread
from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Response, Template
from pydantic import BaseModel, Field

from virage.sdk import (
    Access,
    AppSettings,
    Database,
    InvalidInput,
    VirageError,
    audit,
    login,
    require_actor_guard,
    transaction,
    utcnow,
)
from virage_oidc import client, config, pages, service, storage

log = logging.getLogger(__name__)

COOKIE = "virage_oidc"
COOKIE_PATH = "/connexion/oidc"
LIFETIME = timedelta(minutes=10)
CALLBACK = "/connexion/oidc/retour"

FAILED = (
    "La connexion avec {name} n'a pas abouti. Réessayez, ou connectez-vous avec votre identifiant "
    "et votre mot de passe."
)
CANCELLED = "Connexion avec {name} annulée. Vous pouvez réessayer, ou utiliser votre mot de passe."
EXPIRED = (
    "Cette connexion avec {name} a expiré ou a déjà servi : recommencez depuis la page de "
    "connexion."
)
NOT_LINKED = (
    "Votre identité {name} n'est reliée à aucun compte Virage. Demandez à la direction de votre "
    "structure ou à l'administration du réseau de la relier à votre compte : vous pourrez ensuite "
    "vous connecter ainsi. En attendant, utilisez votre identifiant et votre mot de passe si vous "
    "en avez un."
)
NOT_SET_UP = (
    "La connexion unique n'est pas configurée sur ce service : utilisez votre mot de passe."
)


def provider_name(cfg: config.OidcConfig) -> str:
    return "Pro Santé Connect" if cfg.is_psc else "le fournisseur d'identité"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _redirect_uri(request: Request, cfg: config.OidcConfig) -> str:
    return cfg.redirect_uri or str(request.base_url).rstrip("/") + CALLBACK


def _https(request: Request, cfg: config.OidcConfig) -> bool:
    return (cfg.redirect_uri or str(request.base_url)).startswith("https://")


def _denied(db: Database, reason: str, details: dict[str, Any] | None = None) -> None:
    audit.record(
        db,
        None,
        "oidc.login",
        outcome="denied",
        route="GET " + CALLBACK,
        actor_label="connexion unique",
        details={"raison": reason, **(details or {})},
    )


class OidcLogin(Controller):
    path = "/connexion/oidc"
    include_in_schema = False

    @get("/", name="oidc-start")
    async def start(
        self,
        request: Request,
        access: Access,
        suivant: Annotated[str | None, QueryParameter(max_length=2000)] = None,
    ) -> Response:
        db = access.db
        cfg = config.load()
        if cfg is None:
            return login.refuse(request, NOT_SET_UP, suivant, status=404)
        redirect_uri = _redirect_uri(request, cfg)
        try:
            url, pending = await anyio.to_thread.run_sync(client.start, cfg, redirect_uri)
        except (client.OidcFailed, OSError, ValueError) as exc:
            log.warning("OpenID Connect : découverte impossible (%s)", exc)
            _denied(db, f"découverte : {exc}")
            return login.refuse(request, FAILED.format(name=provider_name(cfg)), suivant, 502)
        token = secrets.token_urlsafe(32)
        expires = (utcnow() + LIFETIME).replace(microsecond=0).isoformat()
        with transaction(db):
            storage.save_pending(
                db, _digest(token), pending.state, pending.nonce, pending.verifier,
                login.safe_next(suivant), expires,
            )  # fmt: skip
        response = Redirect(url, status_code=303)
        response.set_cookie(
            COOKIE,
            token,
            max_age=int(LIFETIME.total_seconds()),
            path=COOKIE_PATH,
            httponly=True,
            secure=_https(request, cfg),
            samesite="lax",  # it must come back with the provider's redirection (a GET)
        )
        return response

    @get("/retour", name="oidc-callback")
    async def callback(
        self,
        request: Request,
        access: Access,
        settings: AppSettings,
        code: Annotated[str | None, QueryParameter(max_length=2000)] = None,
        returned_state: Annotated[str | None, QueryParameter(query="state", max_length=500)] = None,
        error: Annotated[str | None, QueryParameter(max_length=200)] = None,
    ) -> Response:
        db = access.db
        cfg = config.load()
        if cfg is None:
            return login.refuse(request, NOT_SET_UP, None, status=404)
        name = provider_name(cfg)
        token = request.cookies.get(COOKIE) or ""
        row = storage.take_pending(db, _digest(token)) if 0 < len(token) <= 100 else None
        now = utcnow().replace(microsecond=0).isoformat()
        if row is None or row["expires_at"] < now or not client.same(row["state"], returned_state):
            _denied(db, "state absent, expiré ou différent")
            return _clear(login.refuse(request, EXPIRED.format(name=name), None, 400))
        nxt = row["next"]
        if error or not code:
            _denied(db, f"réponse du fournisseur : {error or 'pas de code'}")
            return _clear(login.refuse(request, CANCELLED.format(name=name), nxt, 401))
        pending = client.Pending(row["state"], row["nonce"], row["verifier"])
        try:
            identity = await anyio.to_thread.run_sync(
                client.complete, cfg, _redirect_uri(request, cfg), pending, code
            )
        except (client.OidcFailed, OSError, ValueError) as exc:
            log.warning("OpenID Connect : réponse refusée (%s)", exc)
            _denied(db, str(exc)[:300])
            return _clear(login.refuse(request, FAILED.format(name=name), nxt, 401))
        user = service.account_for(db, cfg, identity.identifier)
        if user is None:
            _denied(db, "identité reliée à aucun compte", {"identifiant": identity.identifier})
            return _clear(login.refuse(request, NOT_LINKED.format(name=name), nxt, 403))
        strong = identity.acr is not None and identity.acr in cfg.strong_acr
        response = login.finish(
            request, db, settings, access.registry, user,
            method="oidc", strong=strong, next_path=nxt, route="GET " + CALLBACK,
            details={"fournisseur": cfg.issuer, "acr": identity.acr, "identifiant": identity.identifier},
        )  # fmt: skip
        return _clear(response)


def _clear(response: Response) -> Response:
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response


class LinkForm(BaseModel):
    compte: int = Field(ge=1, le=2**62)
    identifiant: str = Field(default="", max_length=300)


class OidcAdmin(Controller):
    path = "/administration/sso"
    guards = [require_actor_guard]
    include_in_schema = False

    @get("/", name="oidc-admin")
    async def page(self, access: Access) -> Template:
        return pages.admin_page(access, config.load())

    @post("/lier", status_code=303)
    async def link(self, access: Access, data: URLEncodedBody[LinkForm]) -> Response:
        cfg = config.load()
        if cfg is None:
            raise InvalidInput(NOT_SET_UP)
        try:
            service.link(access, cfg, data.compte, data.identifiant)
        except (InvalidInput, VirageError) as exc:
            if exc.status_code >= 403 and exc.status_code != 409:
                raise
            return pages.admin_page(access, cfg, error=exc.message, status=exc.status_code)
        return Redirect("/administration/sso?fait=lie", status_code=303)

    @post("/{link_id:int}/delier", status_code=303)
    async def unlink(self, access: Access, link_id: FromPath[int]) -> Response:
        cfg = config.load()
        if cfg is None:
            raise InvalidInput(NOT_SET_UP)
        service.unlink(access, cfg, link_id)
        return Redirect("/administration/sso?fait=delie", status_code=303)

"""Authentication middleware: who is calling.

- Web pages: a server-side session, referenced by the ``virage_session`` cookie (HttpOnly,
  SameSite=Lax). Forms are protected by Litestar's CSRF middleware.
- API (``/api/…``): only ``Authorization: Bearer <token>``; cookies are ignored there, so the API
  needs no CSRF protection and a browser session can never be used against it.

The middleware puts the :class:`virage.access.Actor` (or ``None``) in ``scope["user"]`` and
details in ``scope["auth"]``; it refuses nothing by itself: handlers decide through
``AccessContext``. One exception: a signed-in worker who has not yet acknowledged the first-use
notice (:mod:`virage.accounts.notice`) is sent to it from any page but a few (her own records,
her second factor, log-out).
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from virage import db_scope
from virage.accounts import addresses, notice, service
from virage.errors import NotAuthenticated

SESSION_COOKIE = "virage_session"


class SessionExpired(NotAuthenticated):
    login_reason = "expiree"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    for part in raw.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


class AuthMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        # Row-level security (PostgreSQL): nobody's structures until the actor is known, then
        # exactly hers — a network administrator's too: no request acts as the system.
        acting = db_scope.acting_for(None)
        try:
            await self._handle(scope, receive, send, next_app)
        finally:
            db_scope.reset(acting)

    async def _handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        pool = scope["app"].state.pool
        db = pool.get()
        actor, auth = None, {"expired": False, "invalid_token": False}
        path = scope.get("path", "")
        if path.startswith("/api/"):
            header = _header(scope, b"authorization")
            if header:
                scheme, _, secret = header.partition(" ")
                if scheme.lower() == "bearer" and secret.strip():
                    actor = service.actor_from_token(db, secret.strip())
                auth["invalid_token"] = actor is None
        else:
            token = _cookie(scope, SESSION_COOKIE)
            if token:
                actor, auth["expired"] = service.actor_from_session(db, token)
            if (
                actor is not None
                and not notice.open_while_due(path)
                and notice.due(db, actor.user_id)
            ):
                query = scope.get("query_string", b"").decode("latin-1")
                await _redirect(send, notice.redirect_target(path, query))
                return
        scope["user"] = actor
        scope["auth"] = auth
        if actor is not None:
            db_scope.acting_for(actor.structure_ids, actor.user_id)
        if addresses.resolve(scope, scope["app"].state.settings).https:
            send = _secure_cookies(send)
        await next_app(scope, receive, send)


def _secure_cookies(send: Send) -> Send:
    """Over TLS (directly, or through a trusted proxy that terminates it), every cookie the
    answer sets is ``Secure``: the CSRF cookie of the framework too, not only the session."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [
                (name, value + b"; Secure")
                if name.lower() == b"set-cookie" and not _has_secure(value)
                else (name, value)
                for name, value in message.get("headers", ())
            ]
        await send(message)

    return wrapped


def _has_secure(cookie: bytes) -> bool:
    return any(part.strip().lower() == b"secure" for part in cookie.split(b";")[1:])


async def _redirect(send: Send, location: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", location.encode("latin-1")),
                (b"cache-control", b"no-store"),
                (b"content-length", b"0"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})


def require_actor_guard(connection, _handler) -> None:
    """Litestar guard: the route needs a signed-in user (or a valid token on the API)."""
    if connection.scope.get("user") is None:
        auth = connection.scope.get("auth") or {}
        if connection.url.path.startswith("/api/"):
            if auth.get("invalid_token"):
                raise NotAuthenticated("Jeton d'API invalide ou révoqué.")
            raise NotAuthenticated(
                "Jeton d'API nécessaire : en-tête « Authorization: Bearer <jeton> »."
            )
        if auth.get("expired"):
            raise SessionExpired("Votre session a expiré : reconnectez-vous.")
        raise NotAuthenticated("Connectez-vous pour accéder à cette page.")

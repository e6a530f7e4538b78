"""Finishing a log-in that another service authenticated (an OpenID Connect provider…).

The plugin that spoke with the provider has found the account; from here the log-in is the same
as after a right password (:mod:`virage.accounts.login_web`): a deactivated account is refused;
the structure's second-factor rule applies unless the provider's authentication is itself a
strong one (``strong``: the plugin decides it from what the provider asserts, and says so in its
documentation); then the session opens, the first-use notice comes first when it is due, and
the log-in is recorded with its method.
"""

from __future__ import annotations

from typing import Any

from litestar.response import Redirect, Response, Template

from virage.access import Registry
from virage.accounts import addresses, login_steps, notice, second_factor, service, throttle
from virage.accounts.login_options import collect
from virage.accounts.login_web import SECOND_STEP, safe_next
from virage.accounts.session_cookies import _cookie, with_session
from virage.audit.service import record
from virage.db import Database, utcnow
from virage.settings import Settings

#: Why a deactivated account cannot log in, whatever the way.
INACTIVE = (
    "Ce compte est désactivé : il ne permet plus de se connecter. Si vous travaillez toujours "
    "dans la structure, demandez à sa direction ou à l'administration du réseau de le rouvrir."
)


def refuse(request: Any, message: str, next_path: str | None = None, status: int = 403) -> Template:
    """The log-in page again, with ``message`` (French, a sentence the person can act on)."""
    response = Template(
        "accounts/login.html",
        context={
            "suivant": safe_next(next_path),
            "erreur": message,
            "login_options": collect(request),
        },
        status_code=status,
    )
    response.delete_cookie(login_steps.STEP_COOKIE, path=login_steps.STEP_COOKIE_PATH)
    return response


def finish(
    request: Any,
    db: Database,
    settings: Settings,
    registry: Registry,
    user: dict,
    *,
    method: str,
    strong: bool,
    next_path: str | None,
    route: str,
    details: dict[str, Any] | None = None,
) -> Response:
    """Open the session of ``user``, authenticated by ``method`` (``"oidc"``…), or send her to
    the second-factor step, or refuse a deactivated account (recorded)."""
    target_user = f"user:{user['id']}"
    details = {"methode": method, **(details or {})}
    if not user.get("active"):
        record(
            db,
            None,
            "accounts.login",
            outcome="denied",
            route=route,
            actor_label=f"tentative sur le compte {user['username']}",
            target=target_user,
            details={**details, "raison": "compte désactivé"},
        )
        return refuse(request, INACTIVE, next_path)
    client = addresses.resolve(request.scope, settings)
    next_path = safe_next(next_path)
    if not strong and second_factor.need(db, registry, user, client.address).second_step:
        record(
            db,
            service.actor_for_user(db, user, via="session"),
            "accounts.login.external",
            route=route,
            target=target_user,
            details=details,
        )
        token = login_steps.start(db, user, next_path, utcnow())
        # Lax, not Strict as after a password: the browser arrives here from the provider's site,
        # and a Strict cookie set now would not go with the redirection that follows.
        response = Redirect(SECOND_STEP, status_code=303)
        response.set_cookie(
            login_steps.STEP_COOKIE,
            token,
            max_age=int(login_steps.LIFETIME.total_seconds()),
            **_cookie(client.https, login_steps.STEP_COOKIE_PATH),
        )
        return response
    device = throttle.valid_device(request.cookies.get(throttle.DEVICE_COOKIE))
    result = service.open_session(
        db, user, device=device or throttle.new_device(), route=route, details=details
    )
    target = notice.after_login(db, user["id"], next_path)
    return with_session(Redirect(target, status_code=303), result, client.https, db, request)

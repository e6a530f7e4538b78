"""The cookies of a session just opened (password, second factor, another service's log-in)."""

from __future__ import annotations

from litestar import Request
from litestar.response import Response

from virage.accounts import login_steps, self_service, service, throttle
from virage.accounts.auth import SESSION_COOKIE
from virage.db import Database


def _cookie(https: bool, path: str = "/") -> dict:
    return {"httponly": True, "samesite": "lax", "secure": https, "path": path}


def with_session(
    response: Response,
    result: service.LoginResult,
    https: bool,
    db: Database | None = None,
    request: Request | None = None,
) -> Response:
    """Set the session and device cookies; forget the log-in step; keep the session's browser
    hint (« Chrome sur Android », never the User-Agent itself) when ``db`` and ``request`` given."""
    if db is not None and request is not None:
        self_service.remember_browser(
            db, result.actor.session_id, request.headers.get("user-agent")
        )
    max_age = int(service.SESSION_LIFETIME.total_seconds())
    response.set_cookie(SESSION_COOKIE, result.session_token, max_age=max_age, **_cookie(https))
    response.set_cookie(
        throttle.DEVICE_COOKIE,
        result.device,
        max_age=throttle.DEVICE_COOKIE_MAX_AGE,
        **_cookie(https),
    )
    response.delete_cookie(login_steps.STEP_COOKIE, path=login_steps.STEP_COOKIE_PATH)
    return response

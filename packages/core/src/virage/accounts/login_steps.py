"""The half-logged-in state between a right password and the second factor.

After the password of an account that must give a second factor (see
:mod:`virage.accounts.second_factor`), no session opens. The browser gets a **log-in step**
instead: a random token in the ``virage_etape`` cookie (HttpOnly, SameSite=Strict, sent only to
``/connexion``), stored as a digest, valid ``LIFETIME``. It opens nothing but the second-factor
pages of the log-in: every other page still sees an anonymous visitor.

Each code, recovery code or key answer is an attempt of the log-in throttle
(:mod:`virage.accounts.throttle`): counted before it is checked, refused while the account's pair
(account, browser or address) waits, and counted as a failure when wrong. A step dies after
``MAX_FAILURES`` wrong answers (the password must be given again, and those failures still
count). Only a right second factor clears the pair's failures and makes the browser and the
address known for the account.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from virage.accounts import second_factor_storage as store
from virage.accounts import service, storage, throttle
from virage.audit.service import record
from virage.db import Database

STEP_COOKIE = "virage_etape"
STEP_COOKIE_PATH = "/connexion"
LIFETIME = timedelta(minutes=10)
MAX_FAILURES = 5
MAX_TOKEN = 100


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Step:
    digest: str
    user: dict
    next: str
    failures: int

    @property
    def owner(self) -> str:
        """Who a pending app secret or WebAuthn challenge belongs to."""
        return "etape:" + self.digest


def start(db: Database, user: dict, next_path: str, now: datetime) -> str:
    """Open a log-in step for ``user``; return the token for the step cookie."""
    token = secrets.token_urlsafe(32)
    store.delete_expired(db, _iso(now))
    store.create_step(
        db, service.hash_secret(token), user["id"], next_path, _iso(now), _iso(now + LIFETIME)
    )
    return token


def load(db: Database, token: str | None, now: datetime) -> Step | None:
    """The step of this browser's cookie, if it is still valid."""
    if not token or len(token) > MAX_TOKEN:
        return None
    row = store.get_step(db, service.hash_secret(token))
    if row is None:
        return None
    user = storage.get_user(db, row["user_id"])
    if row["expires_at"] < _iso(now) or not user or not user["active"]:
        store.delete_step(db, row["id"])
        return None
    return Step(row["id"], user, row["next"], row["failures"])


def begin_attempt(
    db: Database, step: Step, address: str, device: str | None, now: datetime
) -> throttle.Attempt:
    """Count an answer to the second step, or refuse it (``LoginThrottled``) before checking it."""
    account = throttle.account_key(step.user["username"])
    return throttle.begin(db, account, step.user, address, device, now)


def _actor(db: Database, user: dict):
    return service.actor_for_user(db, user, via="session")


def failed(
    db: Database,
    step: Step,
    attempt: throttle.Attempt | None,
    method: str,
    *,
    route: str,
    now: datetime,
    counted: bool = True,
) -> bool:
    """A wrong answer: it stays counted by the throttle (unless ``counted`` is false: a typing
    mistake while enrolling), and the step dies after ``MAX_FAILURES``. Returns whether the step
    can still be used."""
    if attempt is not None:
        if counted:
            throttle.failed(db, attempt, now)
        else:
            throttle.cancel(db, attempt)
    if counted:
        record(
            db,
            _actor(db, step.user),
            "accounts.second_factor.failed",
            outcome="denied",
            route=route,
            target=f"user:{step.user['id']}",
            details={"methode": method},
        )
    if store.step_failed(db, step.digest) >= MAX_FAILURES:
        store.delete_step(db, step.digest)
        return False
    return True


def succeeded(
    db: Database,
    step: Step,
    attempt: throttle.Attempt,
    *,
    event: str,
    details: dict,
    route: str,
    now: datetime,
) -> service.LoginResult:
    """The second factor is given (or enrolled): record ``event``, clear the pair's failures,
    remember the browser and the address, and open the session."""
    device = throttle.succeeded(db, attempt, now)
    store.delete_step(db, step.digest)
    record(
        db,
        _actor(db, step.user),
        event,
        route=route,
        target=f"user:{step.user['id']}",
        details=details,
    )
    return service.open_session(
        db, step.user, device=device, route=route, details={"second_facteur": details["methode"]}
    )


def cancel(db: Database, token: str | None) -> None:
    """Forget this browser's step (log-out, « recommencer »)."""
    if token and len(token) <= MAX_TOKEN:
        store.delete_step(db, service.hash_secret(token))

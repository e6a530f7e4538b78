"""Accounts: passwords, log-in (throttled: see ``virage.accounts.throttle``), server-side sessions,
API tokens."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import anyio
import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from virage.access import ROLES, Actor
from virage.accounts import storage, throttle
from virage.accounts.display import jour
from virage.accounts.lifecycle_storage import NO_PASSWORD
from virage.audit.service import record
from virage.db import Database, utcnow, utcnow_iso
from virage.errors import Conflict, InvalidInput, NotAuthenticated, NotFound

SESSION_LIFETIME = timedelta(hours=10)  # one shift; then log in again
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "vrg_"

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-real-password-only-for-timing")


def hash_secret(value: str) -> str:
    """Sessions and tokens are stored as SHA-256 digests: a stolen database reveals none."""
    return hashlib.sha256(value.encode()).hexdigest()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères."
        )
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# --------------------------------------------------------------------------- users


def create_user(
    db: Database,
    *,
    username: str,
    display_name: str,
    password: str | None,
    structure_id: int | None = None,
    role: str | None = None,
    is_network_admin: bool = False,
    profession: str | None = None,
    email: str | None = None,
    rpps: str | None = None,
) -> int:
    """Create an account; ``password=None``: invited, no password until she chooses hers (see
    :mod:`virage.accounts.lifecycle`)."""
    username = username.strip()
    if not username or any(c.isspace() for c in username):
        raise InvalidInput("L'identifiant ne peut pas être vide ni contenir d'espace.")
    if storage.get_user_by_username(db, username):
        raise Conflict(f"L'identifiant « {username} » est déjà pris.")
    if role is not None and role not in ROLES:
        raise InvalidInput(f"Rôle inconnu « {role} ». Rôles possibles : {', '.join(ROLES)}.")
    if (structure_id is None) != (role is None):
        raise InvalidInput("Indiquez à la fois la structure et le rôle, ou aucun des deux.")
    if structure_id is not None and not storage.get_structure(db, structure_id):
        raise NotFound(f"La structure {structure_id} n'existe pas.")
    user_id = storage.create_user(
        db,
        username=username,
        display_name=display_name.strip() or username,
        password_hash=NO_PASSWORD if password is None else hash_password(password),
        email=email,
        profession=profession,
        rpps=rpps,
        is_network_admin=is_network_admin,
    )
    if structure_id is not None:
        storage.add_membership(db, user_id, structure_id, role)
    return user_id


def reset_password(db: Database, user_id: int, password: str) -> None:
    """Set a new password, close the account's sessions, lift every log-in wait on the account and
    forget the browsers and addresses it was known from (they may have been an intruder's)."""
    new_hash = hash_password(password)
    user = storage.get_user(db, user_id)
    storage.set_password_hash(db, user_id, new_hash)
    storage.delete_sessions_of(db, user_id)
    throttle.reset_account(db, user)


def actor_for_user(db: Database, user: dict, **kwargs) -> Actor:
    return Actor(
        user_id=user["id"],
        username=user["username"],
        display_name=user["display_name"],
        memberships=storage.memberships_of(db, user["id"]),
        is_network_admin=bool(user["is_network_admin"]),
        **kwargs,
    )


# --------------------------------------------------------------------------- reading
# For the domain's pages, once they have checked access; other domains use ``lookups``.


def get_structure(db: Database, structure_id: int) -> dict | None:
    return storage.get_structure(db, structure_id)


def list_structures(db: Database, ids: list[int] | None = None) -> list[dict]:
    return storage.list_structures(db, ids)


def get_user(db: Database, user_id: int) -> dict | None:
    return storage.get_user(db, user_id)


def active_users_by_rpps(db: Database) -> dict[str, int]:
    """``{rpps: user id}`` of the active accounts carrying an RPPS number (the oldest if several):
    the directory links its professionals to them after an import."""
    return storage.active_users_by_rpps(db)


def members_of(db: Database, structure_id: int, *, with_inactive: bool = False) -> list[dict]:
    """The structure's members; deactivated accounts too with ``with_inactive`` (``active`` says)."""
    return storage.members_of(db, structure_id, with_inactive=with_inactive)


def get_token(db: Database, token_id: int) -> dict | None:
    return storage.get_token(db, token_id)


def tokens_of_structure(db: Database, structure_id: int) -> list[dict]:
    return storage.tokens_of_structure(db, structure_id)


# --------------------------------------------------------------------------- log-in


# Verifying an argon2 password takes most of a core and 64 MiB for a fraction of a second: each
# process runs at most this many at once, off the event loop, and refuses log-ins beyond a short
# queue. Browsers and addresses already known for the account have their own slot, so a flood of
# guesses from elsewhere cannot keep a colleague waiting.
VERIFY_SLOTS = {False: 2, True: 1}
VERIFY_QUEUE = 16
BUSY = (
    "Le service reçoit beaucoup de tentatives de connexion en ce moment : réessayez dans "
    "quelques secondes."
)
_limiters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class LoginResult:
    session_token: str
    """To put in the session cookie (stored only as a digest)."""
    actor: Actor
    device: str
    """The browser's device cookie, to (re)set: the browser is now known for this account."""


@dataclass(frozen=True)
class SecondStepNeeded:
    """The password was right; the account must now give its second factor (or enrol one) before
    any session opens (see :mod:`virage.accounts.login_steps`)."""

    user: dict


#: Decides, once the password is right, whether the account must go through a second step.
SecondStep = Callable[[dict], bool]


def begin_login(
    db: Database,
    username: str,
    *,
    client: str,
    device: str | None = None,
    now: datetime | None = None,
) -> throttle.Attempt:
    """Count the attempt or refuse it (``LoginThrottled``) before any password is checked."""
    account = throttle.account_key(username)
    user = storage.get_user_by_username(db, (username or "").strip()) if account else None
    return throttle.begin(db, account, user, client, device, now or utcnow())


def password_hash_of(attempt: throttle.Attempt) -> str:
    """The hash to verify against: an unknown identifier, or an invited account without a password
    yet, costs the same as a known one (and ``finish_login`` refuses the latter whatever typed)."""
    if attempt.user and attempt.user["password_hash"] != NO_PASSWORD:
        return attempt.user["password_hash"]
    return _DUMMY_HASH


def deactivated_sentence(user: dict) -> str:
    """What a deactivated account's person reads (after giving the right password only)."""
    day = jour(user.get("deactivated_at"))
    when = f" le {day}" if day else ""
    return f"Ce compte a été désactivé{when} ; adressez-vous à la direction de votre structure."


def open_session(
    db: Database,
    user: dict,
    *,
    device: str,
    route: str = "",
    details: dict | None = None,
) -> LoginResult:
    """Open a session for ``user`` (every factor checked) and record the log-in."""
    token = secrets.token_urlsafe(32)
    storage.delete_expired_sessions(db, utcnow_iso())
    storage.create_session(db, hash_secret(token), user["id"], utcnow() + SESSION_LIFETIME)
    actor = actor_for_user(db, user, via="session", session_id=hash_secret(token))
    record(db, actor, "accounts.login", route=route, target=f"user:{user['id']}", details=details)
    return LoginResult(token, actor, device)


def finish_login(
    db: Database,
    attempt: throttle.Attempt,
    password_ok: bool,
    *,
    second_step: SecondStep,
    route: str = "",
    now: datetime | None = None,
) -> LoginResult | SecondStepNeeded:
    """Open a session, ask for the second step, or raise ``NotAuthenticated`` (the same message
    whatever went wrong).

    When ``second_step(user)`` says so, the right password opens no session: the attempt is not
    counted as a failure, but the browser and the address do not become known for the account
    and its earlier failures stay counted (only the second factor can clear them).
    """
    now = now or utcnow()
    user = attempt.user
    if user and user["password_hash"] == NO_PASSWORD:
        password_ok = False  # invited: no password chosen yet (the dummy one must never match)
    if not (user and password_ok and user["active"]):
        throttle.failed(db, attempt, now)
        if user:
            record(
                db,
                None,
                "accounts.login",
                outcome="denied",
                route=route,
                actor_label=f"tentative sur le compte {user['username']}",
                target=f"user:{user['id']}",
                details={"raison": "compte désactivé"} if password_ok else None,
            )
        if user and password_ok:
            # Only someone who knows the password learns that the account was deactivated.
            raise NotAuthenticated(deactivated_sentence(user))
        raise NotAuthenticated("Identifiant ou mot de passe incorrect.")
    if second_step(user):
        throttle.cancel(db, attempt)
        record(
            db,
            actor_for_user(db, user, via="session"),
            "accounts.login.password",
            route=route,
            target=f"user:{user['id']}",
        )
        return SecondStepNeeded(user)
    device = throttle.succeeded(db, attempt, now)
    return open_session(db, user, device=device, route=route)


def login(
    db: Database,
    username: str,
    password: str,
    *,
    second_step: SecondStep,
    client: str = "",
    device: str | None = None,
    route: str = "",
) -> LoginResult | SecondStepNeeded:
    """Check the credentials in this thread (command line, tests); the web uses :func:`alogin`."""
    attempt = begin_login(db, username, client=client, device=device)
    ok = verify_password(password_hash_of(attempt), password or "")
    return finish_login(db, attempt, ok, second_step=second_step, route=route)


def _limiter(trusted: bool) -> anyio.CapacityLimiter:
    loop = asyncio.get_running_loop()
    pair = _limiters.get(loop)
    if pair is None:
        pair = _limiters[loop] = {k: anyio.CapacityLimiter(n) for k, n in VERIFY_SLOTS.items()}
    return pair[trusted]


async def alogin(
    db: Database,
    username: str,
    password: str,
    *,
    second_step: SecondStep,
    client: str,
    device: str | None = None,
    route: str = "",
) -> LoginResult | SecondStepNeeded:
    """:func:`login` for the web: the argon2 verification runs in a worker thread, bounded."""
    attempt = begin_login(db, username, client=client, device=device)
    limiter = _limiter(attempt.trusted)
    if limiter.statistics().tasks_waiting >= VERIFY_QUEUE:
        throttle.cancel(db, attempt)
        raise throttle.LoginThrottled(BUSY, 5)
    ok = await anyio.to_thread.run_sync(
        verify_password, password_hash_of(attempt), password or "", limiter=limiter
    )
    return finish_login(db, attempt, ok, second_step=second_step, route=route)


def logout(db: Database, session_token: str) -> None:
    storage.delete_session(db, hash_secret(session_token))


def actor_from_session(db: Database, session_token: str) -> tuple[Actor | None, bool]:
    """Return (actor, expired)."""
    session = storage.get_session(db, hash_secret(session_token))
    if session is None:
        return None, False
    if session["expires_at"] <= utcnow().isoformat():
        storage.delete_session(db, session["id"])
        return None, True
    user = storage.get_user(db, session["user_id"])
    if not user or not user["active"]:
        return None, True
    return actor_for_user(db, user, via="session", session_id=session["id"]), False


# --------------------------------------------------------------------------- API tokens


def create_token(db: Database, user_id: int, structure_id: int, name: str) -> tuple[int, str]:
    """Create a bearer token acting for ``user_id`` in ``structure_id``; the secret is shown once."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Donnez un nom au jeton (par exemple le logiciel qui l'utilise).")
    memberships = storage.memberships_of(db, user_id)
    if structure_id not in memberships:
        raise InvalidInput("Ce compte n'appartient pas à cette structure : jeton impossible.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = storage.create_token(db, hash_secret(secret), name, user_id, structure_id)
    return token_id, secret


def actor_from_token(db: Database, secret: str) -> Actor | None:
    token = storage.get_token_by_hash(db, hash_secret(secret))
    if token is None or token["revoked_at"]:
        return None
    user = storage.get_user(db, token["user_id"])
    if not user or not user["active"]:
        return None
    return actor_for_user(db, user, via="token", token_structure_id=token["structure_id"])


def revoke_token(db: Database, token_id: int) -> None:
    if not storage.get_token(db, token_id):
        raise NotFound(f"Le jeton {token_id} n'existe pas.")
    if not storage.revoke_token(db, token_id):
        raise Conflict(f"Le jeton {token_id} est déjà révoqué.")

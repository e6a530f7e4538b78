"""Accounts: passwords, log-in with rate limiting, server-side sessions, API tokens."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque
from datetime import timedelta

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from virage.access import ROLES, Actor
from virage.accounts import storage
from virage.audit.service import record
from virage.db import utcnow, utcnow_iso
from virage.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, TooManyRequests

SESSION_LIFETIME = timedelta(hours=10)  # one shift; then log in again
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
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
    db: sqlite_utils.Database,
    *,
    username: str,
    display_name: str,
    password: str,
    structure_id: int | None = None,
    role: str | None = None,
    is_network_admin: bool = False,
    profession: str | None = None,
    email: str | None = None,
    rpps: str | None = None,
) -> int:
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
        password_hash=hash_password(password),
        email=email,
        profession=profession,
        rpps=rpps,
        is_network_admin=is_network_admin,
    )
    if structure_id is not None:
        storage.add_membership(db, user_id, structure_id, role)
    return user_id


def reset_password(db: sqlite_utils.Database, user_id: int, password: str) -> None:
    """Set a new password, close the account's sessions and lift the log-in suspension."""
    new_hash = hash_password(password)
    user = storage.get_user(db, user_id)
    storage.set_password_hash(db, user_id, new_hash)
    storage.delete_sessions_of(db, user_id)
    storage.clear_login_failures(db, user["username"])


def actor_for_user(db: sqlite_utils.Database, user: dict, **kwargs) -> Actor:
    return Actor(
        user_id=user["id"],
        username=user["username"],
        display_name=user["display_name"],
        memberships=storage.memberships_of(db, user["id"]),
        is_network_admin=bool(user["is_network_admin"]),
        **kwargs,
    )


# --------------------------------------------------------------------------- log-in


class _IpLimiter:
    """In-memory limit of failed log-ins per client address (never stored)."""

    def __init__(self, limit: int = 30, window: float = FAILURE_WINDOW.total_seconds()) -> None:
        self.limit, self.window = limit, window
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _trim(self, key: str, now: float) -> deque[float]:
        events = self._events[key]
        while events and events[0] <= now - self.window:
            events.popleft()
        return events

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._trim(key, time.monotonic())) >= self.limit

    def fail(self, key: str) -> None:
        with self._lock:
            self._trim(key, time.monotonic()).append(time.monotonic())


ip_limiter = _IpLimiter()

TOO_MANY = (
    "Trop de tentatives de connexion pour cet identifiant. Par sécurité, réessayez dans "
    "{minutes} minutes, ou demandez à l'administration du réseau de réinitialiser votre mot de passe."
)


def login(
    db: sqlite_utils.Database, username: str, password: str, *, client: str = "", route: str = ""
) -> tuple[str, Actor]:
    """Check the credentials; return a new session token (to put in a cookie) and the actor."""
    username = (username or "").strip()
    if ip_limiter.blocked(client):
        raise TooManyRequests(TOO_MANY.format(minutes=15))
    since = (utcnow() - FAILURE_WINDOW).replace(microsecond=0).isoformat()
    failures = storage.login_failures_since(db, username, since)
    if len(failures) >= MAX_FAILURES:
        raise TooManyRequests(TOO_MANY.format(minutes=15))
    user = storage.get_user_by_username(db, username) if username else None
    ok = verify_password(user["password_hash"] if user else _DUMMY_HASH, password or "")
    if not (user and ok and user["active"]):
        storage.record_login_failure(db, username)
        ip_limiter.fail(client)
        if user:
            record(
                db,
                None,
                "accounts.login",
                outcome="denied",
                route=route,
                actor_label=f"tentative sur le compte {user['username']}",
                target=f"user:{user['id']}",
            )
        raise NotAuthenticated("Identifiant ou mot de passe incorrect.")
    storage.clear_login_failures(db, username)
    token = secrets.token_urlsafe(32)
    storage.delete_expired_sessions(db, utcnow_iso())
    storage.create_session(db, hash_secret(token), user["id"], utcnow() + SESSION_LIFETIME)
    actor = actor_for_user(db, user, via="session", session_id=hash_secret(token))
    record(db, actor, "accounts.login", route=route, target=f"user:{user['id']}")
    return token, actor


def logout(db: sqlite_utils.Database, session_token: str) -> None:
    storage.delete_session(db, hash_secret(session_token))


def actor_from_session(db: sqlite_utils.Database, session_token: str) -> tuple[Actor | None, bool]:
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


def create_token(
    db: sqlite_utils.Database, user_id: int, structure_id: int, name: str
) -> tuple[int, str]:
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


def actor_from_token(db: sqlite_utils.Database, secret: str) -> Actor | None:
    token = storage.get_token_by_hash(db, hash_secret(secret))
    if token is None or token["revoked_at"]:
        return None
    user = storage.get_user(db, token["user_id"])
    if not user or not user["active"]:
        return None
    return actor_for_user(db, user, via="token", token_structure_id=token["structure_id"])


def revoke_token(db: sqlite_utils.Database, token_id: int) -> None:
    if not storage.get_token(db, token_id):
        raise NotFound(f"Le jeton {token_id} n'existe pas.")
    if not storage.revoke_token(db, token_id):
        raise Conflict(f"Le jeton {token_id} est déjà révoqué.")

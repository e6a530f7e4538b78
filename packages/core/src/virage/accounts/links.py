"""One-time links by which a person chooses her password: an invitation (a new account) or a
reset (a forgotten password).

The link carries a random secret (32 bytes); only its SHA-256 digest is stored, with the account,
the purpose, the expiry and when it was used. A link serves once; a new link for the same account
replaces the earlier ones; deactivating the account revokes them. Whatever is wrong with a link
(unknown, used, expired, replaced, account deactivated), the page says the same sentence: nothing
about the account leaks to whoever holds a stale or guessed link.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from virage.accounts import lifecycle_storage as store
from virage.accounts import service, storage, throttle
from virage.audit.service import record
from virage.db import Database, transaction, utcnow
from virage.errors import InvalidInput

INVITATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(days=3)
LIFETIMES = {"invitation": INVITATION_LIFETIME, "reset": RESET_LIFETIME}
PATHS = {"invitation": "/invitation/", "reset": "/mot-de-passe/"}
MAX_TOKEN = 100
MAX_PASSWORD = 500

INVALID = (
    "Ce lien n'est pas ou plus valable : il a peut-être déjà servi, expiré ou été remplacé par un "
    "lien plus récent. Demandez un nouveau lien à la direction de votre structure."
)


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def path(purpose: str, token: str) -> str:
    return PATHS[purpose] + token


def url(base: str, link_path: str) -> str:
    """The full link for ``base`` (``VIRAGE_PUBLIC_URL`` or the request's address)."""
    return base.rstrip("/") + link_path


def create(db: Database, user_id: int, purpose: str, created_by: int | None) -> tuple[str, str]:
    """A new link for the account (the earlier unused ones stop working): ``(token, expires_at)``."""
    token = secrets.token_urlsafe(32)
    expires_at = _iso(utcnow() + LIFETIMES[purpose])
    store.create_link(
        db,
        token_hash=service.hash_secret(token),
        user_id=user_id,
        purpose=purpose,
        created_by=created_by,
        expires_at=expires_at,
    )
    return token, expires_at


@dataclass(frozen=True)
class OpenLink:
    id: int
    purpose: str
    user: dict
    expires_at: str


def open_link(db: Database, purpose: str, token: str | None) -> OpenLink | None:
    """The valid link of this secret for ``purpose``, or ``None`` (whatever the reason)."""
    if not token or len(token) > MAX_TOKEN:
        return None
    row = store.get_link(db, service.hash_secret(token))
    now = _iso(utcnow())
    if (
        row is None
        or row["purpose"] != purpose
        or row["used_at"]
        or row["revoked_at"]
        or row["expires_at"] <= now
    ):
        return None
    user = storage.get_user(db, row["user_id"])
    if user is None or not user["active"]:
        return None
    return OpenLink(row["id"], purpose, user, row["expires_at"])


def use(
    db: Database, purpose: str, token: str | None, password: str, confirm: str, *, route: str = ""
) -> dict:
    """Set the password chosen through the link: the link dies, every session of the account is
    closed, its log-in waits lifted. Returns the account. ``InvalidInput`` with :data:`INVALID`
    for any bad link (recorded), or with the password rule."""
    link = open_link(db, purpose, token)
    if link is None:
        record(db, None, "accounts.link.refused", outcome="denied", route=route)
        raise InvalidInput(INVALID)
    if len(password or "") > MAX_PASSWORD:
        raise InvalidInput(f"Le mot de passe est trop long : {MAX_PASSWORD} caractères au plus.")
    if password != confirm:
        raise InvalidInput("Les deux mots de passe ne sont pas identiques : retapez-les.")
    new_hash = service.hash_password(password or "")
    with transaction(db):
        if not store.use_link(db, link.id, _iso(utcnow())):
            raise InvalidInput(INVALID)
        storage.set_password_hash(db, link.user["id"], new_hash)
        storage.delete_sessions_of(db, link.user["id"])
        throttle.reset_account(db, link.user)
        record(
            db,
            None,
            "accounts.link.used",
            route=route,
            target=f"user:{link.user['id']}",
            actor_label=f"{link.user['display_name']} ({link.user['username']}), par lien",
            details={"lien": purpose},
        )
    return link.user

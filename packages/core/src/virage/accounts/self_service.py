"""What a worker does on her own account (``/moi``): change her password, see and close her open
sessions, see and revoke her API tokens. Each action is recorded in the audit trail."""

from __future__ import annotations

import hashlib

import anyio.to_thread

from virage.accounts import lifecycle_storage as store
from virage.accounts import service, storage, throttle
from virage.accounts.context import AccessContext
from virage.db import Database, transaction, utcnow, utcnow_iso
from virage.errors import Conflict, InvalidInput, NotFound

MAX_PASSWORD = 500
MAX_BROWSER = 200


def session_ref(session_id: str) -> str:
    """A public name of a session for its owner's page: never the stored key itself."""
    return hashlib.sha256(("ref:" + session_id).encode()).hexdigest()[:16]


def browser_hint(user_agent: str | None) -> str | None:
    """« Firefox sur Android »: enough for her to recognise her phone, nothing more is kept."""
    ua = (user_agent or "")[:MAX_BROWSER]
    if not ua:
        return None
    browser = next(
        (
            name
            for key, name in (
                ("Edg/", "Edge"),
                ("OPR/", "Opera"),
                ("Firefox/", "Firefox"),
                ("SamsungBrowser/", "Samsung Internet"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if key in ua
        ),
        "navigateur",
    )
    system = next(
        (
            name
            for key, name in (
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Windows", "Windows"),
                ("Mac OS X", "Mac"),
                ("CrOS", "Chromebook"),
                ("Linux", "Linux"),
            )
            if key in ua
        ),
        None,
    )
    return f"{browser} sur {system}" if system else browser


def remember_browser(db: Database, session_id: str, user_agent: str | None) -> None:
    """At log-in: keep the new session's browser hint for « Mes sessions » (never the UA itself)."""
    hint = browser_hint(user_agent)
    if hint:
        store.set_session_browser(db, session_id, hint)


async def change_password(
    access: AccessContext, current: str, new: str, confirm: str, *, address: str = ""
) -> int:
    """Change her own password (the current one required); her other sessions are closed.
    Returns how many sessions were closed.

    Checking the current password is throttled like the log-in (:mod:`.throttle`): after a few
    wrong ones, ``PasswordCheckThrottled`` (429) for a while, before any check; a right one
    forgets the failures. ``address``: the client's, shown to her with her failed attempts."""
    actor = access.require_login()
    if actor.via != "session":
        raise InvalidInput("Le mot de passe se change depuis une session, pas avec un jeton.")
    if len(current or "") > MAX_PASSWORD or len(new or "") > MAX_PASSWORD:
        raise InvalidInput(f"Le mot de passe est trop long : {MAX_PASSWORD} caractères au plus.")
    user = storage.get_user(access.db, actor.user_id)
    target = f"user:{actor.user_id}"
    try:
        attempt = throttle.begin_password_check(access.db, user, address, utcnow())
    except throttle.PasswordCheckThrottled:
        access.audit(
            "accounts.password.refused",
            target=target,
            outcome="denied",
            details={"raison": "trop d'essais, attente imposée"},
        )
        raise
    try:
        ok = await anyio.to_thread.run_sync(service.verify_password, user["password_hash"], current)
    except BaseException:
        throttle.cancel(access.db, attempt)  # not checked after all: it does not count
        raise
    if not ok:
        throttle.failed(access.db, attempt, utcnow())
        access.audit("accounts.password.refused", target=target, outcome="denied")
        raise InvalidInput("Votre mot de passe actuel n'est pas le bon.")
    throttle.password_check_succeeded(access.db, attempt)
    if new != confirm:
        raise InvalidInput("Les deux nouveaux mots de passe ne sont pas identiques : retapez-les.")
    if new == current:
        raise InvalidInput("Choisissez un mot de passe différent de l'actuel.")
    new_hash = await anyio.to_thread.run_sync(service.hash_password, new)
    with transaction(access.db):
        storage.set_password_hash(access.db, actor.user_id, new_hash)
        closed = store.delete_sessions_except(access.db, actor.user_id, actor.session_id)
        access.audit(
            "accounts.password.changed",
            target=f"user:{actor.user_id}",
            details={"autres_sessions_fermees": closed},
        )
    return closed


def my_sessions(access: AccessContext, user_agent: str | None = None) -> list[dict]:
    """Her open sessions, newest first, each with ``ref`` (to close it) and ``current``. The
    current session learns its browser hint from ``user_agent`` if it has none yet."""
    actor = access.require_login()
    rows = store.sessions_of(access.db, actor.user_id, utcnow_iso())
    for r in rows:
        if r["id"] == actor.session_id and not r["browser"] and browser_hint(user_agent):
            r["browser"] = browser_hint(user_agent)
            store.set_session_browser(access.db, r["id"], r["browser"])
    return [
        {
            "ref": session_ref(r["id"]),
            "current": r["id"] == actor.session_id,
            "created_at": r["created_at"],
            "expires_at": r["expires_at"],
            "browser": r["browser"],
        }
        for r in rows
    ]


def close_session(access: AccessContext, ref: str) -> None:
    actor = access.require_login()
    for row in store.sessions_of(access.db, actor.user_id, utcnow_iso()):
        if session_ref(row["id"]) == ref:
            store.delete_session_of(access.db, actor.user_id, row["id"])
            access.audit(
                "accounts.sessions.closed",
                target=f"user:{actor.user_id}",
                details={"sessions": 1, "la_sienne": row["id"] == actor.session_id},
            )
            return
    raise NotFound("Cette session n'existe pas ou est déjà fermée.")


def close_other_sessions(access: AccessContext) -> int:
    actor = access.require_login()
    closed = store.delete_sessions_except(access.db, actor.user_id, actor.session_id)
    access.audit(
        "accounts.sessions.closed", target=f"user:{actor.user_id}", details={"sessions": closed}
    )
    return closed


def my_tokens(access: AccessContext) -> list[dict]:
    actor = access.require_login()
    return store.tokens_of_user(access.db, actor.user_id)


def revoke_my_token(access: AccessContext, token_id: int) -> None:
    actor = access.require_login()
    token = storage.get_token(access.db, token_id)
    if token is None or token["user_id"] != actor.user_id:
        raise NotFound("Ce jeton n'existe pas.")
    if not storage.revoke_token(access.db, token_id):
        raise Conflict("Ce jeton est déjà révoqué.")
    access.audit(
        "accounts.token.revoked_by_owner",
        structure_id=token["structure_id"],
        target=f"token:{token_id}",
    )

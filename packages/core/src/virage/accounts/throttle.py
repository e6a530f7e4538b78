"""Log-in throttling: slow password guessing down without locking colleagues out.

The policy follows OWASP's « device cookies » (trusted clients are throttled one by one, unknown
clients together) and the per (account, address) counters of well-known products:

- A **source** is a browser already used to log in to the account (its ``virage_appareil``
  cookie), otherwise the client's address. Sources from which the account has already logged in
  (browser or address, within ``KNOWN_FOR``) are **known**.
- Each (account, source) pair may fail ``FREE_FAILURES`` times a day; then it waits, 1 minute after
  the next failure, then 2, 4, 8, at most 15. Only that pair waits: the same account from
  elsewhere, and other accounts from the same address, are not slowed down by it.
- Unknown sources share two daily budgets: per account (``ACCOUNT_BUDGET``: a botnet trying one
  account from many addresses) and per address (``ADDRESS_BUDGET``: one address trying many
  accounts). Beyond them unknown sources wait the same growing delays; known sources never count
  against these budgets nor wait for them.
- A correct password succeeds unless its own pair, or (for an unknown source) an exhausted budget,
  makes it wait. Waiting attempts are refused before the password is checked, so the number of
  argon2 verifications an attacker obtains is bounded too; each attempt is counted as failed
  *before* its verification (then forgotten if it succeeds), so parallel requests cannot slip
  through between the check and the count.
- Nothing depends on whether the account exists: an unknown identifier is counted, delayed and
  answered exactly like a known one.

The counters live in the database (:mod:`virage.accounts.throttle_storage`), so every process of
the instance shares them. Failed attempts are kept one day; known sources ``KNOWN_FOR``.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from virage.accounts import throttle_storage as store
from virage.db import Database, transaction
from virage.errors import TooManyRequests
from virage.web.templating import PARIS

FREE_FAILURES = 5
ACCOUNT_BUDGET = 20
ADDRESS_BUDGET = 50
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(minutes=15)
MEMORY = timedelta(hours=24)
KNOWN_FOR = timedelta(days=180)

DEVICE_COOKIE = "virage_appareil"
DEVICE_COOKIE_MAX_AGE = int(timedelta(days=400).total_seconds())
_DEVICE_VALUE = re.compile(r"[A-Za-z0-9_-]{32,64}")


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def account_key(username: str | None) -> str:
    """The identifier as counted: trimmed, lower case (``users.username`` ignores case)."""
    return (username or "").strip().lower()[:150]


def valid_device(value: str | None) -> str | None:
    """The device cookie's value if it is well formed (any other value is ignored)."""
    return value if value and _DEVICE_VALUE.fullmatch(value) else None


def new_device() -> str:
    return secrets.token_urlsafe(32)


def device_source(value: str) -> str:
    return "appareil:" + hashlib.sha256(value.encode()).hexdigest()


def address_source(address: str) -> str:
    return "adresse:" + address


def delay(excess: int) -> timedelta:
    """The wait after the ``excess``-th failure beyond a free allowance (0 → 1 minute, doubling)."""
    return min(FIRST_DELAY * 2 ** min(max(excess, 0), 16), MAX_DELAY)


def _wait_until(count: int, last: str | None, allowance: int) -> datetime | None:
    if count < allowance or last is None:
        return None
    return datetime.fromisoformat(last) + delay(count - allowance)


class LoginThrottled(TooManyRequests):
    """Refused before the password is checked; ``retry_after`` in seconds (``Retry-After``)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)

    @classmethod
    def until(cls, moment: datetime, now: datetime) -> LoginThrottled:
        seconds = math.ceil((moment - now).total_seconds())
        minutes = max(1, math.ceil(seconds / 60))
        local = moment.astimezone(PARIS)
        return cls(
            f"Trop de tentatives de connexion : par sécurité, patientez {minutes} "
            f"minute{'s' if minutes > 1 else ''} (jusqu'à {local:%H} h {local:%M}) avant de "
            "réessayer. Mot de passe oublié ? Demandez à l'administration du réseau de le "
            "réinitialiser.",
            seconds,
        )


@dataclass(frozen=True)
class Attempt:
    """One log-in attempt, already counted as failed until :func:`succeeded` says otherwise."""

    id: int
    account: str
    user: dict | None
    source: str
    address: str
    trusted: bool
    device: str | None
    """The browser's device cookie, when it sent a well-formed one."""


def begin(
    db: Database,
    account: str,
    user: dict | None,
    address: str,
    device: str | None,
    now: datetime,
) -> Attempt:
    """Refuse (``LoginThrottled``) or count the attempt, atomically across processes."""
    device = valid_device(device)
    source, trusted = address_source(address), False
    with transaction(db):
        if user is not None:
            known_since = _iso(now - KNOWN_FOR)
            if device and store.is_known(db, user["id"], device_source(device), known_since):
                source, trusted = device_source(device), True
            elif store.is_known(db, user["id"], source, known_since):
                trusted = True
        since = _iso(now - MEMORY)
        waits = [_wait_until(*store.pair_failures(db, account, source, since), FREE_FAILURES)]
        if not trusted:
            waits.append(
                _wait_until(*store.account_untrusted_failures(db, account, since), ACCOUNT_BUDGET)
            )
            waits.append(
                _wait_until(*store.address_untrusted_failures(db, address, since), ADDRESS_BUDGET)
            )
        until = max((w for w in waits if w is not None), default=None)
        if until is not None and until > now:
            raise LoginThrottled.until(until, now)
        attempt_id = store.add_attempt(
            db, account=account, source=source, address=address, trusted=trusted, at=_iso(now)
        )
    return Attempt(attempt_id, account, user, source, address, trusted, device)


def cancel(db: Database, attempt: Attempt) -> None:
    """The password was not checked after all (server busy): the attempt does not count."""
    store.delete_attempt(db, attempt.id)


def failed(db: Database, attempt: Attempt, now: datetime) -> None:
    """The attempt stays counted; attempts older than a day are forgotten."""
    store.delete_attempts_before(db, _iso(now - MEMORY))


def succeeded(db: Database, attempt: Attempt, now: datetime) -> str:
    """Clear the pair's failures, remember the browser and the address; return the device cookie."""
    assert attempt.user is not None
    device = attempt.device or new_device()
    user_id, at = attempt.user["id"], _iso(now)
    with transaction(db):
        store.delete_pair(db, attempt.account, attempt.source)
        store.remember(db, user_id, device_source(device), at)
        store.remember(db, user_id, address_source(attempt.address), at)
        store.forget_before(db, user_id, _iso(now - KNOWN_FOR))
        store.delete_attempts_before(db, _iso(now - MEMORY))
    return device


# --------------------------------------------------------------------------- « Changer mon mot de passe »

#: The source of the checks of the current password on « Changer mon mot de passe »: its own pair
#: per account, so that guessing there (someone holding an open session on a borrowed phone) waits
#: like guessing at the log-in, without slowing the account's log-in down (``trusted``: it counts
#: against no budget of unknown sources).
PASSWORD_CHECK = "changement-de-mot-de-passe"


class PasswordCheckThrottled(LoginThrottled):
    @classmethod
    def until(cls, moment: datetime, now: datetime) -> PasswordCheckThrottled:
        seconds = math.ceil((moment - now).total_seconds())
        minutes = max(1, math.ceil(seconds / 60))
        local = moment.astimezone(PARIS)
        return cls(
            "Trop d'essais du mot de passe actuel : par sécurité, patientez "
            f"{minutes} minute{'s' if minutes > 1 else ''} (jusqu'à {local:%H} h {local:%M}) "
            "avant de réessayer. Mot de passe oublié ? Demandez à l'administration un lien de "
            "réinitialisation.",
            seconds,
        )


def begin_password_check(db: Database, user: dict, address: str, now: datetime) -> Attempt:
    """Refuse (``PasswordCheckThrottled``) after ``FREE_FAILURES`` wrong current passwords in a
    day, with the log-in's growing delays; otherwise count this check as failed until
    :func:`password_check_succeeded` says otherwise."""
    account = account_key(user["username"])
    with transaction(db):
        count, last = store.pair_failures(db, account, PASSWORD_CHECK, _iso(now - MEMORY))
        until = _wait_until(count, last, FREE_FAILURES)
        if until is not None and until > now:
            raise PasswordCheckThrottled.until(until, now)
        attempt_id = store.add_attempt(
            db, account=account, source=PASSWORD_CHECK, address=address, trusted=True, at=_iso(now)
        )
    return Attempt(attempt_id, account, user, PASSWORD_CHECK, address, True, None)


def password_check_succeeded(db: Database, attempt: Attempt) -> None:
    """The right current password: its earlier failures are forgotten."""
    store.delete_pair(db, attempt.account, PASSWORD_CHECK)


def reset_account(db: Database, user: dict) -> None:
    """After a password reset: no waiting, and no browser or address is known any more."""
    store.delete_account_attempts(db, account_key(user["username"]))
    store.forget_user(db, user["id"])


def failures_of(db: Database, username: str) -> list[dict]:
    """The failed attempts of the last day on this identifier (for the worker's own page)."""
    return store.failures_of(db, account_key(username))


def known_sources_of(db: Database, user_id: int) -> list[dict]:
    """Browsers and addresses the account has logged in from (addresses shown, browsers not)."""
    rows = store.known_sources_of(db, user_id)
    for row in rows:
        kind, _, value = row["source"].partition(":")
        row["kind"] = "navigateur" if kind == "appareil" else "adresse"
        row["address"] = value if kind == "adresse" else None
    return rows

"""The second factor of a password log-in: when it is required, authenticator apps (TOTP, RFC 6238)
and recovery codes. Security keys (WebAuthn) are in :mod:`virage.accounts.security_keys`; the
half-logged-in state between the password and the second factor in
:mod:`virage.accounts.login_steps`.

**When it is required.** The ANS référentiel on electronic identification (PGSSI-S) no longer
accepts a password alone for professionals' access to health data since 1 January 2026, and asks a
second factor for any remote access. So a second factor is required:

- always, for an account whose role, in any of its structures, reads health data (the roles that
  hold ``persons.health.read`` or ``persons.export.health``), and for network administrators;
- otherwise as each of the account's structures decides: « toujours » (the default), or « hors des
  réseaux de la structure » (address ranges the director lists; the client's address is resolved
  by :mod:`virage.accounts.addresses`, trusting forwarded headers only from trusted proxies).

An account that has a second factor always gives it, whatever the rule. On a demonstration
database (``virage demo``: fictitious people only) the second factor is offered, not imposed.

**Codes.** An app's code is valid for its 30-second step, the one before and the one after (phone
clocks drift); each step's code is accepted once. Recovery codes: 10 single-use codes of 12
characters, shown once, stored as SHA-256 digests; making new ones voids the old ones.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pyotp
import segno

from virage.access import ROLES, Registry
from virage.accounts import second_factor_storage as store
from virage.accounts import storage
from virage.db import Database, transaction
from virage.errors import InvalidInput
from virage.system import service as system

#: The permissions whose holders read health data: their roles always need a second factor.
HEALTH_PERMISSIONS = ("persons.health.read", "persons.export.health")
POLICY_LABELS = {
    "toujours": "À chaque connexion",
    "hors_reseaux": "Seulement hors des réseaux de la structure",
}
MAX_NETWORKS = 50
STEP_SECONDS = 30
VALID_WINDOW = 1  # the step before and the one after
ISSUER = "Virage"
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no i, l, o, 0, 1: easy to read aloud
_RECOVERY_LENGTH = 12
_CODE = re.compile(r"\d{6}")


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------- the rule


def is_demo(db: Database) -> bool:
    """A demonstration database (``virage demo``): fictitious people, nothing is imposed."""
    return system.is_demo(db)


def health_roles(registry: Registry) -> frozenset[str]:
    roles: set[str] = set()
    for name in HEALTH_PERMISSIONS:
        try:
            roles |= registry.roles_with(name)
        except KeyError:
            continue
    return frozenset(roles)


def parse_networks(raw: str) -> list[str]:
    """Address ranges as a director types them (commas, spaces or lines) → checked networks.

    ``InvalidInput`` names the first value that is not an address or a network, refuses a range
    that covers the whole Internet, and more than ``MAX_NETWORKS`` ranges.
    """
    items = [i for i in re.split(r"[\s,;]+", raw or "") if i]
    if len(items) > MAX_NETWORKS:
        raise InvalidInput(f"Indiquez au plus {MAX_NETWORKS} adresses ou réseaux.")
    networks: list[str] = []
    for item in items:
        try:
            net = ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise InvalidInput(
                f"« {item[:60]} » n'est ni une adresse IP ni un réseau : écrivez par exemple "
                "192.168.10.0/24 ou 2001:db8:12::/48."
            ) from None
        if net.prefixlen == 0:
            raise InvalidInput(
                f"« {item[:60]} » désigne tout Internet : indiquez seulement les réseaux de la "
                "structure (bureaux, établissement)."
            )
        if str(net) not in networks:
            networks.append(str(net))
    return networks


def in_networks(address: str, networks: list[str]) -> bool:
    """Whether a client address (as :mod:`virage.accounts.addresses` keys it: an IPv4 address, or
    an IPv6 ``/64``) lies in one of the networks."""
    try:
        client = ipaddress.ip_network(address, strict=False)
    except ValueError:
        return False
    for raw in networks:
        try:
            net = ipaddress.ip_network(raw, strict=False)
        except ValueError:
            continue
        if net.version == client.version and client.subnet_of(net):
            return True
    return False


@dataclass(frozen=True)
class Need:
    """What the second step of a log-in asks of an account."""

    enrolled: bool
    """The account has an authenticator app or a security key: it always gives it."""
    reasons: tuple[str, ...] = ()
    """Why a second factor is required now (French sentences); empty when it is not."""
    demo: bool = False

    @property
    def required(self) -> bool:
        return bool(self.reasons) and not self.demo

    @property
    def second_step(self) -> bool:
        return self.enrolled or self.required


def required_reasons(db: Database, registry: Registry, user: dict, address: str) -> tuple[str, ...]:
    """Why this account must give a second factor when it logs in from ``address``."""
    reasons = []
    if user["is_network_admin"]:
        reasons.append("Vous administrez le réseau : un second facteur est toujours demandé.")
    memberships = storage.memberships_of(db, user["id"])
    health = health_roles(registry)
    for role in sorted({r for r in memberships.values() if r in health}):
        reasons.append(
            f"Votre rôle ({ROLES.get(role, role)}) donne accès à des informations de santé : "
            "depuis le 1er janvier 2026, le mot de passe seul ne suffit plus."
        )
    for rule in store.structure_rules(db, sorted(memberships)):
        if rule["policy"] == "toujours":
            reasons.append(f"{rule['name']} demande un second facteur à chaque connexion.")
        elif not in_networks(address, rule["networks"]):
            reasons.append(
                f"Vous vous connectez hors des réseaux de {rule['name']} : un second facteur est "
                "demandé."
            )
    return tuple(dict.fromkeys(reasons))


def need(db: Database, registry: Registry, user: dict, address: str) -> Need:
    return Need(
        enrolled=status(db, user["id"]).enrolled,
        reasons=required_reasons(db, registry, user, address),
        demo=is_demo(db),
    )


# --------------------------------------------------------------------------- status


@dataclass(frozen=True)
class Status:
    app_since: str | None
    keys: list[dict] = field(default_factory=list)
    recovery_unused: int = 0
    recovery_used: int = 0
    recovery_made: str | None = None

    @property
    def app(self) -> bool:
        return self.app_since is not None

    @property
    def enrolled(self) -> bool:
        return self.app or bool(self.keys)


def status(db: Database, user_id: int) -> Status:
    app = store.totp_of(db, user_id)
    unused, used, made = store.recovery_counts(db, user_id)
    keys = [
        {k: row[k] for k in ("id", "name", "created_at", "last_used_at", "rp_id")}
        for row in store.keys_of(db, user_id)
    ]
    return Status(
        app_since=app["confirmed_at"] if app else None,
        keys=keys,
        recovery_unused=unused,
        recovery_used=used,
        recovery_made=made,
    )


# --------------------------------------------------------------------------- authenticator apps


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str
    svg: str

    @property
    def grouped(self) -> str:
        """The secret in groups of four, for typing it by hand."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


#: An app enrolment left unfinished is forgotten after this long.
PENDING_FOR = timedelta(days=1)


def pending_app(db: Database, user: dict, owner: str, now: datetime) -> Enrolment:
    """The secret of an app being enrolled by ``owner`` (this log-in step, or this session): the
    same one while its page is reloaded; every other browser has its own."""
    secret = store.pending_totp(db, user["id"], owner)
    if secret is None:
        secret = pyotp.random_base32()
        store.set_pending_totp(db, user["id"], secret, owner, _iso(now), _iso(now - PENDING_FOR))
    uri = pyotp.TOTP(secret).provisioning_uri(name=user["username"], issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(scale=4, title="Code QR à scanner")
    return Enrolment(secret, uri, svg)


def _clean_code(code: str | None) -> str | None:
    code = re.sub(r"\s", "", code or "")
    return code if _CODE.fullmatch(code) else None


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    current = int(now.timestamp()) // STEP_SECONDS
    hotp = pyotp.HOTP(secret)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(hotp.at(step), code):
            return step
    return None


def confirm_app(db: Database, user_id: int, owner: str, code: str | None, now: datetime) -> bool:
    """The first code from the app proves it holds ``owner``'s pending secret: it becomes the
    account's app (replacing the previous one, if any)."""
    secret = store.pending_totp(db, user_id, owner)
    code = _clean_code(code)
    if not (secret and code):
        return False
    step = _matching_step(secret, code, now)
    if step is None:
        return False
    with transaction(db):
        return store.confirm_totp(db, user_id, owner, step, _iso(now))


def verify_app(db: Database, user_id: int, code: str | None, now: datetime) -> bool:
    """A code from the account's app, each step's code accepted once (RFC 6238, section 5.2)."""
    row = store.totp_of(db, user_id)
    code = _clean_code(code)
    if not (row and code):
        return False
    step = _matching_step(row["secret"], code, now)
    return step is not None and store.use_totp_step(db, user_id, step)


# --------------------------------------------------------------------------- recovery codes


def _normalize(code: str) -> str:
    return re.sub(r"[\s-]", "", (code or "").lower())[:64]


def _digest(user_id: int, code: str) -> str:
    return hashlib.sha256(f"{user_id}:{_normalize(code)}".encode()).hexdigest()


def new_recovery_codes(db: Database, user_id: int, now: datetime) -> list[str]:
    """Ten new single-use codes (``abcd-efgh-jkmn``), to show once; the previous ones are void."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4)))
    store.replace_recovery_codes(db, user_id, [_digest(user_id, c) for c in codes], _iso(now))
    return codes


def use_recovery_code(db: Database, user_id: int, code: str | None, now: datetime) -> int | None:
    """Use up a recovery code: the number of codes left, or ``None`` if it is wrong or used."""
    if len(_normalize(code or "")) != _RECOVERY_LENGTH:
        return None
    with transaction(db):
        if not store.use_recovery_code(db, user_id, _digest(user_id, code), _iso(now)):
            return None
        return store.recovery_counts(db, user_id)[0]


def looks_like_recovery_code(code: str | None) -> bool:
    return len(_normalize(code or "")) == _RECOVERY_LENGTH


def remove_key(db: Database, user_id: int, key_id: int) -> bool:
    """Forget one of the account's security keys; ``False`` if it was not hers."""
    return store.delete_key(db, user_id, key_id)


# --------------------------------------------------------------------------- reset


def reset(db: Database, user_id: int) -> Status:
    """Forget the account's apps, keys, recovery codes and pending log-in steps, and close its
    sessions (they were opened with the lost factor); return what it had."""
    before = status(db, user_id)
    with transaction(db):
        store.delete_all_of(db, user_id)
        storage.delete_sessions_of(db, user_id)
    return before

"""Security keys and the phone's or computer's own authenticator (WebAuthn), with py_webauthn.

The relying party is the address the browser is on: its host name (``rp_id``) and origin, read from
the request (``Host``, and HTTPS as :mod:`virage.accounts.addresses` resolves it). A key registered
at one address answers only there: behind a reverse proxy, pass the original ``Host`` header on.
Browsers refuse WebAuthn on a bare IP address: the pages offer a key only on a host name.

Options are embedded in the page; the page's script (``static/second-factor.js``) asks the browser
and posts the answer in a plain form. Each page shows a new challenge, kept server-side for
``CHALLENGE_LIFETIME`` and used once.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from virage.accounts import second_factor_storage as store
from virage.db import Database
from virage.errors import InvalidInput

CHALLENGE_LIFETIME = timedelta(minutes=5)
TIMEOUT_MS = 120_000
MAX_CREDENTIAL_CHARS = 20_000
MAX_NAME = 60
_HOST = re.compile(r"^(?P<name>[A-Za-z0-9.-]{1,253})(:\d{1,5})?$")

NOT_REGISTERED = (
    "La clé de sécurité n'a pas pu être enregistrée (réponse refusée, expirée ou annulée) : "
    "rechargez la page et réessayez."
)


@dataclass(frozen=True)
class RelyingParty:
    id: str
    origin: str


def relying_party(host: str | None, https: bool) -> RelyingParty | None:
    """The relying party for a request to ``host`` (the ``Host`` header); ``None`` when the
    browser could not use WebAuthn there (an IP address, a malformed host)."""
    match = _HOST.match((host or "").strip())
    if not match:
        return None
    name = match.group("name").lower().rstrip(".")
    try:
        ipaddress.ip_address(name)
        return None
    except ValueError:
        pass
    return RelyingParty(name, f"{'https' if https else 'http'}://{(host or '').strip().lower()}")


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _remember(db, owner: str, challenge: bytes, now: datetime) -> None:
    store.set_challenge(db, owner, bytes_to_base64url(challenge), _iso(now + CHALLENGE_LIFETIME))


def _challenge(db, owner: str, now: datetime) -> bytes | None:
    value = store.take_challenge(db, owner, _iso(now))
    return base64url_to_bytes(value) if value else None


def _credential(raw: str | None) -> str:
    raw = (raw or "").strip()
    if not raw or len(raw) > MAX_CREDENTIAL_CHARS:
        raise InvalidInput(NOT_REGISTERED)
    return raw


# --------------------------------------------------------------------------- registration


def registration_options(
    db: Database, user: dict, rp: RelyingParty, owner: str, now: datetime
) -> str:
    """The options of ``navigator.credentials.create`` (JSON), the challenge kept for ``owner``."""
    existing = [
        PublicKeyCredentialDescriptor(id=base64url_to_bytes(k["credential_id"]))
        for k in store.keys_of(db, user["id"])
        if k["rp_id"] == rp.id
    ]
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name="Virage",
        user_name=user["username"],
        user_id=f"virage-{user['id']}".encode(),
        user_display_name=user["display_name"],
        exclude_credentials=existing,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        timeout=TIMEOUT_MS,
    )
    _remember(db, owner, options.challenge, now)
    return options_to_json(options)


def register(
    db: Database,
    user: dict,
    rp: RelyingParty,
    owner: str,
    credential: str | None,
    name: str | None,
    now: datetime,
) -> int:
    """Check the browser's answer to the registration options and keep the key; ``InvalidInput``
    (French) when it cannot be accepted."""
    raw = _credential(credential)
    challenge = _challenge(db, owner, now)
    if challenge is None:
        raise InvalidInput(NOT_REGISTERED)
    try:
        verified = verify_registration_response(
            credential=raw,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError):
        raise InvalidInput(NOT_REGISTERED) from None
    credential_id = bytes_to_base64url(verified.credential_id)
    if store.key_by_credential(db, user["id"], credential_id):
        raise InvalidInput("Cette clé de sécurité est déjà enregistrée sur votre compte.")
    label = " ".join((name or "").split())[:MAX_NAME] or "Clé de sécurité"
    return store.add_key(
        db,
        user_id=user["id"],
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        rp_id=rp.id,
        name=label,
        at=_iso(now),
    )


# --------------------------------------------------------------------------- authentication


def authentication_options(
    db: Database, user: dict, rp: RelyingParty, owner: str, now: datetime
) -> str | None:
    """The options of ``navigator.credentials.get`` for the account's keys registered at this
    address (JSON), or ``None`` when it has none here."""
    keys = [k for k in store.keys_of(db, user["id"]) if k["rp_id"] == rp.id]
    if not keys:
        return None
    options = generate_authentication_options(
        rp_id=rp.id,
        allow_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(k["credential_id"])) for k in keys
        ],
        user_verification=UserVerificationRequirement.PREFERRED,
        timeout=TIMEOUT_MS,
    )
    _remember(db, owner, options.challenge, now)
    return options_to_json(options)


def authenticate(
    db: Database,
    user: dict,
    rp: RelyingParty,
    owner: str,
    credential: str | None,
    now: datetime,
) -> dict | None:
    """The key that signed this answer to the pending challenge, or ``None``."""
    raw = (credential or "").strip()
    if not raw or len(raw) > MAX_CREDENTIAL_CHARS:
        return None
    challenge = _challenge(db, owner, now)
    try:
        credential_id = json.loads(raw).get("id")
    except (ValueError, AttributeError):
        return None
    key = (
        store.key_by_credential(db, user["id"], credential_id)
        if isinstance(credential_id, str)
        else None
    )
    if challenge is None or key is None or key["rp_id"] != rp.id:
        return None
    try:
        verified = verify_authentication_response(
            credential=raw,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            credential_public_key=key["public_key"],
            credential_current_sign_count=key["sign_count"],
        )
    except (WebAuthnException, ValueError, KeyError, TypeError):
        return None
    store.key_used(db, key["id"], verified.new_sign_count, _iso(now))
    return key

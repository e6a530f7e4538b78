"""Secrets of the kiosk: device credentials, signed convocation tokens, short codes.

- A **device credential** is 32 random bytes shown once to the director; only its SHA-256 is
  stored (it is never a password a person chose: a fast hash suffices, as for API tokens).
- A **convocation token** names a structure, an appointment and a day, signed with HMAC-SHA256
  under a key derived from the instance's ``secret_key``: ``VK1-<structure>-<appointment>-
  <yyyymmdd>-<signature>``. It is what the QR code of the convocation holds, and what a scanner
  types into the kiosk. Valid that day only, at a kiosk of that structure only.
- A **short code** (six letters and digits without look-alikes) is drawn at random and stored
  for the appointment's day; with the person's birth date it replaces the QR code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date

PREFIX = "VK1"
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
CODE_LENGTH = 6
_TOKEN = re.compile(r"VK1-(\d{1,12})-(\d{1,12})-(\d{8})-([A-Z2-7]{26})")


def new_credential() -> str:
    return secrets.token_urlsafe(32)


def credential_hash(secret: str) -> str:
    return hashlib.sha256(("virage-kiosk-device:" + secret).encode()).hexdigest()


def _key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), b"virage-kiosk-convocation-v1", hashlib.sha256).digest()


def _signature(secret_key: str, structure_id: int, appointment_id: int, day: date) -> str:
    message = f"{structure_id}:{appointment_id}:{day:%Y%m%d}".encode()
    digest = hmac.new(_key(secret_key), message, hashlib.sha256).digest()
    return base64.b32encode(digest[:16]).decode().rstrip("=")


def convocation_token(secret_key: str, structure_id: int, appointment_id: int, day: date) -> str:
    sig = _signature(secret_key, structure_id, appointment_id, day)
    return f"{PREFIX}-{structure_id}-{appointment_id}-{day:%Y%m%d}-{sig}"


@dataclass(frozen=True)
class Convocation:
    structure_id: int
    appointment_id: int
    day: date


def read_token(secret_key: str, text: str) -> Convocation | None:
    """The convocation a token names, when its signature is right; ``None`` otherwise (the day
    and structure are the caller's to compare with today's and the kiosk's)."""
    match = _TOKEN.fullmatch((text or "").strip().upper())
    if not match:
        return None
    sid, aid, raw_day, sig = match.groups()
    try:
        day = date(int(raw_day[:4]), int(raw_day[4:6]), int(raw_day[6:]))
    except ValueError:
        return None
    expected = _signature(secret_key, int(sid), int(aid), day)
    if not hmac.compare_digest(expected, sig):
        return None
    return Convocation(int(sid), int(aid), day)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(text: str) -> str:
    """What a person typed, as stored: upper case, without spaces nor dashes."""
    return re.sub(r"[\s-]", "", text or "").upper()

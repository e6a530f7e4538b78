"""The signature of a device's events: HMAC-SHA256 over ``timestamp + "." + body``.

A device's secret is derived from the instance's secret key and a random salt stored with the
device (``HMAC(secret_key, "virage-alerts:<id>:<salt>")``): Virage never stores the secret
itself, shows it once at enrolment, and a revoked device's secret is worthless.

The device sends three headers: ``X-Virage-Appareil`` (its number), ``X-Virage-Horodatage``
(Unix time in seconds) and ``X-Virage-Signature`` (``sha256=`` and the hex digest).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

#: A timestamp further than this from the server's clock is refused (stale or from the future).
TOLERANCE_SECONDS = 5 * 60
DEVICE_HEADER = "x-virage-appareil"
TIME_HEADER = "x-virage-horodatage"
SIGNATURE_HEADER = "x-virage-signature"


def new_salt() -> str:
    return secrets.token_urlsafe(24)


def device_secret(secret_key: str, device_id: int, salt: str) -> str:
    message = f"virage-alerts:{device_id}:{salt}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The ``X-Virage-Signature`` header for ``body`` sent at ``timestamp``."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def headers(device_id: int, secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three headers a device sends (used by ``virage alertes simuler`` and the bench)."""
    return {
        "Content-Type": "application/json",
        "X-Virage-Appareil": str(device_id),
        "X-Virage-Horodatage": str(timestamp),
        "X-Virage-Signature": sign(secret, timestamp, body),
    }


def valid(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()

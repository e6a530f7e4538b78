"""A software security key (WebAuthn authenticator) for HTTP tests, and the log-in helpers that use
it: the accounts of the test worlds hold one, so every test can log in as often as it needs (an
app's code is accepted once per 30-second step; a key signs a fresh challenge each time).

It answers like a real key, with "none" attestation and an ES256 key pair: the server checks its
answers with py_webauthn exactly as it checks a browser's.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import encode_cbor

from virage.accounts import second_factor_storage
from virage.db import utcnow_iso

RP_ID = "testserver.local"
ORIGIN = "http://testserver.local"

UP, UV, AT = 0x01, 0x04, 0x40


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftKey:
    def __init__(self, origin: str = ORIGIN) -> None:
        self.origin = origin
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.sign_count = 0

    def cose_public_key(self) -> bytes:
        numbers = self.private.public_key().public_numbers()
        return encode_cbor(
            {
                1: 2,  # kty: EC2
                3: -7,  # alg: ES256
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}
        ).encode()

    def register(self, options: str) -> str:
        """The answer to ``navigator.credentials.create`` with these options (JSON)."""
        opts = json.loads(options)
        client_data = self._client_data("webauthn.create", opts["challenge"])
        cred = self.credential_id
        auth_data = (
            hashlib.sha256(opts["rp"]["id"].encode()).digest()
            + bytes([UP | UV | AT])
            + self.sign_count.to_bytes(4, "big")
            + bytes(16)
            + len(cred).to_bytes(2, "big")
            + cred
            + self.cose_public_key()
        )
        attestation = encode_cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return json.dumps(
            {
                "id": b64(cred),
                "rawId": b64(cred),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64(client_data),
                    "attestationObject": b64(attestation),
                },
                "clientExtensionResults": {},
            }
        )

    def sign(self, options: str, *, challenge: str | None = None, origin: str | None = None) -> str:
        """The answer to ``navigator.credentials.get`` (``challenge``/``origin`` to forge one)."""
        opts = json.loads(options)
        self.sign_count += 1
        client_data = json.dumps(
            {
                "type": "webauthn.get",
                "challenge": challenge or opts["challenge"],
                "origin": origin or self.origin,
                "crossOrigin": False,
            }
        ).encode()
        auth_data = (
            hashlib.sha256(opts["rpId"].encode()).digest()
            + bytes([UP | UV])
            + self.sign_count.to_bytes(4, "big")
        )
        signature = self.private.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return json.dumps(
            {
                "id": b64(self.credential_id),
                "rawId": b64(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64(client_data),
                    "authenticatorData": b64(auth_data),
                    "signature": b64(signature),
                },
                "clientExtensionResults": {},
            }
        )


#: The software keys of the test worlds' accounts, by (user name, host name of the server): a key
#: answers only at the address it was registered at (Litestar's test client is at
#: ``testserver.local``; a real server on this machine is reached at ``localhost``).
KEYS: dict[tuple[str, str], SoftKey] = {}


def give_key(db, user_id: int, username: str, rp_id: str = RP_ID) -> SoftKey:
    """Register a software key on the account, as if its owner had enrolled it."""
    key = KEYS.setdefault((username, rp_id), SoftKey())
    second_factor_storage.add_key(
        db,
        user_id=user_id,
        credential_id=b64(key.credential_id),
        public_key=key.cose_public_key(),
        sign_count=0,
        rp_id=rp_id,
        name="Clé de test",
        at=utcnow_iso(),
    )
    return key


def has_key(client, username: str) -> bool:
    return (username, client.base_url.host) in KEYS


def options_in(page_html: str, kind: str) -> str:
    """The WebAuthn options a page embeds for ``kind`` ("get" or "create")."""
    match = re.search(rf'data-webauthn="{kind}" data-options="([^"]+)"', page_html)
    assert match, f"no {kind} options in the page"
    return html.unescape(match.group(1))


def csrf_in(page_html: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page_html)
    assert match, "no CSRF field in the form"
    return match.group(1)


def give_key_answer(client, username: str, headers: dict | None = None):
    """On the second step of a log-in, answer with the account's software key."""
    page = client.get("/connexion/second-facteur", headers=headers)
    assert page.status_code == 200, page.text
    base = client.base_url
    origin = f"{base.scheme}://{base.netloc.decode()}"
    credential = KEYS[(username, base.host)].sign(options_in(page.text, "get"), origin=origin)
    return client.post(
        "/connexion/second-facteur",
        data={"methode": "cle", "credential": credential, "_csrf_token": csrf_in(page.text)},
        headers=headers,
        follow_redirects=False,
    )

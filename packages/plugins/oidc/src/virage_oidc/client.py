"""The OpenID Connect client: authorization code flow with PKCE, state and nonce, and the checks
of the ID token (signature against the provider's published keys, issuer, audience, expiry,
nonce), with Authlib (OAuth 2.0 requests, PKCE) and joserfc (JOSE, by the same authors).

Nothing here knows Virage's accounts: :func:`start` gives the address to send the browser to and
what to remember; :func:`complete` turns the provider's answer into an :class:`Identity`, or
raises :class:`OidcFailed` (a reason for the journal, never shown as such).
"""

from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from virage_oidc.config import OidcConfig

#: Signature algorithms accepted for ID tokens (never ``none``, never a symmetric one).
ALGORITHMS = ["RS256", "PS256", "ES256", "RS384", "RS512", "PS384", "PS512", "ES384", "EdDSA"]
CACHE_SECONDS = 3600
LEEWAY = 60  # seconds of clock drift tolerated on exp / iat


class OidcFailed(Exception):
    """The provider's answer cannot be trusted or used; ``str()`` is the reason (journal)."""


@dataclass(frozen=True)
class Pending:
    state: str
    nonce: str
    verifier: str


@dataclass(frozen=True)
class Identity:
    identifier: str
    """The value of the configured claim (``SubjectNameID`` for Pro Santé Connect)."""
    subject: str
    acr: str | None
    claims: dict[str, Any] = field(default_factory=dict)


_cache: dict[str, tuple[float, Any]] = {}
_lock = threading.Lock()


def _session(cfg: OidcConfig, **kwargs: Any) -> OAuth2Session:
    session = OAuth2Session(
        cfg.client_id,
        cfg.client_secret or None,
        scope=cfg.scopes,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic" if cfg.client_secret else "none",
        **kwargs,
    )
    session.timeout = cfg.timeout
    return session


def _get_json(cfg: OidcConfig, url: str) -> Any:
    with _session(cfg) as session:
        response = session.get(url, timeout=cfg.timeout, withhold_token=True)
    if response.status_code != 200:
        raise OidcFailed(f"{url} a répondu {response.status_code}")
    return response.json()


def _cached(key: str, load, refresh: bool = False) -> Any:
    with _lock:
        hit = _cache.get(key)
    if hit and not refresh and hit[0] > time.monotonic():
        return hit[1]
    value = load()
    with _lock:
        _cache[key] = (time.monotonic() + CACHE_SECONDS, value)
    return value


def metadata(cfg: OidcConfig) -> dict[str, Any]:
    """The provider's discovery document (cached an hour); its issuer must be the configured one."""

    def load() -> dict[str, Any]:
        doc = _get_json(cfg, cfg.issuer + "/.well-known/openid-configuration")
        if doc.get("issuer", "").rstrip("/") != cfg.issuer:
            raise OidcFailed(f"le document de découverte annonce l'émetteur {doc.get('issuer')!r}")
        return doc

    return _cached("meta:" + cfg.issuer, load)


def _keys(cfg: OidcConfig, refresh: bool = False) -> KeySet:
    uri = metadata(cfg)["jwks_uri"]
    return _cached("jwks:" + uri, lambda: KeySet.import_key_set(_get_json(cfg, uri)), refresh)


def start(cfg: OidcConfig, redirect_uri: str) -> tuple[str, Pending]:
    """The provider's authorization address for this browser, and what to keep until it returns."""
    pending = Pending(generate_token(32), generate_token(32), generate_token(64))
    extra = {"nonce": pending.nonce}
    if cfg.acr_values:
        extra["acr_values"] = cfg.acr_values
    with _session(cfg, redirect_uri=redirect_uri) as session:
        url, _ = session.create_authorization_url(
            metadata(cfg)["authorization_endpoint"],
            state=pending.state,
            code_verifier=pending.verifier,
            **extra,
        )
    return url, pending


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


def _decode(cfg: OidcConfig, id_token: str) -> dict[str, Any]:
    try:
        try:
            token = jwt.decode(id_token, _keys(cfg), algorithms=ALGORITHMS)
        except JoseError:
            # A key the provider has just rotated in: read its keys again, once.
            token = jwt.decode(id_token, _keys(cfg, refresh=True), algorithms=ALGORITHMS)
    except (JoseError, ValueError) as exc:
        raise OidcFailed(f"signature du jeton d'identité invalide ({exc})") from None
    return dict(token.claims)


def _check_claims(cfg: OidcConfig, claims: dict[str, Any], nonce: str) -> None:
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": cfg.issuer},
        sub={"essential": True},
        aud={"essential": True, "value": cfg.client_id},
        exp={"essential": True},
        iat={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise OidcFailed(f"jeton d'identité refusé ({exc.error}: {exc.description})") from None
    audience = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audience) > 1 and claims.get("azp") != cfg.client_id:
        raise OidcFailed("jeton d'identité destiné à plusieurs clients sans azp")
    if not same(claims.get("nonce"), nonce):
        raise OidcFailed("nonce du jeton d'identité différent de celui envoyé")


def complete(cfg: OidcConfig, redirect_uri: str, pending: Pending, code: str) -> Identity:
    """Exchange the code (with the PKCE verifier), check the ID token, read the identity claim
    from it or from the userinfo endpoint (whose ``sub`` must be the token's)."""
    meta = metadata(cfg)
    with _session(cfg, redirect_uri=redirect_uri) as session:
        try:
            token = session.fetch_token(
                meta["token_endpoint"], code=code, code_verifier=pending.verifier
            )
        except Exception as exc:  # the library raises several kinds; all mean "no token"
            raise OidcFailed(f"échange du code refusé ({exc})") from None
        id_token = token.get("id_token")
        if not id_token:
            raise OidcFailed("pas de jeton d'identité dans la réponse")
        claims = _decode(cfg, id_token)
        _check_claims(cfg, claims, pending.nonce)
        if cfg.claim not in claims and meta.get("userinfo_endpoint"):
            response = session.get(meta["userinfo_endpoint"], timeout=cfg.timeout)
            if response.status_code != 200:
                raise OidcFailed(f"userinfo a répondu {response.status_code}")
            info = response.json()
            if not same(info.get("sub"), claims["sub"]):
                raise OidcFailed("userinfo ne parle pas de la même personne (sub)")
            claims = {**info, **claims}
    identifier = claims.get(cfg.claim)
    if not isinstance(identifier, str) or not identifier.strip():
        raise OidcFailed(f"la revendication {cfg.claim} manque")
    acr = claims.get("acr")
    return Identity(identifier.strip(), str(claims["sub"]), acr if isinstance(acr, str) else None,
                    claims)  # fmt: skip

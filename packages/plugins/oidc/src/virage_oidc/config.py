"""The plugin's settings, read from ``VIRAGE_OIDC_*`` environment variables at each use.

Nothing is offered while ``VIRAGE_OIDC_ISSUER`` or ``VIRAGE_OIDC_CLIENT_ID`` is missing. Two
profiles:

- ``psc`` (default): Pro Santé Connect. Scopes ``openid scope_all``; the person is known by the
  claim ``SubjectNameID`` (her national identifier, « 8 » followed by her RPPS number), read from
  the ID token or, as Pro Santé Connect sends it, from the userinfo endpoint; ``acr_values``
  ``eidas1``, and an ``acr`` among the strong values counts as the second factor (the provider
  accepts only the CPS card and the e-CPS app, each a possession and a code).
- ``generic``: any OpenID Connect provider. Scopes ``openid``; the person is known by ``sub``; no
  ``acr`` counts as strong unless ``VIRAGE_OIDC_STRONG_ACR`` lists some.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

PROFILES = {
    "psc": {
        "scopes": "openid scope_all",
        "claim": "SubjectNameID",
        "acr_values": "eidas1",
        "strong_acr": "eidas1",
        "label": "Se connecter avec Pro Santé Connect",
        "hint": "Carte CPS ou application e-CPS.",
    },
    "generic": {
        "scopes": "openid",
        "claim": "sub",
        "acr_values": "",
        "strong_acr": "",
        "label": "Se connecter avec le compte de l'établissement",
        "hint": "",
    },
}


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str
    profile: str
    scopes: str
    claim: str
    acr_values: str
    strong_acr: frozenset[str]
    label: str
    hint: str
    redirect_uri: str
    """Empty: built from the request (``…/connexion/oidc/retour``)."""
    timeout: float

    @property
    def is_psc(self) -> bool:
        return self.profile == "psc"


def _split(raw: str) -> frozenset[str]:
    return frozenset(raw.replace(",", " ").split())


def load(environ: Mapping[str, str] | None = None) -> OidcConfig | None:
    """The configuration, or ``None`` when single sign-on is not set up."""
    env = os.environ if environ is None else environ
    issuer = env.get("VIRAGE_OIDC_ISSUER", "").strip().rstrip("/")
    client_id = env.get("VIRAGE_OIDC_CLIENT_ID", "").strip()
    if not issuer or not client_id:
        return None
    profile = env.get("VIRAGE_OIDC_PROFILE", "psc").strip().lower() or "psc"
    if profile not in PROFILES:
        profile = "generic"
    base = PROFILES[profile]

    def get(name: str, key: str) -> str:
        raw = env.get(name)
        return base[key] if raw is None else raw.strip()

    return OidcConfig(
        issuer=issuer,
        client_id=client_id,
        client_secret=env.get("VIRAGE_OIDC_CLIENT_SECRET", "").strip(),
        profile=profile,
        scopes=get("VIRAGE_OIDC_SCOPES", "scopes") or "openid",
        claim=get("VIRAGE_OIDC_IDENTITY_CLAIM", "claim") or "sub",
        acr_values=get("VIRAGE_OIDC_ACR_VALUES", "acr_values"),
        strong_acr=_split(get("VIRAGE_OIDC_STRONG_ACR", "strong_acr")),
        label=get("VIRAGE_OIDC_LABEL", "label") or base["label"],
        hint=get("VIRAGE_OIDC_HINT", "hint"),
        redirect_uri=env.get("VIRAGE_OIDC_REDIRECT_URI", "").strip(),
        timeout=float(env.get("VIRAGE_OIDC_TIMEOUT", "10") or 10),
    )

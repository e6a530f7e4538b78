"""Helpers of the single sign-on tests: the provider's accounts and a browser that logs in
through the provider's form."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from virage.sdk import directory

ROOT = Path(__file__).resolve().parents[4]
CACHE = ROOT / ".cache" / "oidc-provider"
SCRIPT = Path(__file__).parent / "provider" / "provider.mjs"
CLIENT_ID = "virage-test"
CLIENT_SECRET = "secret-du-client-de-test-assez-long-0123456789"
REDIRECT_URI = "http://localhost:8000/connexion/oidc/retour"
OIDC_PROVIDER_VERSION = "9"


def rpps(body: str) -> str:
    return body + directory.luhn_key(body)


#: The provider's test accounts: login → (RPPS number, acr). « eidas1 »: e-CPS / CPS card.
ACCOUNTS = {
    "infirmiere-ecps": (rpps("1000000001"), "eidas1"),
    "infirmiere-sans-acr": (rpps("1000000002"), None),
    "inconnue": (rpps("1000000003"), "eidas1"),
    "desactivee": (rpps("1000000004"), "eidas1"),
}


@dataclass(frozen=True)
class RunningProvider:
    issuer: str

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "VIRAGE_OIDC_ISSUER": self.issuer,
            "VIRAGE_OIDC_CLIENT_ID": CLIENT_ID,
            "VIRAGE_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "VIRAGE_OIDC_PROFILE": "psc",
            "VIRAGE_OIDC_REDIRECT_URI": REDIRECT_URI,
            **extra,
        }


def through_provider(client, login: str, *, before_return=None):
    """Click the log-in page's button, log in at the provider as ``login``, and come back: the
    answer of Virage's return page (not followed)."""
    start = client.get("/connexion/oidc?suivant=/moi", follow_redirects=False)
    assert start.status_code == 303, start.text
    url = start.headers["location"]
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        for _ in range(10):
            if url.startswith(REDIRECT_URI.rsplit("/connexion", 1)[0]):
                break
            answer = browser.get(url)
            if answer.status_code == 200 and "/login" in answer.text:
                action = urljoin(url, f"{urlsplit(url).path}/login")
                answer = browser.post(action, data={"login": login})
            assert answer.status_code in (302, 303), answer.text
            url = urljoin(url, answer.headers["location"])
        else:  # pragma: no cover - the provider looped
            raise AssertionError(url)
    if before_return is not None:
        url = before_return(url)
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}", follow_redirects=False)

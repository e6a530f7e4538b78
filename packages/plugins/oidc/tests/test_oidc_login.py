"""Log-in through a real OpenID Connect provider (oidc-provider on 127.0.0.1), Pro Santé Connect
profile: a linked account logs in; an identity linked to no account, a deactivated account, a
wrong or replayed state, another nonce, a tampered ID token are refused; no account is created."""

from __future__ import annotations

from html import unescape

from litestar.testing import TestClient
from oidc_helpers import ACCOUNTS, through_provider
from virage_oidc import storage

from virage.sdk import audit, transaction
from virage.sdk.testing import SESSION_COOKIE, create_app, open_database


def _link(world, username: str, login: str) -> None:
    db = open_database(world.settings)
    with transaction(db):
        storage.add_link(db, world.users[username], _issuer(), "8" + ACCOUNTS[login][0],
                         world.users["admin"])  # fmt: skip
    db.close()


def _issuer() -> str:
    import os

    return os.environ["VIRAGE_OIDC_ISSUER"]


def _count_users(world) -> int:
    db = open_database(world.settings)
    try:
        return db.fetch_one("SELECT COUNT(*) AS n FROM users")["n"]
    finally:
        db.close()


def test_the_login_page_offers_pro_sante_connect_next_to_the_password(sso, client):
    page = client.get("/connexion")
    assert "Se connecter avec Pro Santé Connect" in page.text
    assert 'name="password"' in page.text  # the password stays


def test_without_settings_no_button(client, monkeypatch):
    monkeypatch.delenv("VIRAGE_OIDC_ISSUER", raising=False)
    assert "Pro Santé Connect" not in client.get("/connexion").text


def test_a_linked_account_logs_in_with_e_cps_as_after_a_password(sso, world, client):
    _link(world, "nurse_a", "infirmiere-ecps")
    answer = through_provider(client, "infirmiere-ecps")
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/moi"  # e-CPS counts as the second factor
    assert answer.cookies.get(SESSION_COOKIE) or client.cookies.get(SESSION_COOKIE)
    me = client.get("/moi")
    assert me.status_code == 200 and "nurse a" in me.text
    db = open_database(world.settings)
    entries = audit.for_actor(db, world.users["nurse_a"])
    db.close()
    login = next(e for e in entries if e["action"] == "accounts.login")
    assert '"methode": "oidc"' in login["details"] and "eidas1" in login["details"]


def test_without_a_strong_acr_the_structure_second_factor_applies(sso, world, client):
    _link(world, "nurse2_a", "infirmiere-sans-acr")
    answer = through_provider(client, "infirmiere-sans-acr")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/connexion/second-facteur"
    assert not client.cookies.get(SESSION_COOKIE)
    assert client.get("/moi", follow_redirects=False).status_code in (302, 303, 401)


def test_an_identity_linked_to_no_account_is_refused_and_no_account_created(sso, world, client):
    before = _count_users(world)
    answer = through_provider(client, "inconnue")
    assert answer.status_code == 403
    assert "n'est reliée à aucun compte Virage" in unescape(answer.text)
    assert "Demandez à la direction de votre structure" in unescape(answer.text)
    assert not client.cookies.get(SESSION_COOKIE)
    assert _count_users(world) == before
    db = open_database(world.settings)
    refused = db.fetch_all("SELECT details FROM audit_log WHERE action = 'oidc.login'")
    db.close()
    assert any("8" + ACCOUNTS["inconnue"][0] in r["details"] for r in refused)


def test_a_deactivated_account_is_refused(sso, world, client):
    _link(world, "care_a", "desactivee")
    db = open_database(world.settings)
    with transaction(db):
        db.execute("UPDATE users SET active = 0 WHERE id = ?", [world.users["care_a"]])
    db.close()
    answer = through_provider(client, "desactivee")
    assert answer.status_code == 403
    assert "désactivé" in unescape(answer.text)
    assert not client.cookies.get(SESSION_COOKIE)


def _with_state(url: str, value: str) -> str:
    import re

    return re.sub(r"state=[^&]+", f"state={value}", url)


def test_another_state_is_refused(sso, world, client):
    _link(world, "nurse_a", "infirmiere-ecps")
    answer = through_provider(
        client, "infirmiere-ecps", before_return=lambda u: _with_state(u, "x")
    )
    assert answer.status_code == 400
    assert "a expiré ou a déjà servi" in unescape(answer.text)
    assert not client.cookies.get(SESSION_COOKIE)


def test_a_replayed_answer_is_refused(sso, world, app):
    _link(world, "nurse_a", "infirmiere-ecps")
    seen = []
    with TestClient(app) as first:
        through_provider(first, "infirmiere-ecps", before_return=lambda u: seen.append(u) or u)
    with TestClient(app) as thief:
        from urllib.parse import urlsplit

        parts = urlsplit(seen[0])
        answer = thief.get(f"{parts.path}?{parts.query}", follow_redirects=False)
    assert answer.status_code == 400
    assert not thief.cookies.get(SESSION_COOKIE)


def test_an_id_token_for_another_nonce_is_refused(sso, world, client):
    _link(world, "nurse_a", "infirmiere-ecps")

    def other_nonce(url: str) -> str:
        db = open_database(world.settings)
        with transaction(db):
            db.execute("UPDATE oidc_pending SET nonce = 'un-autre-nonce'")
        db.close()
        return url

    answer = through_provider(client, "infirmiere-ecps", before_return=other_nonce)
    assert answer.status_code == 401
    assert "n'a pas abouti" in unescape(answer.text)
    assert not client.cookies.get(SESSION_COOKIE)


def test_a_tampered_id_token_is_refused(sso, world, client, monkeypatch):
    from authlib.integrations.requests_client import OAuth2Session

    _link(world, "nurse_a", "infirmiere-ecps")
    real = OAuth2Session.fetch_token

    def tampered(self, *args, **kwargs):
        token = real(self, *args, **kwargs)
        header, payload, signature = token["id_token"].split(".")
        # Another person's identity in the same signed token: the signature no longer matches.
        import base64
        import json

        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["SubjectNameID"] = "8" + ACCOUNTS["infirmiere-sans-acr"][0]
        claims["sub"] = "infirmiere-sans-acr"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        token["id_token"] = f"{header}.{forged}.{signature}"
        return token

    monkeypatch.setattr(OAuth2Session, "fetch_token", tampered)
    answer = through_provider(client, "infirmiere-ecps")
    assert answer.status_code == 401
    assert not client.cookies.get(SESSION_COOKIE)


def test_a_token_for_another_client_is_refused(sso, world, client, monkeypatch):
    """The audience is checked: the same provider, another client id configured in Virage."""
    _link(world, "nurse_a", "infirmiere-ecps")
    from virage_oidc import client as oidc_client

    real = oidc_client._check_claims

    def as_other_client(cfg, claims, nonce):
        import dataclasses

        return real(dataclasses.replace(cfg, client_id="un-autre-client"), claims, nonce)

    monkeypatch.setattr(oidc_client, "_check_claims", as_other_client)
    answer = through_provider(client, "infirmiere-ecps")
    assert answer.status_code == 401
    assert not client.cookies.get(SESSION_COOKIE)


def test_a_new_app_is_not_needed_for_new_settings(sso, world):
    app = create_app(world.settings)
    with TestClient(app) as c:
        assert "Pro Santé Connect" in c.get("/connexion").text

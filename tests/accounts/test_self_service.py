"""« Mon compte »: change my password, see and close my sessions, see and revoke my API tokens."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from tests.accounts.conftest import PASSWORD, bearer, csrf_from, login, password_step
from tests.accounts.sql import query

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
)


def post(client, url: str, data: dict | None = None):
    page = client.get("/moi")
    return client.post(
        url, data={**(data or {}), "_csrf_token": csrf_from(page.text)}, follow_redirects=False
    )


def test_pages_need_a_session(client):
    for url in ("/moi/mot-de-passe", "/moi/sessions", "/moi/jetons"):
        r = client.get(url, follow_redirects=False)
        assert r.status_code in (302, 303, 307) and r.headers["location"].startswith("/connexion")


def test_change_my_password_closes_my_other_sessions(app, world):
    with TestClient(app) as here, TestClient(app) as elsewhere:
        login(here, "nurse_a")
        login(elsewhere, "nurse_a")
        r = post(
            here,
            "/moi/mot-de-passe",
            {
                "current": "faux-mot-de-passe",
                "new": "nouveau-mot-de-passe",
                "confirm": "nouveau-mot-de-passe",
            },
        )
        assert r.status_code == 400 and "actuel n" in r.text
        r = post(
            here,
            "/moi/mot-de-passe",
            {"current": PASSWORD, "new": "nouveau-mot-de-passe", "confirm": "autre-chose-encore"},
        )
        assert r.status_code == 400 and "identiques" in r.text
        r = post(
            here, "/moi/mot-de-passe", {"current": PASSWORD, "new": "court", "confirm": "court"}
        )
        assert r.status_code == 400 and "10 caractères" in r.text
        r = post(
            here,
            "/moi/mot-de-passe",
            {"current": PASSWORD, "new": "nouveau-mot-de-passe", "confirm": "nouveau-mot-de-passe"},
        )
        assert r.status_code == 200 and "Votre mot de passe est changé" in r.text
        assert "1 autre session fermée" in r.text
        assert here.get("/moi").status_code == 200  # this session stays
        assert elsewhere.get("/moi", follow_redirects=False).status_code in (302, 303, 307)
        assert password_step(elsewhere, "nurse_a", PASSWORD).status_code == 401
    actions = [a for (a,) in query(world.settings.db_path, "SELECT action FROM audit_log")]
    assert "accounts.password.refused" in actions and "accounts.password.changed" in actions


def test_my_sessions_close_one_or_all_others(app, world):
    with TestClient(app) as here, TestClient(app) as phone, TestClient(app) as third:
        phone.headers["user-agent"] = PHONE
        login(here, "coord_a")
        login(phone, "coord_a")
        login(third, "coord_a")
        assert "Chrome sur Android" in phone.get("/moi/sessions").text
        page = here.get("/moi/sessions")
        assert page.status_code == 200 and "cette session" in page.text
        refs = re.findall(r"/moi/sessions/([0-9a-f]{16})/fermer", page.text)
        assert len(refs) == 2  # the two others; not this one
        phone_ref = next(
            r for r in refs if "Chrome sur Android" in page.text.split(r)[0].rsplit("<li>", 1)[-1]
        )
        assert post(here, f"/moi/sessions/{phone_ref}/fermer").status_code == 303
        assert phone.get("/moi", follow_redirects=False).status_code in (302, 303, 307)
        assert third.get("/moi").status_code == 200
        assert post(here, "/moi/sessions/0123456789abcdef/fermer").status_code == 404
        assert post(here, "/moi/sessions/fermer-les-autres").status_code == 303
        assert third.get("/moi", follow_redirects=False).status_code in (302, 303, 307)
        assert here.get("/moi").status_code == 200


def test_someone_else_cannot_close_my_session(app, world):
    with TestClient(app) as mine, TestClient(app) as other:
        login(mine, "coord_a")
        login(other, "nurse_a")
        ref = re.findall(r"/moi/sessions/([0-9a-f]{16})", mine.get("/moi/sessions").text)
        # Her own page never shows the other's session; guessing its reference finds nothing.
        page = mine.get("/moi/sessions")
        assert "fermer-les-autres" not in page.text and not ref
        for r in re.findall(r"[0-9a-f]{16}", other.get("/moi/sessions").text):
            assert post(mine, f"/moi/sessions/{r}/fermer").status_code in (303, 404)
        assert other.get("/moi").status_code == 200


def test_my_tokens_and_revoking_them(client, world):
    login(client, "nurse_a")
    page = client.get("/moi/jetons")
    assert (
        page.status_code == 200
        and "jeton nurse_a" in page.text
        and "jeton nurse2_a" not in page.text
    )
    (token_id,) = query(
        world.settings.db_path, "SELECT id FROM api_tokens WHERE name = 'jeton nurse_a'"
    )[0]
    (other_id,) = query(
        world.settings.db_path, "SELECT id FROM api_tokens WHERE name = 'jeton nurse2_a'"
    )[0]
    assert post(client, f"/moi/jetons/{other_id}/revoquer").status_code == 404
    assert client.get("/api/v1/me", headers=bearer(world, "nurse2_a")).status_code == 200
    assert post(client, f"/moi/jetons/{token_id}/revoquer").status_code == 303
    assert client.get("/api/v1/me", headers=bearer(world, "nurse_a")).status_code == 401
    assert post(client, f"/moi/jetons/{token_id}/revoquer").status_code == 409
    assert "révoqué le" in client.get("/moi/jetons").text

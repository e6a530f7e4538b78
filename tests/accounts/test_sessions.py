"""Sessions, CSRF, tokens, brute force: the ways in, and how they are closed."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from tests.accounts.conftest import PASSWORD, bearer, csrf_from, login, password_step
from tests.accounts.soft_key import give_key_answer
from virage.accounts import service
from virage.cli import main
from virage.db import connect


def test_login_logout(client, world):
    r = login(client, "nurse_a")
    assert r.status_code == 303 and r.headers["location"] == "/moi"
    cookie = r.headers["set-cookie"]
    assert "virage_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    page = client.get("/moi")
    assert page.status_code == 200 and "SSIAD A" in page.text
    r = client.post(
        "/deconnexion", data={"_csrf_token": csrf_from(page.text)}, follow_redirects=False
    )
    assert r.status_code == 303
    r = client.get("/moi", follow_redirects=False)
    assert r.status_code in (302, 303, 307) and r.headers["location"].startswith("/connexion")


def test_pages_require_login_and_redirect_back(client):
    r = client.get("/moi/enregistrements", follow_redirects=False)
    assert r.headers["location"].startswith("/connexion?suivant=/moi/enregistrements")


def test_wrong_password_is_a_clear_message(client, world):
    r = login(client, "nurse_a", "mauvais-mot-de-passe")
    assert r.status_code == 401
    assert "Identifiant ou mot de passe incorrect" in r.text


def test_brute_force_is_rate_limited(client, world):
    for _ in range(5):
        assert login(client, "coord_a", "essai-au-hasard").status_code == 401
    r = login(client, "coord_a", PASSWORD)  # even the right password is refused for a while
    assert r.status_code == 429
    assert "Trop de tentatives" in r.text
    # another account is not blocked
    assert login(client, "nurse_a").status_code == 303


def test_forged_form_without_csrf_is_refused(client, world):
    login(client, "coord_a")
    p1 = world.persons["p1"]
    r = client.post(f"/personnes/{p1}/equipe", data={"user_id": world.users["nurse2_a"]})
    assert r.status_code == 403
    assert "formulaire" in r.text
    db = connect(world.settings.db_path)
    assert (
        db.execute(
            "SELECT count(*) FROM care_team WHERE user_id = ?", [world.users["nurse2_a"]]
        ).fetchone()[0]
        == 0
    )


def test_login_form_without_csrf_is_refused(client, world):
    r = client.post("/connexion", data={"username": "nurse_a", "password": PASSWORD})
    assert r.status_code == 403


def test_expired_session(client, world):
    login(client, "nurse_a")
    db = connect(world.settings.db_path)
    db.execute("UPDATE sessions SET expires_at = '2000-01-01T00:00:00+00:00'")
    r = client.get("/moi", follow_redirects=False)
    assert r.headers["location"].startswith("/connexion")
    assert "expir" in r.headers["location"]


def test_session_cookie_is_ignored_by_the_api(client, world):
    login(client, "coord_a")
    r = client.get(f"/api/v1/persons/{world.persons['p1']}")
    assert r.status_code == 401
    assert "Bearer" in r.json()["detail"]


def test_revoked_token(client, world, monkeypatch, capsys):
    headers = bearer(world, "nurse_a")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    db = connect(world.settings.db_path)
    token_id = db.execute("SELECT id FROM api_tokens WHERE name = 'jeton nurse_a'").fetchone()[0]
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    assert main(["tokens", "revoke", str(token_id)]) == 0
    r = client.get("/api/v1/me", headers=headers)
    assert r.status_code == 401 and "révoqué" in r.json()["detail"]
    assert main(["tokens", "revoke", str(token_id)]) == 1
    assert "déjà révoqué" in capsys.readouterr().err


def test_token_acts_in_its_structure_only(client, world):
    db = connect(world.settings.db_path)
    # coord_a also joins structure B; its token for A must still not reach B's persons
    db.execute(
        "INSERT INTO memberships VALUES (?, ?, 'coordinator', '2026-01-01')",
        [world.users["coord_a"], world.structures["b"]],
    )
    r = client.get(f"/api/v1/persons/{world.persons['p2']}", headers=bearer(world, "coord_a"))
    assert r.status_code == 404


def test_sessions_and_tokens_stored_hashed(client, world):
    login(client, "nurse_a")
    db = connect(world.settings.db_path)
    stored = [r[0] for r in db.execute("SELECT id FROM sessions")]
    cookie = client.cookies.get("virage_session")
    assert cookie not in stored and service.hash_secret(cookie) in stored
    assert not db.execute(
        "SELECT 1 FROM api_tokens WHERE token_hash = ?", [world.tokens["nurse_a"]]
    ).fetchone()


def test_passwords_hashed_with_argon2(world):
    db = connect(world.settings.db_path)
    h = db.execute("SELECT password_hash FROM users WHERE username = 'nurse_a'").fetchone()[0]
    assert h.startswith("$argon2")


def test_cli_users_and_tokens(world, monkeypatch, capsys):
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    assert (
        main(
            [
                "users",
                "create",
                "--username",
                "nouvelle",
                "--name",
                "Nouvelle IDE",
                "--password",
                "un-mot-de-passe-long",
                "--structure",
                "SSIAD A",
                "--role",
                "nurse",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "users",
                "create",
                "--username",
                "nouvelle",
                "--name",
                "X",
                "--password",
                "un-mot-de-passe-long",
            ]
        )
        == 1
    )
    assert "déjà pris" in capsys.readouterr().err
    assert (
        main(["users", "create", "--username", "court", "--name", "X", "--password", "court"]) == 1
    )
    assert "10 caractères" in capsys.readouterr().err
    assert (
        main(
            [
                "tokens",
                "create",
                "--user",
                "nouvelle",
                "--structure",
                "SSIAD A",
                "--name",
                "logiciel",
            ]
        )
        == 0
    )
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert secret.startswith("vrg_")
    assert main(["structures", "list"]) == 0
    assert (
        main(["tokens", "create", "--user", "nouvelle", "--structure", "EHPAD B", "--name", "x"])
        == 1
    )
    assert "n'appartient pas" in capsys.readouterr().err


@pytest.mark.parametrize(
    "path", ["/moi", "/structures/1/personnes", "/personnes/1", "/structures/1/journal"]
)
def test_anonymous_never_sees_personal_pages(client, path):
    r = client.get(path, follow_redirects=False)
    assert r.status_code in (302, 303, 307)


def test_open_redirect_refused(client, world):
    # Kept through the second step: the session opens on a local page only.
    r = password_step(client, "nurse_a", suivant="//evil.example")
    assert r.headers["location"] == "/connexion/second-facteur"
    assert (
        give_key_answer(client, "nurse_a").headers["location"] == "/"
    )  # the home by role, never the offered address


def test_client_for_unknown_structure_page(client, world):
    login(client, "nurse_b")
    r = client.get(f"/structures/{world.structures['a']}/personnes")
    assert r.status_code == 404


def test_fresh_app_for_each_test(app):
    with TestClient(app) as c:
        assert c.get("/healthz").status_code == 200


def test_password_reset_lifts_the_suspension_and_closes_sessions(
    client, world, monkeypatch, capsys
):
    assert login(client, "nurse_a").status_code == 303
    other = TestClient(client.app)
    with other:
        for _ in range(5):
            login(other, "nurse_a", "essai-au-hasard")
        assert login(other, "nurse_a").status_code == 429
        monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
        assert main(["users", "password", "nurse_a", "--password", "nouveau-mot-de-passe"]) == 0
        assert "réinitialisé" in capsys.readouterr().out
        assert client.get("/moi", follow_redirects=False).status_code in (302, 303, 307)
        assert login(other, "nurse_a", "nouveau-mot-de-passe").status_code == 303
    assert main(["users", "password", "inconnu", "--password", "nouveau-mot-de-passe"]) == 1

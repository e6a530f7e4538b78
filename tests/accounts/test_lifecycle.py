"""The account life cycle through the pages: invitation, one-time links, deactivation,
reactivation, password reset; and what each of them refuses."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from tests.accounts.conftest import PASSWORD, bearer, csrf_from, login, password_step
from tests.accounts.soft_key import give_key
from tests.accounts.sql import query
from virage.db import connect

NEW_PASSWORD = "un-mot-de-passe-choisi"


def post_form(client, page_url: str, url: str, data: dict, **kwargs):
    page = client.get(page_url)
    return client.post(url, data={**data, "_csrf_token": csrf_from(page.text)}, **kwargs)


def invite(client, **fields):
    data = {
        "username": "lea.martin",
        "display_name": "Léa Martin",
        "structure_id": "1",
        "role": "nurse",
        "email": "",
        "profession": "Infirmière",
        "rpps": "",
        **fields,
    }
    return post_form(
        client, "/administration/comptes/inviter", "/administration/comptes/inviter", data
    )


def link_in(html: str) -> str:
    match = re.search(
        r'<code id="link-url">[^<]*?(/(?:invitation|mot-de-passe)/[^<]+)</code>', html
    )
    assert match, "no link in the page"
    return match.group(1)


def choose(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    page = client.get(path)
    if "_csrf_token" not in page.text:  # no form on a dead link: take the token elsewhere
        page = client.get("/connexion")
    return client.post(
        path,
        data={
            "password": password,
            "confirm": password if confirm is None else confirm,
            "_csrf_token": csrf_from(page.text),
        },
    )


def user_id(world, username: str) -> int:
    return query(world.settings.db_path, "SELECT id FROM users WHERE username = ?", [username])[0][
        0
    ]


def test_admin_invites_and_the_person_chooses_her_password(app, world):
    with TestClient(app) as admin:
        login(admin, "admin")
        r = invite(admin, structure_id=str(world.structures["a"]))
        assert r.status_code == 200, r.text
        assert "Invitation de Léa Martin" in r.text
        path = link_in(r.text)
        assert "no-store" in r.headers["cache-control"]
    uid = user_id(world, "lea.martin")
    # No password yet: nothing typed can open the account, not even the dummy timing password.
    with TestClient(app) as lea:
        assert (
            password_step(lea, "lea.martin", "not-a-real-password-only-for-timing").status_code
            == 401
        )
        page = lea.get(path)
        assert page.status_code == 200 and "Bienvenue" in page.text and "lea.martin" in page.text
        assert page.headers["referrer-policy"] in ("no-referrer", "same-origin")
        assert "no-store" in page.headers["cache-control"]
        r = choose(lea, path, "court")
        assert r.status_code == 400 and "10 caractères" in r.text
        r = choose(lea, path, NEW_PASSWORD, "autre-mot-de-passe")
        assert r.status_code == 400 and "identiques" in r.text
        r = choose(lea, path)
        assert r.status_code == 200 and "Votre mot de passe est enregistré" in r.text
        # The link served once.
        again = lea.get(path)
        assert again.status_code == 404 and "pas ou plus valable" in again.text
        assert choose(lea, path, "encore-un-autre-mot").status_code == 404
        db = connect(world.settings.db_path)
        give_key(db, uid, "lea.martin")
        db.close()
        r = login(lea, "lea.martin", NEW_PASSWORD)
        assert r.status_code == 303, r.text
        assert lea.get("/moi").status_code in (200, 303)
    actions = [a for (a,) in query(world.settings.db_path, "SELECT action FROM audit_log")]
    assert "accounts.invited" in actions and "accounts.link.used" in actions
    assert "accounts.link.refused" in actions


def test_unknown_and_expired_links_say_the_same_thing(app, world):
    with TestClient(app) as admin:
        login(admin, "admin")
        path = link_in(invite(admin, structure_id=str(world.structures["a"])).text)
    query(
        world.settings.db_path, "UPDATE account_links SET expires_at = '2000-01-01T00:00:00+00:00'"
    )
    with TestClient(app) as c:
        expired = c.get(path)
        unknown = c.get("/invitation/" + "x" * 43)
        wrong_purpose = c.get(path.replace("/invitation/", "/mot-de-passe/"))
        huge = c.get("/invitation/" + "y" * 5000)
        for r in (expired, unknown, wrong_purpose):
            assert r.status_code == 404
            assert "pas ou plus valable" in r.text and "Léa" not in r.text
        assert huge.status_code in (404, 414)


def test_a_new_link_replaces_the_old_one(app, world):
    with TestClient(app) as admin:
        login(admin, "admin")
        first = link_in(invite(admin, structure_id=str(world.structures["a"])).text)
        uid = user_id(world, "lea.martin")
        r = post_form(
            admin, f"/administration/comptes/{uid}", f"/administration/comptes/{uid}/lien", {}
        )
        assert r.status_code == 200 and "Invitation de" in r.text  # still an invitation
        second = link_in(r.text)
    with TestClient(app) as c:
        assert c.get(first).status_code == 404
        assert c.get(second).status_code == 200


def test_reset_link_closes_sessions_and_sets_the_new_password(app, world):
    uid = world.users["nurse_a"]
    with TestClient(app) as nurse, TestClient(app) as director:
        login(nurse, "nurse_a")
        assert nurse.get("/moi").status_code == 200
        login(director, "director_a")
        r = post_form(
            director, f"/administration/comptes/{uid}", f"/administration/comptes/{uid}/lien", {}
        )
        assert r.status_code == 200 and "Nouveau mot de passe pour" in r.text
        path = link_in(r.text)
        assert path.startswith("/mot-de-passe/")
        with TestClient(app) as phone:
            assert choose(phone, path).status_code == 200
        # Her open session died with the old password.
        assert nurse.get("/moi", follow_redirects=False).status_code in (302, 303, 307, 401)
        assert password_step(nurse, "nurse_a", PASSWORD).status_code == 401
        assert login(nurse, "nurse_a", NEW_PASSWORD).status_code == 303


def test_deactivation_kills_sessions_and_tokens_and_keeps_history(app, world):
    uid = world.users["nurse_a"]
    with TestClient(app) as nurse, TestClient(app) as director:
        login(nurse, "nurse_a")
        assert nurse.get("/moi").status_code == 200
        assert nurse.get("/api/v1/me", headers=bearer(world, "nurse_a")).status_code == 200
        login(director, "director_a")
        r = post_form(
            director,
            f"/administration/comptes/{uid}",
            f"/administration/comptes/{uid}/desactiver",
            {},
            follow_redirects=False,
        )
        assert r.status_code == 303
        page = director.get(r.headers["location"])
        assert "Compte désactivé" in page.text
        # The open session is refused at the next click, the token answers 401.
        r = nurse.get("/moi", follow_redirects=False)
        assert r.status_code in (302, 303, 307) and r.headers["location"].startswith("/connexion")
        assert nurse.get("/api/v1/me", headers=bearer(world, "nurse_a")).status_code == 401
        # Log-in: the clear sentence only for whoever knows the password.
        r = password_step(nurse, "nurse_a", PASSWORD)
        assert r.status_code == 401 and "a été désactivé le" in r.text
        r = password_step(nurse, "nurse_a", "pas-le-bon-mot-de-passe")
        assert r.status_code == 401 and "désactivé" not in r.text
        assert "Identifiant ou mot de passe incorrect" in r.text
    rows = query(
        world.settings.db_path, "SELECT active, deactivated_by FROM users WHERE id = ?", [uid]
    )
    assert rows == [(0, world.users["director_a"])]
    # Nothing deleted: she is still in the care team she was in, the row is there.
    assert (
        query(world.settings.db_path, "SELECT count(*) FROM care_team WHERE user_id = ?", [uid])[0][
            0
        ]
        == 1
    )


def test_reactivation_lets_her_back_with_her_password(app, world):
    uid = world.users["care_a"]
    with TestClient(app) as director:
        login(director, "director_a")
        base = f"/administration/comptes/{uid}"
        post_form(director, base, f"{base}/desactiver", {})
        r = post_form(director, base, f"{base}/reactiver", {}, follow_redirects=False)
        assert r.status_code == 303
    with TestClient(app) as care:
        assert login(care, "care_a").status_code == 303
    # Her tokens stay revoked.
    assert (
        query(
            world.settings.db_path,
            "SELECT count(*) FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL",
            [uid],
        )[0][0]
        == 0
    )

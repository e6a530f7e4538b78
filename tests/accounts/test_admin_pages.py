"""The account administration pages, tried by every role: who may, who may not, and what a
director of one structure can do to accounts of another (nothing)."""

from __future__ import annotations

import html

import pytest
from litestar.testing import TestClient

from tests.accounts.conftest import bearer, csrf_from, login
from tests.accounts.sql import query

BASE = "/administration/comptes"


def post(client, url: str, data: dict | None = None):
    page = client.get("/moi")
    return client.post(
        url, data={**(data or {}), "_csrf_token": csrf_from(page.text)}, follow_redirects=False
    )


def audit_actions(world, outcome: str = "denied") -> list[str]:
    return [
        a
        for (a,) in query(
            world.settings.db_path, "SELECT action FROM audit_log WHERE outcome = ?", [outcome]
        )
    ]


def test_anonymous_is_sent_to_log_in(client, world):
    for url in (BASE, f"{BASE}/inviter", f"{BASE}/import", f"{BASE}/{world.users['nurse_a']}"):
        r = client.get(url, follow_redirects=False)
        assert r.status_code in (302, 303, 307) and r.headers["location"].startswith("/connexion")


def test_a_token_opens_no_administration_page(client, world):
    r = client.get(BASE, headers=bearer(world, "director_a"), follow_redirects=False)
    assert r.status_code in (302, 303, 307)  # tokens only work on /api/


@pytest.mark.parametrize("user", ["nurse_a", "secretary_a", "coord_a", "dpo_a", "nurse_b"])
def test_other_roles_are_refused(client, world, user):
    login(client, user)
    for url in (BASE, f"{BASE}/inviter", f"{BASE}/import", f"{BASE}/{world.users['care_a']}"):
        r = client.get(url)
        assert r.status_code == 403, url
        assert "la direction des structures" in r.text
    target = world.users["care_a"]
    for action in ("desactiver", "lien", "reactiver"):
        assert post(client, f"{BASE}/{target}/{action}").status_code == 403
    r = post(
        client,
        f"{BASE}/inviter",
        {"username": "intrus", "display_name": "Intrus", "structure_id": "1", "role": "director"},
    )
    assert r.status_code == 403
    assert query(
        world.settings.db_path, "SELECT count(*) FROM users WHERE username = 'intrus'"
    ) == [(0,)]
    assert query(world.settings.db_path, "SELECT active FROM users WHERE id = ?", [target]) == [
        (1,)
    ]
    assert "accounts.manage" in audit_actions(world)


def test_director_sees_only_her_structures(client, world):
    login(client, "director_a")
    page = client.get(BASE + "?etat=tous")
    assert page.status_code == 200
    assert "nurse a" in page.text and "nurse b" not in page.text
    assert "Admin réseau" not in page.text
    # Another structure's account, or the network administrator's: « introuvable ».
    for name in ("nurse_b", "coord_b", "admin"):
        uid = world.users[name]
        assert client.get(f"{BASE}/{uid}").status_code == 404
        for action in ("desactiver", "lien"):
            assert post(client, f"{BASE}/{uid}/{action}").status_code == 404
    assert client.get(f"{BASE}/999999").status_code == 404
    # Filters on another structure are refused the same way.
    assert client.get(f"{BASE}?structure={world.structures['b']}").status_code == 404


def test_director_cannot_grant_roles_elsewhere_nor_touch_herself(client, world):
    login(client, "director_a")
    a, b = world.structures["a"], world.structures["b"]
    nurse = world.users["nurse_a"]
    r = post(client, f"{BASE}/{nurse}/structures", {"structure_id": str(b), "role": "nurse"})
    assert r.status_code == 404
    r = post(
        client,
        f"{BASE}/inviter",
        {"username": "x.y", "display_name": "X Y", "structure_id": str(b), "role": "nurse"},
    )
    assert r.status_code == 404
    me = world.users["director_a"]
    assert post(client, f"{BASE}/{me}/desactiver").status_code == 403
    r = post(client, f"{BASE}/{me}/structures/{a}/role", {"role": "nurse"})
    assert r.status_code == 403
    assert (
        post(client, f"{BASE}/{nurse}/administration-reseau", {"accorder": "oui"}).status_code
        == 403
    )
    assert query(
        world.settings.db_path, "SELECT is_network_admin FROM users WHERE id = ?", [nurse]
    ) == [(0,)]


def test_director_and_an_account_shared_with_another_structure(app, world):
    a = world.structures["a"]
    coord_b = world.users["coord_b"]
    with TestClient(app) as admin:
        login(admin, "admin")
        r = post(admin, f"{BASE}/{coord_b}/structures", {"structure_id": str(a), "role": "nurse"})
        assert r.status_code == 303
    with TestClient(app) as director:
        login(director, "director_a")
        page = director.get(f"{BASE}/{coord_b}")
        assert page.status_code == 200
        assert "SSIAD A" in page.text and "EHPAD B" not in page.text
        assert "1 autre structure" in page.text
        r = post(director, f"{BASE}/{coord_b}/desactiver")
        assert r.status_code == 403 and "Retirez-le plutôt de votre structure" in r.text
        r = post(director, f"{BASE}/{coord_b}/structures/{a}/role", {"role": "care_assistant"})
        assert r.status_code == 303
        r = post(director, f"{BASE}/{coord_b}/structures/{a}/retirer")
        assert r.status_code == 303
        # Once removed, the account is out of her reach.
        assert director.get(f"{BASE}/{coord_b}").status_code == 404
    rows = query(
        world.settings.db_path,
        "SELECT structure_id, role FROM memberships WHERE user_id = ?",
        [coord_b],
    )
    assert rows == [(world.structures["b"], "coordinator")]
    actions = audit_actions(world, "allowed")
    for code in (
        "accounts.membership.added",
        "accounts.membership.role",
        "accounts.membership.removed",
    ):
        assert code in actions


def test_director_manages_her_structure(client, world):
    login(client, "director_a")
    care = world.users["care_a"]
    a = world.structures["a"]
    page = client.get(f"{BASE}/{care}")
    assert page.status_code == 200 and "Envoyer un lien de réinitialisation" in page.text
    assert (
        post(client, f"{BASE}/{care}/structures/{a}/role", {"role": "home_help"}).status_code == 303
    )
    assert query(
        world.settings.db_path, "SELECT role FROM memberships WHERE user_id = ?", [care]
    ) == [("home_help",)]
    r = post(client, f"{BASE}/{care}/structures/{a}/role", {"role": "pape"})
    assert r.status_code == 400 and "Rôle inconnu" in r.text
    r = post(client, f"{BASE}/{care}/structures", {"structure_id": str(a), "role": "nurse"})
    assert r.status_code == 409
    assert post(client, f"{BASE}/{care}/desactiver").status_code == 303
    assert post(client, f"{BASE}/{care}/desactiver").status_code == 409
    page = client.get(f"{BASE}?etat=inactifs")
    assert "care a" in page.text and "désactivé le" in page.text


def test_network_admin_everywhere_but_never_the_last_one(client, world):
    login(client, "admin")
    page = client.get(BASE)
    assert "nurse a" in page.text and "nurse b" in page.text
    page = client.get(f"{BASE}?structure={world.structures['b']}&role=nurse")
    assert "nurse b" in page.text and "coord b" not in page.text and "nurse a" not in page.text
    page = client.get(f"{BASE}?q=COORD")
    assert "coord a" in page.text and "coord b" in page.text and "nurse a" not in page.text
    admin = world.users["admin"]
    assert post(client, f"{BASE}/{admin}/desactiver").status_code == 403  # herself
    nurse = world.users["nurse_a"]
    assert (
        post(client, f"{BASE}/{nurse}/administration-reseau", {"accorder": "oui"}).status_code
        == 303
    )
    assert query(
        world.settings.db_path, "SELECT is_network_admin FROM users WHERE id = ?", [nurse]
    ) == [(1,)]
    # Two network administrators: the other one may go; then the last one stays.
    assert (
        post(client, f"{BASE}/{nurse}/administration-reseau", {"accorder": "non"}).status_code
        == 303
    )
    r = post(client, f"{BASE}/{admin}/administration-reseau", {"accorder": "non"})
    assert r.status_code == 403 and "dernier compte actif" in r.text


def test_forms_without_csrf_are_refused(client, world):
    login(client, "director_a")
    care = world.users["care_a"]
    r = client.post(f"{BASE}/{care}/desactiver", data={}, follow_redirects=False)
    assert r.status_code == 403
    assert query(world.settings.db_path, "SELECT active FROM users WHERE id = ?", [care]) == [(1,)]


def test_invitation_form_errors_are_french_and_keep_the_form(client, world):
    login(client, "director_a")
    a = world.structures["a"]
    cases = [
        ({"username": "nurse_a", "display_name": "Double"}, "déjà pris"),
        ({"username": "a b", "display_name": "Espace"}, "L'identifiant doit compter"),
        ({"username": "ok.name", "display_name": '=HYPERLINK("x")'}, "formule"),
        ({"username": "ok.name", "display_name": "Nom", "email": "pas-un-courriel"}, "courriel"),
        ({"username": "ok.name", "display_name": "Nom", "rpps": "123"}, "11 chiffres"),
    ]
    for fields, message in cases:
        data = {"structure_id": str(a), "role": "nurse", **fields}
        r = post(client, f"{BASE}/inviter", data)
        assert r.status_code in (400, 409) and message in html.unescape(r.text), fields
        assert 'name="display_name"' in r.text
    assert query(
        world.settings.db_path, "SELECT count(*) FROM users WHERE username = 'ok.name'"
    ) == [(0,)]

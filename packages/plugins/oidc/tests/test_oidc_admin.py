"""Linking accounts (``/administration/sso``), by attack: the network administration links any
account, a director the accounts of her structures only; a nurse, a director of another
structure, an anonymous visitor cannot; every link and unlink is in the journal."""

from __future__ import annotations

from html import unescape

import pytest
from oidc_helpers import ACCOUNTS, through_provider

from tests.accounts.conftest import csrf_from
from virage.sdk import transaction
from virage.sdk.testing import SESSION_COOKIE, open_database, signed_in

PAGE = "/administration/sso"


def _as(world, client, username: str):
    db = open_database(world.settings)
    client.cookies.set(SESSION_COOKIE, signed_in(db, username))
    db.close()
    return client


def _post(client, path: str, data: dict | None = None):
    page = client.get(PAGE)
    return client.post(
        path, data={**(data or {}), "_csrf_token": csrf_from(page.text)}, follow_redirects=False
    )


def _links(world) -> list[dict]:
    db = open_database(world.settings)
    try:
        return db.fetch_all("SELECT * FROM oidc_links ORDER BY id")
    finally:
        db.close()


def _journal(world, action: str) -> list[dict]:
    db = open_database(world.settings)
    try:
        return db.fetch_all(
            "SELECT actor_user_id, outcome, details FROM audit_log WHERE action = ?", [action]
        )
    finally:
        db.close()


def test_a_director_links_an_account_of_her_structure_then_the_nurse_logs_in(sso, world, client):
    _as(world, client, "director_a")
    number = ACCOUNTS["infirmiere-ecps"][0]
    answer = _post(
        client, PAGE + "/lier", {"compte": world.users["nurse_a"], "identifiant": number}
    )
    assert answer.status_code == 303, answer.text
    assert [(r["user_id"], r["identifier"]) for r in _links(world)] == [
        (world.users["nurse_a"], "8" + number)
    ]
    assert f"RPPS {number}" in client.get(PAGE).text
    assert any(
        e["actor_user_id"] == world.users["director_a"] for e in _journal(world, "oidc.link")
    )
    client.cookies.clear()
    assert through_provider(client, "infirmiere-ecps").headers["location"] == "/moi"


def test_the_network_administration_links_and_unlinks(sso, world, client):
    _as(world, client, "admin")
    number = ACCOUNTS["infirmiere-ecps"][0]
    assert (
        _post(
            client, PAGE + "/lier", {"compte": world.users["nurse_b"], "identifiant": number}
        ).status_code
        == 303
    )
    link_id = _links(world)[0]["id"]
    assert _post(client, f"{PAGE}/{link_id}/delier").status_code == 303
    assert _links(world) == []
    assert _journal(world, "oidc.unlink")
    client.cookies.clear()
    refused = through_provider(client, "infirmiere-ecps")
    assert refused.status_code == 403  # unlinked: the identity opens nothing any more


def test_an_account_proposed_by_its_rpps_is_linked_only_when_confirmed(sso, world, client):
    number = ACCOUNTS["infirmiere-ecps"][0]
    db = open_database(world.settings)
    with transaction(db):
        db.execute("UPDATE users SET rpps = ? WHERE id = ?", [number, world.users["nurse_a"]])
    db.close()
    _as(world, client, "director_a")
    page = unescape(client.get(PAGE).text)
    assert "Comptes à relier, d'après leur numéro RPPS" in page and f"RPPS {number}" in page
    assert _links(world) == []  # proposed, not linked
    other = ACCOUNTS["inconnue"][0]
    refused = _post(
        client, PAGE + "/lier", {"compte": world.users["nurse_a"], "identifiant": other}
    )
    assert refused.status_code == 409 and "porte le numéro RPPS" in unescape(refused.text)
    assert _links(world) == []


def test_a_wrong_rpps_number_is_refused_in_french(sso, world, client):
    _as(world, client, "director_a")
    answer = _post(client, PAGE + "/lier", {"compte": world.users["nurse_a"], "identifiant": "123"})
    assert answer.status_code == 400 and "11 chiffres" in answer.text
    assert _links(world) == []


def test_one_identity_opens_one_account(sso, world, client):
    _as(world, client, "director_a")
    number = ACCOUNTS["infirmiere-ecps"][0]
    _post(client, PAGE + "/lier", {"compte": world.users["nurse_a"], "identifiant": number})
    again = _post(
        client, PAGE + "/lier", {"compte": world.users["nurse2_a"], "identifiant": number}
    )
    assert again.status_code == 409
    assert len(_links(world)) == 1


@pytest.mark.parametrize("username", ["nurse_a", "coord_a", "secretary_a", "dpo_a", "nurse_b"])
def test_other_roles_cannot_see_nor_link(sso, world, client, username):
    _as(world, client, username)
    assert client.get(PAGE).status_code == 403
    answer = client.post(
        PAGE + "/lier",
        data={"compte": world.users[username], "identifiant": ACCOUNTS["inconnue"][0]},
        follow_redirects=False,
    )
    assert answer.status_code in (403, 400)  # refused (or its form token is missing)
    assert _links(world) == []
    assert any(e["outcome"] == "denied" for e in _journal(world, "oidc.links.manage"))


def test_a_director_cannot_link_another_structures_account(sso, world, client):
    _as(world, client, "director_a")
    number = ACCOUNTS["infirmiere-ecps"][0]
    answer = _post(
        client, PAGE + "/lier", {"compte": world.users["nurse_b"], "identifiant": number}
    )
    assert answer.status_code == 404  # not even said to exist
    assert _links(world) == []
    assert any(e["outcome"] == "denied" for e in _journal(world, "oidc.link"))
    assert "nurse b" not in client.get(PAGE).text


def test_a_director_cannot_unlink_another_structures_link(sso, world, client):
    _as(world, client, "admin")
    _post(
        client,
        PAGE + "/lier",
        {"compte": world.users["nurse_b"], "identifiant": ACCOUNTS["infirmiere-ecps"][0]},
    )
    link_id = _links(world)[0]["id"]
    client.cookies.clear()
    _as(world, client, "director_a")
    assert _post(client, f"{PAGE}/{link_id}/delier").status_code == 404
    assert len(_links(world)) == 1


def test_anonymous_is_sent_to_the_login_page(sso, client):
    answer = client.get(PAGE, follow_redirects=False)
    assert answer.status_code in (302, 303, 401)
    assert client.post(PAGE + "/lier", data={"compte": 1}, follow_redirects=False).status_code in (
        302,
        303,
        401,
        403,
    )


def test_the_worker_sees_her_link_on_what_is_recorded_about_her(sso, world, client):
    _as(world, client, "admin")
    _post(
        client,
        PAGE + "/lier",
        {"compte": world.users["nurse_a"], "identifiant": ACCOUNTS["infirmiere-ecps"][0]},
    )
    client.cookies.clear()
    _as(world, client, "nurse_a")
    records = client.get("/moi/enregistrements")
    assert records.status_code == 200
    assert (
        "Connexion unique" in records.text and "8" + ACCOUNTS["infirmiere-ecps"][0] in records.text
    )

"""Access by attack: outside the care team, another structure without consent, anonymous,
guessed ids — always 404 (or 401), nothing leaks, refusals audited."""

from __future__ import annotations

import pytest

from tests.messaging.conftest import bearer, login, start


@pytest.fixture
def tid(client, world):
    r = start(client, world, "nurse_a", ["care_a"])
    assert r.status_code == 201, r.text
    return r.json()["id"]


@pytest.mark.parametrize("who", ["nurse2_a", "secretary_a", "nurse_b", "coord_b", "director_a"])
def test_outsiders_read_nothing_through_the_api(client, world, tid, who):
    h = bearer(world, who)
    assert client.get(f"/api/v1/messages/{tid}", headers=h).status_code == 404
    assert client.get(f"/api/v1/messages/{tid + 1}", headers=h).status_code == 404
    assert client.get("/api/v1/messages/-1", headers=h).status_code in (400, 404)
    r = client.post(f"/api/v1/messages/{tid}/posts", json={"body": "coucou"}, headers=h)
    assert r.status_code == 404
    listed = client.get("/api/v1/messages", headers=h)
    assert listed.status_code in (200, 403) and "Sortie" not in listed.text


def test_a_nurse_outside_the_care_team_reads_nothing_through_the_pages(client, world, tid):
    assert login(client, "nurse2_a").status_code == 303
    page = client.get(f"/messages/{tid}")
    assert page.status_code == 404 and "Durand" not in page.text and "insuline" not in page.text
    assert "Sortie" not in client.get("/messages").text
    assert "insuline" not in client.get("/recherche?q=insuline").text


def test_an_outsider_cannot_be_asked_in(client, world):
    assert start(client, world, "nurse_a", ["nurse2_a"]).status_code == 400
    assert start(client, world, "nurse_a", ["nurse_b"]).status_code == 400
    assert start(client, world, "nurse2_a", ["nurse_a"]).status_code in (403, 404)


def test_anonymous_gets_nothing(client, tid):
    assert client.get(f"/api/v1/messages/{tid}").status_code == 401
    assert client.get(f"/messages/{tid}", follow_redirects=False).status_code in (302, 303, 401)


def test_a_worker_removed_from_the_care_team_loses_the_thread(client, world, tid):
    from virage.accounts import storage
    from virage.db import connect

    db = connect(world.settings.db_path)
    storage.remove_from_care_team(db, world.persons["p1"], world.users["care_a"])
    db.close()
    assert client.get(f"/api/v1/messages/{tid}", headers=bearer(world, "care_a")).status_code == 404

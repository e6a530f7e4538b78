"""Conversations about a person: the care team talks, reads are receipted and audited, a partner
structure joins only with the person's consent, and loses access when it is revoked."""

from __future__ import annotations

import re

from tests.messaging.conftest import BODY, bearer, csrf_from, login, record_consent, start
from virage.db import connect


def _audit(w, action):
    db = connect(w.settings.db_path)
    try:
        return db.fetch_all(
            "SELECT actor_user_id, outcome FROM audit_log WHERE action = ?", [action]
        )
    finally:
        db.close()


def test_the_care_team_talks_and_sees_who_read(client, world, notices):
    r = start(client, world, "nurse_a", ["care_a"], urgent=True)
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    listed = client.get("/api/v1/messages", headers=bearer(world, "care_a")).json()
    assert [(t["id"], t["unread"], t["urgent"]) for t in listed] == [(tid, 1, True)]
    thread = client.get(f"/api/v1/messages/{tid}", headers=bearer(world, "care_a")).json()
    assert thread["posts"][0]["body"] == BODY
    assert client.get("/api/v1/messages", headers=bearer(world, "care_a")).json()[0]["unread"] == 0
    r = client.post(
        f"/api/v1/messages/{tid}/posts",
        json={"body": "Bien noté."},
        headers=bearer(world, "care_a"),
    )
    assert r.status_code == 201
    thread = client.get(f"/api/v1/messages/{tid}", headers=bearer(world, "nurse_a")).json()
    first, second = thread["posts"]
    assert [x["user_id"] for x in first["receipts"]] == [world.users["care_a"]]
    assert [x["user_id"] for x in second["receipts"]] == [world.users["nurse_a"]]
    reads = _audit(world, "messages.thread.read")
    assert {(a["actor_user_id"], a["outcome"]) for a in reads} == {
        (world.users["care_a"], "allowed"),
        (world.users["nurse_a"], "allowed"),
    }
    assert len(_audit(world, "messages.posted")) == 2


def test_a_notice_names_no_one_and_carries_no_text(client, world, notices):
    tid = start(client, world, "nurse_a", ["care_a"]).json()["id"]
    client.post(
        f"/api/v1/messages/{tid}/posts",
        json={"body": "Mme Durand va mieux."},
        headers=bearer(world, "care_a"),
    )
    assert [c[0] for c in notices.calls] == [[world.users["care_a"]], [world.users["nurse_a"]]]
    for _, notice in notices.calls:
        text = f"{notice.kind} {notice.title} {notice.url}"
        for word in ("Durand", "Jeanne", "insuline", "Sortie", "mieux"):
            assert word not in text
        assert notice.url == f"/messages/{tid}"


def test_the_page_works_without_javascript_and_keeps_the_name_out_of_the_title(client, world):
    tid = start(client, world, "nurse_a", ["care_a"]).json()["id"]
    assert login(client, "care_a").status_code == 303
    page = client.get(f"/messages/{tid}")
    assert page.status_code == 200
    title = re.search(r"<title>(.*?)</title>", page.text, re.S).group(1)
    assert "Durand" not in title and "Jeanne" not in title
    assert "Jeanne DURAND" in page.text
    r = client.post(
        f"/messages/{tid}",
        data={"body": "Je passe demain.", "_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    listing = client.get("/messages")
    assert (
        "Sortie d&#39;hospitalisation" in listing.text or "Sortie d'hospitalisation" in listing.text
    )
    person = client.get(f"/personnes/{world.persons['p1']}")
    assert f"/messages/{tid}" in person.text


def test_bad_input_is_refused_in_french(client, world):
    r = start(client, world, "nurse_a", ["care_a"], body="   ")
    assert r.status_code == 400
    tid = start(client, world, "nurse_a", ["care_a"]).json()["id"]
    r = client.post(
        f"/api/v1/messages/{tid}/posts",
        json={"body": "x" * 5001},
        headers=bearer(world, "care_a"),
    )
    assert r.status_code == 400


def test_a_partner_structure_needs_the_consent_and_loses_it_when_revoked(client, world):
    assert start(client, world, "nurse_a", ["coord_b"]).status_code == 400
    record_consent(client, world)
    r = start(client, world, "nurse_a", ["coord_b"])
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    assert (
        client.get(f"/api/v1/messages/{tid}", headers=bearer(world, "coord_b")).status_code == 200
    )
    r = client.post(
        f"/api/v1/messages/{tid}/posts",
        json={"body": "Chambre prête lundi."},
        headers=bearer(world, "coord_b"),
    )
    assert r.status_code == 201
    # revoked: the partner reads nothing more, posts nothing more, lists nothing
    assert login(client, "coord_a").status_code == 303
    page = client.get(f"/personnes/{world.persons['p1']}/messages/accords")
    cid = re.search(r"/messages/accords/(\d+)/retirer", page.text).group(1)
    r = client.post(
        f"/personnes/{world.persons['p1']}/messages/accords/{cid}/retirer",
        data={"_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert (
        client.get(f"/api/v1/messages/{tid}", headers=bearer(world, "coord_b")).status_code == 404
    )
    r = client.post(
        f"/api/v1/messages/{tid}/posts", json={"body": "Encore ?"}, headers=bearer(world, "coord_b")
    )
    assert r.status_code == 404
    assert client.get("/api/v1/messages", headers=bearer(world, "coord_b")).json() == []
    # the care team still reads it
    assert (
        client.get(f"/api/v1/messages/{tid}", headers=bearer(world, "nurse_a")).status_code == 200
    )


def test_the_menu_counts_unread_messages(client, world):
    start(client, world, "nurse_a", ["care_a"])
    start(client, world, "nurse_a", ["care_a"])
    assert login(client, "care_a").status_code == 303
    page = client.get("/messages")
    assert re.search(r'Messages <span class="nav-badge">2<span class="sr-only"> non lus', page.text)
    client.get(re.search(r'href="(/messages/\d+)"', page.text).group(1))
    assert '<span class="nav-badge">1<' in client.get("/messages").text

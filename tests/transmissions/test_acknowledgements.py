"""« Depuis ma dernière prise de poste », « pris connaissance », and the coordinator's list of
urgent transmissions nobody has read."""

from __future__ import annotations

from datetime import timedelta

from tests.transmissions.conftest import bearer, ids_in, login, web_login, write
from virage.db import connect, transaction, utcnow
from virage.transmissions import storage, timefmt


def _feed(client, world, name):
    response = client.get("/api/v1/transmissions/new-for-me", headers=bearer(world, name))
    assert response.status_code == 200, response.text
    return response.json()


def _urgent(client, world, name="coord_a"):
    response = client.get(
        "/api/v1/transmissions/unacknowledged-urgent", headers=bearer(world, name)
    )
    assert response.status_code == 200, response.text
    return [t["id"] for t in response.json()]


def test_new_for_me_lists_what_others_wrote_urgent_first(client, world):
    normal = write(client, world, "nurse_a", target="sommeil", data="A bien dormi.").json()
    urgent = write(client, world, "nurse_a", priority="urgent").json()
    important = write(
        client, world, "nurse_a", priority="important", target="douleur", data="Douleur 6/10."
    ).json()
    feed = _feed(client, world, "care_a")
    assert feed["since_source"] == "24_heures"  # never took a post, never logged in twice
    assert [t["id"] for t in feed["items"]] == [urgent["id"], important["id"], normal["id"]]
    assert all(t["acknowledged_at"] is None for t in feed["items"])
    assert feed["items"][0]["person_name"] == "Jeanne DURAND"
    # one's own transmissions are not "new for me"
    assert _feed(client, world, "nurse_a")["items"] == []
    # the coordination sees the whole structure
    assert len(_feed(client, world, "coord_a")["items"]) == 3


def test_acknowledging_empties_the_coordinator_list(client, world):
    urgent = write(client, world, "nurse_a", priority="urgent").json()
    write(client, world, "nurse_a", priority="important")
    assert _urgent(client, world) == [urgent["id"]]
    assert _urgent(client, world, "coord_b") == []  # another structure
    acked = client.post(
        f"/api/v1/transmissions/{urgent['id']}/acknowledgements", headers=bearer(world, "care_a")
    )
    assert acked.status_code == 200
    assert [a["display_name"] for a in acked.json()["acknowledgements"]] == ["care a"]
    assert _urgent(client, world) == []
    item = _feed(client, world, "care_a")["items"][0]
    assert item["id"] == urgent["id"] and item["acknowledged_at"]
    # acknowledging twice changes nothing; the author cannot acknowledge their own
    again = client.post(
        f"/api/v1/transmissions/{urgent['id']}/acknowledgements", headers=bearer(world, "care_a")
    )
    assert len(again.json()["acknowledgements"]) == 1
    own = client.post(
        f"/api/v1/transmissions/{urgent['id']}/acknowledgements", headers=bearer(world, "nurse_a")
    )
    assert own.status_code == 400


def test_the_coordinator_list_is_for_the_coordination_only(client, world):
    for name in ("nurse_a", "secretary_a", "director_a"):
        response = client.get(
            "/api/v1/transmissions/unacknowledged-urgent", headers=bearer(world, name)
        )
        assert response.status_code == 403, name
    login(client, "nurse_a")
    assert client.get("/transmissions/urgentes").status_code == 403


def test_old_urgent_transmissions_leave_the_coordinator_list(client, world):
    db = connect(world.settings.db_path)
    old = utcnow().replace(microsecond=0) - timedelta(days=8)
    with transaction(db):
        storage.insert(
            db,
            {
                "person_id": world.persons["p1"],
                "structure_id": world.structures["a"],
                "author_id": world.users["nurse_a"],
                "author_label": "nurse a",
                "kind": "entry",
                "target": "chute",
                "category": "soins",
                "priority": "urgent",
                "occurred_at": timefmt.to_iso(old),
                "created_at": timefmt.to_iso(old),
                "editable_until": timefmt.to_iso(old + timedelta(minutes=5)),
                "data": "Chute il y a huit jours.",
                "source": "test",
            },
        )
    assert _urgent(client, world) == []


def test_taking_one_s_post_starts_a_new_period(client, world):
    t = write(client, world, "nurse_a", priority="urgent").json()
    assert len(_feed(client, world, "care_a")["items"]) == 1
    client.post(
        f"/api/v1/transmissions/{t['id']}/acknowledgements", headers=bearer(world, "care_a")
    )
    taken = client.post("/api/v1/transmissions/shift", headers=bearer(world, "care_a"))
    assert taken.status_code == 201
    feed = _feed(client, world, "care_a")
    assert feed["since_source"] == "prise_de_poste"
    assert feed["since"] == taken.json()["started_at"]
    # what was written before the post was taken, and acknowledged, is no longer "new" (same
    # second: strictly after); what was not acknowledged stays (test_unacknowledged_kept.py)
    assert feed["items"] == []
    db = connect(world.settings.db_path)
    storage.set_shift(db, world.users["care_a"], "2020-01-01T00:00:00+00:00")
    assert len(_feed(client, world, "care_a")["items"]) == 1


def test_without_a_post_taken_the_previous_login_is_the_start(client, world):
    login(client, "care_a")
    login(client, "care_a")
    db = connect(world.settings.db_path)
    logins = db.execute(
        "SELECT at FROM audit_log WHERE actor_user_id = ? AND action = 'accounts.login' ORDER BY at DESC",
        [world.users["care_a"]],
    ).fetchall()
    feed = _feed(client, world, "care_a")
    assert feed["since_source"] == "connexion_precedente"
    assert feed["since"] == logins[1][0]


def test_the_web_feed_acknowledges_and_the_coordination_sees_it(client, world):
    urgent = write(client, world, "nurse_a", priority="urgent").json()
    normal = write(client, world, "nurse_a", target="sommeil", data="Nuit calme.").json()
    token = web_login(client, "care_a")
    page = client.get("/transmissions").text
    assert ids_in(page) == [urgent["id"], normal["id"]]
    assert "Urgente" in page and "J'ai pris connaissance" in page
    done = client.post(
        f"/transmissions/{urgent['id']}/pris-connaissance",
        data={"_csrf_token": token, "suivant": "/transmissions#t-1"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/transmissions")
    assert "✓ Pris connaissance" in client.get("/transmissions").text
    # an outside address is never followed
    evil = client.post(
        f"/transmissions/{normal['id']}/pris-connaissance",
        data={"_csrf_token": token, "suivant": "//ailleurs.example/"},
        follow_redirects=False,
    )
    assert evil.headers["location"] == f"/transmissions/{normal['id']}"
    login(client, "coord_a")
    urgent_page = client.get("/transmissions/urgentes").text
    assert "Aucune transmission urgente en attente de lecture" in urgent_page


def test_the_worker_sees_what_is_recorded_about_them(client, world):
    t = write(client, world, "nurse_a").json()
    client.post(
        f"/api/v1/transmissions/{t['id']}/acknowledgements", headers=bearer(world, "care_a")
    )
    client.post("/api/v1/transmissions/shift", headers=bearer(world, "care_a"))
    login(client, "care_a")
    page = client.get("/moi/enregistrements").text
    assert "Mes transmissions" in page
    assert "pris connaissance de <strong>1</strong> transmission" in page
    assert f"transmission n° {t['id']}" in page
    assert "Dernière prise de poste enregistrée : aujourd" in page
    login(client, "nurse_a")
    page = client.get("/moi/enregistrements").text
    assert "Vous avez écrit <strong>1</strong> transmission" in page

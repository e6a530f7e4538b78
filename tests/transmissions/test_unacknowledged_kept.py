"""« Depuis ma dernière prise de poste » keeps every transmission I have not acknowledged until I
do, whatever the shift and log-in markers say (issue 18: « Prendre mon poste » emptied the list
although 3 of 4 items were never acknowledged; logging in again in another browser 61 s later
showed « 0 nouvelles transmissions »).

The cause: the list was « written after the marker », the marker being the last « Prendre mon
poste » or, without one, the previous log-in (from any browser). Now it is « written after the
marker, or not acknowledged by me » (within 30 days).
"""

from __future__ import annotations

import re
from datetime import timedelta

from litestar.testing import TestClient

from tests.transmissions.conftest import bearer, login, write
from virage.db import connect, transaction, utcnow
from virage.transmissions import storage, timefmt


def _feed(client, world, name):
    response = client.get("/api/v1/transmissions/new-for-me", headers=bearer(world, name))
    assert response.status_code == 200, response.text
    return response.json()


def _four(client, world):
    """Four transmissions by nurse_a about p1; care_a acknowledges only the first."""
    ids = [
        write(client, world, "nurse_a", priority=p, data=f"Note {i}.").json()["id"]
        for i, p in enumerate(("normal", "urgent", "important", "normal"))
    ]
    acked = client.post(
        f"/api/v1/transmissions/{ids[0]}/acknowledgements", headers=bearer(world, "care_a")
    )
    assert acked.status_code == 200
    return ids


def test_taking_one_s_post_keeps_the_three_never_acknowledged(client, world):
    ids = _four(client, world)
    assert len(_feed(client, world, "care_a")["items"]) == 4
    taken = client.post("/api/v1/transmissions/shift", headers=bearer(world, "care_a"))
    assert taken.status_code == 201
    feed = _feed(client, world, "care_a")
    assert feed["since_source"] == "prise_de_poste"
    assert sorted(t["id"] for t in feed["items"]) == sorted(ids[1:])
    assert feed["items"][0]["priority"] == "urgent"  # urgent first, still
    assert all(t["acknowledged_at"] is None for t in feed["items"])
    # acknowledged, it leaves the list (it was written before the post was taken)
    client.post(f"/api/v1/transmissions/{ids[1]}/acknowledgements", headers=bearer(world, "care_a"))
    assert sorted(t["id"] for t in _feed(client, world, "care_a")["items"]) == [ids[2], ids[3]]
    # the author's colleague is not the author: nurse_a's own never show to her
    assert _feed(client, world, "nurse_a")["items"] == []


def test_logging_in_again_in_another_browser_keeps_them(app, client, world):
    _four(client, world)
    first = TestClient(app)
    second = TestClient(app)
    with first, second:
        assert login(first, "care_a").status_code == 303
        assert login(second, "care_a").status_code == 303  # another browser, a minute later
        page = second.get("/transmissions").text
    assert "Depuis votre connexion précédente" in page
    assert "0 nouvelle" not in page
    assert "3 transmissions à prendre en compte" in page
    assert _feed(client, world, "care_a")["since_source"] == "connexion_precedente"
    assert len(_feed(client, world, "care_a")["items"]) == 3  # the one read was before


def test_unacknowledged_older_than_thirty_days_leave_the_list(client, world):
    db = connect(world.settings.db_path)
    old = utcnow().replace(microsecond=0) - timedelta(days=31)
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
                "data": "Chute il y a un mois.",
                "source": "test",
            },
        )
    db.close()
    client.post("/api/v1/transmissions/shift", headers=bearer(world, "care_a"))
    assert _feed(client, world, "care_a")["items"] == []


def test_the_feed_stays_within_the_reader_s_scope(client, world):
    _four(client, world)
    write(client, world, "nurse_b", person="p2", priority="urgent")
    for name in ("nurse2_a", "secretary_a"):  # not in p1's care team / no reading role
        client.post("/api/v1/transmissions/shift", headers=bearer(world, name))
        assert _feed(client, world, name)["items"] == [], name
    ids = {t["person_id"] for t in _feed(client, world, "coord_a")["items"]}
    assert ids == {world.persons["p1"]}  # the coordination of a, never b's
    assert not re.search(r"Louis", str(_feed(client, world, "care_a")))


def _count(html: str) -> str:
    found = re.search(
        r'data-urgent-count="(\d+)"[^>]*><a [^>]*><strong>\d+</strong> ([^<]+)</a>', html
    )
    assert found, "no urgent count on the coordination's home"
    return f"{found.group(1)} {found.group(2)}"


def test_the_coordinator_s_home_counts_the_urgent_unacknowledged(client, world):
    login(client, "coord_a")
    assert _count(client.get("/").text) == "0 transmission urgente non lue"
    first = write(client, world, "nurse_a", priority="urgent").json()
    write(client, world, "care_a", priority="urgent", data="Refus de s'alimenter.")
    write(client, world, "nurse_a", priority="important")  # not urgent: not counted
    write(client, world, "nurse_b", person="p2", priority="urgent")  # another structure
    page = client.get("/").text
    assert _count(page) == "2 transmissions urgentes non lues"
    # a count of transmissions, never of workers
    assert not re.search(r"\d+\s*(</strong>\s*)?(visites|rendez-vous)\b", page)
    client.post(
        f"/api/v1/transmissions/{first['id']}/acknowledgements", headers=bearer(world, "care_a")
    )
    assert _count(client.get("/").text) == "1 transmission urgente non lue"

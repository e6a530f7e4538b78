"""Cancelling a series keeps its occurrences visible as cancelled (pages, API, calendar feed) and
the series can be restored, as the user guide promises (docs/guides/agenda.md, « Déplacer,
annuler »). Before: cancelling a whole series deleted its occurrences (404, gone from the feed)."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from tests.accounts.conftest import bearer, csrf_from, login
from tests.agenda.helpers import API, book, occurrences, visit
from virage.agenda.timeutil import today_paris


def _series(client, world, rrule="FREQ=DAILY;COUNT=6", start="2030-03-29T08:00"):
    r = visit(client, world, start=start, duration_minutes=30, recurrence={"rrule": rrule})
    assert r.status_code == 201, r.text
    return r.json()


def _rows(client, world, start="2030-03-28", end="2030-04-10"):
    return occurrences(client, world, "coord_a", start, end, person=world.persons["p1"])


def _cancel(client, world, appointment_id, scope, reason="fin de prise en charge"):
    return client.post(
        f"{API}/appointments/{appointment_id}/cancel",
        json={"reason": reason, "scope": scope},
        headers=bearer(world, "coord_a"),
    )


def _restore(client, world, appointment_id, who="coord_a", **body):
    return client.post(
        f"{API}/appointments/{appointment_id}/restore-series",
        json=body,
        headers=bearer(world, who),
    )


def test_cancelled_series_stays_visible_and_restores_all_but_those_cancelled_one_by_one(
    client, world
):
    first = _series(client, world)
    rows = _rows(client, world)
    one_by_one = rows[2]["id"]
    assert _cancel(client, world, one_by_one, "one", reason="absente").status_code == 200

    r = _cancel(client, world, first["id"], "series")
    assert r.status_code == 200, r.text
    assert r.json()["cancelled_occurrences"] == 5  # the sixth was already cancelled
    assert r.json()["appointment"]["status"] == "cancelled"
    after = _rows(client, world)
    assert len(after) == 6 and {a["status"] for a in after} == {"cancelled"}
    assert after[0]["cancel_reason"] == "fin de prise en charge"
    assert after[2]["cancel_reason"] == "absente"
    got = client.get(f"{API}/appointments/{rows[4]['id']}", headers=bearer(world, "coord_a"))
    assert got.status_code == 200 and got.json()["status"] == "cancelled"
    # a cancelled series is not cancelled twice, nor edited
    assert _cancel(client, world, rows[1]["id"], "series").status_code == 409

    r = _restore(client, world, rows[4]["id"])
    assert r.status_code == 200, r.text
    assert r.json()["restored_occurrences"] == 5
    restored = _rows(client, world)
    assert [a["status"] for a in restored] == ["planned"] * 2 + ["cancelled"] + ["planned"] * 3
    assert restored[2]["cancel_reason"] == "absente"
    # restoring twice is refused in words a person can act on
    again = _restore(client, world, rows[4]["id"])
    assert again.status_code == 409 and "série annulée" in again.json()["detail"]


def test_cancel_following_keeps_the_tail_cancelled_and_restorable(client, world):
    _series(client, world)
    rows = _rows(client, world)
    r = _cancel(client, world, rows[3]["id"], "following")
    assert r.status_code == 200, r.text
    assert r.json()["cancelled_occurrences"] == 3
    assert r.json()["series_id"] != rows[0]["id"]
    assert [a["status"] for a in _rows(client, world)] == ["planned"] * 3 + ["cancelled"] * 3
    # the head of the series is not cancelled: it cannot be restored
    assert _restore(client, world, rows[0]["id"]).status_code == 409
    r = _restore(client, world, rows[5]["id"])
    assert r.status_code == 200, r.text
    assert [a["status"] for a in _rows(client, world)] == ["planned"] * 6


def test_restoring_over_a_new_booking_is_a_conflict_unless_forced(client, world):
    first = _series(client, world)
    assert _cancel(client, world, first["id"], "series").status_code == 200
    # the freed time is booked meanwhile
    r = book(client, world, "coord_a", start="2030-03-31T08:00", duration_minutes=30)
    assert r.status_code == 201, r.text
    refused = _restore(client, world, first["id"])
    assert refused.status_code == 409 and "Créneau impossible" in refused.json()["detail"]
    assert {a["status"] for a in _rows(client, world)} == {"cancelled"}  # left intact
    assert _restore(client, world, first["id"], who="secretary_a", force=True).status_code == 403
    forced = _restore(client, world, first["id"], force=True)
    assert forced.status_code == 200, forced.text
    assert forced.json()["appointment"]["status"] == "planned"


def test_a_cancelled_open_ended_series_is_not_extended_until_restored(client, world):
    first = _series(client, world, rrule="FREQ=WEEKLY;BYDAY=MO", start="2030-01-07T08:00")
    assert _cancel(client, world, first["id"], "series").status_code == 200
    assert _rows(client, world, "2031-06-02", "2031-06-08") == []
    assert _restore(client, world, first["id"]).status_code == 200
    far = _rows(client, world, "2031-06-02", "2031-06-08")
    assert [(a["start_local"], a["status"]) for a in far] == [("2031-06-02T08:00", "planned")]


def test_feed_shows_a_cancelled_series_as_cancelled_then_confirmed(client, world):
    soon = today_paris() + timedelta(days=2)  # the feed covers the weeks around today
    first = _series(client, world, rrule="FREQ=DAILY;COUNT=3", start=f"{soon}T08:00")
    r = client.post(f"{API}/me/feed", headers=bearer(world, "nurse_a"))
    path = r.json()["url"].removeprefix("http://testserver.local")

    def statuses():
        calendar = icalendar.Calendar.from_ical(client.get(path).content)
        return sorted(str(e["status"]) for e in calendar.walk("VEVENT"))

    assert statuses() == ["CONFIRMED"] * 3
    assert _cancel(client, world, first["id"], "series").status_code == 200
    assert statuses() == ["CANCELLED"] * 3
    assert _restore(client, world, first["id"]).status_code == 200
    assert statuses() == ["CONFIRMED"] * 3


def test_cancel_and_restore_a_series_from_the_pages(client, world):
    first = _series(client, world, rrule="FREQ=DAILY;COUNT=3")
    assert login(client, "coord_a").status_code == 303
    page = client.get(f"/agenda/rendez-vous/{first['id']}")
    assert "Rétablir la série" not in page.text
    r = client.post(
        f"/agenda/rendez-vous/{first['id']}/annuler",
        data={"_csrf_token": csrf_from(page.text), "reason": "déménagement", "scope": "series"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].endswith("ok=serie-annulee")
    page = client.get(r.headers["location"])
    assert page.status_code == 200
    assert "Série annulée" in page.text and "déménagement" in page.text
    assert "Rétablir la série" in page.text
    r = client.post(
        f"/agenda/rendez-vous/{first['id']}/retablir-serie",
        data={"_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"])
    assert "Série rétablie" in page.text and "Rétablir la série" not in page.text

"""iCalendar: the subscription feed (parsed back with ``icalendar``), its secrecy, and imports."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from tests.accounts.conftest import bearer
from tests.agenda.helpers import API, book, visit
from virage.accounts.service import hash_secret
from virage.agenda import service
from virage.agenda.timeutil import today_paris
from virage.db import connect


def _feed_url(client, world, who: str) -> str:
    r = client.post(f"{API}/me/feed", headers=bearer(world, who))
    assert r.status_code == 201, r.text
    url = r.json()["url"]
    assert url.startswith("http://testserver.local/agenda/flux/vcal_") and url.endswith(".ics")
    return url.removeprefix("http://testserver.local")


def _events(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(r.content)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}, r.text


def _soon(days=2, hhmm="08:00"):
    return f"{today_paris() + timedelta(days=days)}T{hhmm}"


def test_feed_carries_no_health_data_and_initials_by_default(client, world):
    v = visit(
        client,
        world,
        start=_soon(),
        notes="Diabète : glycémie avant insuline",
        to_bring="Lecteur de glycémie",
        title="Injection d'insuline",
    ).json()
    meeting = book(
        client, world, "coord_a", start=_soon(3, "14:00"), title="Réunion d'équipe"
    ).json()
    events, text = _events(client, _feed_url(client, world, "nurse_a"))
    assert len(events) == 2
    event = next(e for e in events.values() if "Visite" in str(e["summary"]))
    assert str(event["summary"]) == "Visite à domicile — J. D. (Loue)"
    assert str(event["location"]) == "Loue"
    assert event.decoded("dtstart").isoformat() == v["start"]
    assert event.decoded("dtend").isoformat() == v["end"]
    assert str(event["status"]) == "CONFIRMED"
    for forbidden in ("Diabète", "glycémie", "insuline", "Jeanne", "Durand", "Lecteur"):
        assert forbidden not in text, forbidden
    other = next(e for e in events.values() if "Réunion" in str(e["summary"]))
    assert str(other["summary"]) == "Réunion d'équipe"
    assert str(other["location"]) == "SSIAD A"
    assert meeting["id"] in [int(uid.split("-")[2].split("@")[0]) for uid in events]


def test_structure_privacy_setting(client, world):
    visit(client, world, start=_soon())
    url = _feed_url(client, world, "nurse_a")
    db = connect(world.settings.db_path)
    service.store_calendar_privacy(db, world.structures["a"], "none")
    events, text = _events(client, url)
    assert [str(e["summary"]) for e in events.values()] == ["Visite à domicile"]
    assert "Loue" not in text and "J. D." not in text
    service.store_calendar_privacy(db, world.structures["a"], "name")
    events, _ = _events(client, url)
    assert [str(e["summary"]) for e in events.values()] == [
        "Visite à domicile — Jeanne DURAND (Loue)"
    ]
    db.conn.close()


def test_full_name_only_for_who_may_know_the_person(client, world):
    # nurse2_a is not in p1's care team: even with "name", the feed shows initials.
    db = connect(world.settings.db_path)
    service.store_calendar_privacy(db, world.structures["a"], "name")
    db.conn.close()
    visit(client, world, start=_soon(), professional_ids=[world.users["nurse2_a"]])
    events, _text = _events(client, _feed_url(client, world, "nurse2_a"))
    assert [str(e["summary"]) for e in events.values()] == ["Visite à domicile — J. D. (Loue)"]


def test_cancelled_occurrences_show_as_cancelled(client, world):
    v = visit(client, world, start=_soon()).json()
    client.post(
        f"{API}/appointments/{v['id']}/cancel",
        json={"reason": "reporté"},
        headers=bearer(world, "coord_a"),
    )
    events, _ = _events(client, _feed_url(client, world, "nurse_a"))
    (event,) = events.values()
    assert str(event["status"]) == "CANCELLED" and str(event["summary"]).startswith("ANNULÉ")


def test_feed_secret_is_hashed_revocable_and_audited(client, world):
    url = _feed_url(client, world, "nurse_a")
    secret = url.split("/")[-1].removesuffix(".ics")
    conn = connect(world.settings.db_path)
    stored = conn.execute("SELECT token_hash FROM agenda_feeds").fetchall()
    assert stored == [(hash_secret(secret),)] and secret not in str(stored)
    visit(client, world, start=_soon())
    assert client.get(url).status_code == 200
    audited = conn.execute(
        "SELECT via, actor_user_id FROM audit_log WHERE action = 'agenda.feed.read'"
    ).fetchall()
    assert audited == [("feed", world.users["nurse_a"])]
    # a new address replaces the old one; revoking closes it
    new = _feed_url(client, world, "nurse_a")
    assert client.get(url).status_code == 404
    assert client.get(new).status_code == 200
    assert client.delete(f"{API}/me/feed", headers=bearer(world, "nurse_a")).status_code == 204
    r = client.get(new)
    assert r.status_code == 404 and "révoqué" in r.text
    assert client.get("/agenda/flux/vcal_nimportequoi.ics").status_code == 404
    conn.close()


def test_feed_of_a_worker_removed_from_the_structure_is_empty(client, world):
    visit(client, world, start=_soon())
    url = _feed_url(client, world, "nurse_a")
    db = connect(world.settings.db_path)
    db.execute("DELETE FROM memberships WHERE user_id = ?", [world.users["nurse_a"]])
    db.conn.close()
    events, _ = _events(client, url)
    assert events == {}


ICS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//FR\r
BEGIN:VEVENT\r
UID:weekly-1@test\r
SUMMARY:Synth\xc3\xa8se hebdomadaire\r
DTSTART;TZID=Europe/Paris:20300325T140000\r
DTEND;TZID=Europe/Paris:20300325T150000\r
RRULE:FREQ=WEEKLY;COUNT=4\r
EXDATE;TZID=Europe/Paris:20300408T140000\r
LOCATION:Salle Loue\r
DESCRIPTION:ne doit pas \xc3\xaatre import\xc3\xa9\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:single-1@test\r
SUMMARY:Formation gestes et postures\r
DTSTART:20300327T080000Z\r
DURATION:PT2H\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:allday@test\r
SUMMARY:Cong\xc3\xa9\r
DTSTART;VALUE=DATE:20300401\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:clash@test\r
SUMMARY:Chevauche la formation\r
DTSTART:20300327T090000Z\r
DTEND:20300327T093000Z\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:cancelled@test\r
SUMMARY:Annul\xc3\xa9\r
STATUS:CANCELLED\r
DTSTART:20300328T090000Z\r
END:VEVENT\r
BEGIN:VEVENT\r
SUMMARY:Sans date\r
UID:nodate@test\r
END:VEVENT\r
END:VCALENDAR\r
"""


def _import(client, world, dry_run=False, who="secretary_a"):
    return client.post(
        f"{API}/import",
        params={"professional": world.users["nurse_a"], "kind": "meeting", "dry_run": dry_run},
        content=ICS,
        headers={**bearer(world, who), "Content-Type": "text/calendar"},
    )


def test_import_report_lists_created_and_rejected_with_reasons(client, world):
    conn = connect(world.settings.db_path)
    r = _import(client, world, dry_run=True)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["dry_run"] is True
    assert [c["uid"] for c in report["created"]] == ["weekly-1@test", "single-1@test"]
    reasons = {x["uid"]: x["reason"] for x in report["rejected"]}
    assert "journée entière" in reasons["allday@test"]
    assert "déjà occupé" in reasons["clash@test"]  # clashes with the file's own event
    assert "annulé" in reasons["cancelled@test"]
    assert "DTSTART" in reasons["nodate@test"]
    assert conn.execute("SELECT count(*) FROM agenda_appointments").fetchone()[0] == 0

    report = _import(client, world).json()
    assert report["dry_run"] is False and len(report["created"]) == 2
    rows = conn.execute(
        "SELECT title, start_utc, place, place_detail, notes FROM agenda_appointments ORDER BY start_utc"
    ).fetchall()
    assert [r[1][:16] for r in rows] == [
        "2030-03-25T13:00",  # 14:00 Paris (winter)
        "2030-03-27T08:00",
        "2030-04-01T12:00",  # 14:00 Paris (summer): wall clock kept across DST
        "2030-04-15T12:00",  # 8 April excluded (EXDATE)
    ]
    assert rows[0][2:] == ("other", "Salle Loue", "")  # descriptions are not imported

    # importing the same file again: every event is a duplicate or rejected
    again = _import(client, world).json()
    assert again["created"] == []
    assert {x["uid"]: x["reason"] for x in again["rejected"]}["weekly-1@test"].startswith(
        "déjà importé"
    )
    conn.close()


def test_import_needs_the_right_and_a_readable_file(client, world):
    assert _import(client, world, who="nurse_a").status_code == 403
    r = client.post(
        f"{API}/import",
        params={"professional": world.users["nurse_a"]},
        content=b"pas un calendrier",
        headers={**bearer(world, "secretary_a"), "Content-Type": "text/calendar"},
    )
    assert r.status_code == 400 and "iCalendar" in r.json()["detail"]
    r = client.post(
        f"{API}/import",
        params={"professional": world.users["nurse_a"], "kind": "home_visit"},
        content=ICS,
        headers={**bearer(world, "secretary_a"), "Content-Type": "text/calendar"},
    )
    assert r.status_code == 400 and "personne" in r.json()["detail"]

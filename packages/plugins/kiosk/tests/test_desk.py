"""The desk's side and the edges: who may do what, the convocation's calendar file, opening
hours (pinned clock), English refusals, two kiosks taking a number at once, the person's export."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from icalendar import Calendar
from kiosk_helpers import (
    appointment_today,
    as_device,
    as_worker,
    configure,
    convocation,
    enrol,
    post_form,
)
from virage_kiosk import clock, storage
from virage_kiosk.arrivals import KEEP_DAYS

from virage.sdk import PARIS
from virage.sdk.testing import connect


def test_only_the_desk_sees_the_queue_and_only_the_director_enrols(world, client):
    sid = world.structures["a"]
    as_worker(client, world, "nurse_a")
    assert client.get(f"/accueil/structures/{sid}/file").status_code == 403
    assert client.get(f"/accueil/structures/{sid}/bornes").status_code == 403
    as_worker(client, world, "secretary_a")
    assert client.get(f"/accueil/structures/{sid}/file").status_code == 200
    assert client.get(f"/accueil/structures/{sid}/reglages").status_code == 403
    # another structure's queue
    assert client.get(f"/accueil/structures/{world.structures['b']}/file").status_code in (403, 404)


def test_the_convocation_in_a_calendar_file(world, client):
    aid = appointment_today(world)
    _token, code = convocation(client, world, aid)
    r = client.get(f"/accueil/convocation/{aid}/calendrier")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    event = Calendar.from_ical(r.content).walk("VEVENT")[0]
    assert code in str(event["description"])
    assert event["attach"].params["FMTTYPE"] == "image/svg+xml"
    assert "Durand" not in r.text  # the person's own file, but no name needed in it
    as_worker(client, world, "nurse_b")
    assert client.get(f"/accueil/convocation/{aid}").status_code in (403, 404)


def test_the_kiosk_is_closed_outside_opening_hours(world, client, monkeypatch):
    secret = enrol(client, world)  # default hours: 08:00 to 18:00
    night = datetime(2026, 12, 2, 22, 30, tzinfo=PARIS)
    monkeypatch.setattr(clock, "now", lambda: night)
    as_device(client, secret)
    assert "L'accueil est fermé." in html.unescape(client.get("/borne/").text)
    r = post_form(client, "/borne/code", "/borne/code", {"code": "ABCDEF"})
    assert r.status_code == 400
    english = post_form(client, "/borne/code", "/borne/code", {"code": "ABCDEF", "langue": "en"})
    assert "Reception is closed." in english.text
    assert 'lang="en"' in english.text


def test_two_kiosks_taking_a_number_at_once(world, client, monkeypatch):
    configure(client, world)
    secret = enrol(client, world)
    as_device(client, secret)
    page = client.get("/borne/sans-rendez-vous")
    service = page.text.split('name="service" value="')[1].split('"')[0]
    first = post_form(
        client, "/borne/sans-rendez-vous", "/borne/sans-rendez-vous", {"service": service}
    )
    assert first.status_code == 303
    # the next read of the counter comes before the other kiosk's write: number 1 is taken
    real, stale = storage.next_number, iter([1])
    monkeypatch.setattr(
        storage, "next_number", lambda db, s, d: next(stale, None) or real(db, s, d)
    )
    second = post_form(
        client, "/borne/sans-rendez-vous", "/borne/sans-rendez-vous", {"service": service}
    )
    assert second.status_code == 303
    assert '<p class="number" id="numero">002</p>' in client.get(second.headers["location"]).text


def test_the_persons_export_holds_her_tickets(world, client):
    configure(client, world)
    secret = enrol(client, world)
    aid = appointment_today(world)
    token, _code = convocation(client, world, aid)
    as_device(client, secret)
    post_form(client, "/borne/convocation", "/borne/convocation", {"token": token})
    as_worker(client, world, "director_a")
    export = client.get(f"/personnes/{world.persons['p1']}/export.json")
    assert export.status_code == 200, export.text
    assert "kiosk_tickets" in export.text


def test_the_days_appointments_lead_to_their_convocations(world, client):
    aid = appointment_today(world)
    as_worker(client, world, "secretary_a")
    sid = world.structures["a"]
    home = client.get("/accueil/")
    assert f"/accueil/structures/{sid}/convocations" in home.text
    page = client.get(f"/accueil/structures/{sid}/convocations")
    assert page.status_code == 200
    assert f'href="/accueil/convocation/{aid}"' in page.text
    assert (
        client.get(f"/accueil/structures/{sid}/convocations?jour=pas-une-date").status_code == 200
    )


def test_old_tickets_and_codes_are_forgotten(world, client, monkeypatch):
    configure(client, world)
    secret = enrol(client, world)
    aid = appointment_today(world)
    token, _code = convocation(client, world, aid)
    as_device(client, secret)
    post_form(client, "/borne/convocation", "/borne/convocation", {"token": token})
    later = clock.now() + timedelta(days=KEEP_DAYS + 1)
    monkeypatch.setattr(clock, "now", lambda: later)
    page = client.get("/borne/sans-rendez-vous")
    service = page.text.split('name="service" value="')[1].split('"')[0]
    post_form(client, "/borne/sans-rendez-vous", "/borne/sans-rendez-vous", {"service": service})
    db = connect(world.settings.db_path)
    try:
        left = db.fetch_all("SELECT appointment_id FROM kiosk_tickets")
        codes = db.fetch_all("SELECT id FROM kiosk_convocations")
    finally:
        db.close()
    assert left == [{"appointment_id": None}] and codes == []


def test_the_worker_sees_what_the_kiosk_records_about_her(world, client):
    configure(client, world)
    secret = enrol(client, world)
    as_device(client, secret)
    page = client.get("/borne/sans-rendez-vous")
    service = page.text.split('name="service" value="')[1].split('"')[0]
    post_form(client, "/borne/sans-rendez-vous", "/borne/sans-rendez-vous", {"service": service})
    as_worker(client, world, "secretary_a")
    sid = world.structures["a"]
    queue = f"/accueil/structures/{sid}/file"
    post_form(client, queue, f"/accueil/structures/{sid}/appeler", {"desk": "Guichet 1"})
    mine = html.unescape(client.get("/moi/enregistrements").text)
    assert "Ticket 001 du" in mine and "appelé par vous" in mine
    as_worker(client, world, "director_a")
    assert "Appareil « Hall » (n° 1) : enregistré par vous" in html.unescape(
        client.get("/moi/enregistrements").text
    )

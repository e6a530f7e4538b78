"""The kiosk's journeys through its pages: enrolment, arrival by QR code and by short code,
walk-in ticket, the desk's queue and call, the waiting-room screen, revocation."""

from __future__ import annotations

import html
import re

from kiosk_helpers import (
    appointment_today,
    as_device,
    as_worker,
    configure,
    convocation,
    enrol,
    post_form,
)

from virage.sdk.testing import connect


def _number(html: str) -> str:
    return re.search(r'<p class="number" id="numero">(\d+)</p>', html).group(1)


def _audit(world, action: str) -> list[dict]:
    db = connect(world.settings.db_path)
    try:
        return db.fetch_all("SELECT * FROM audit_log WHERE action = ? ORDER BY id", [action])
    finally:
        db.close()


def test_the_day_at_the_kiosk(world, client):
    ids = configure(client, world)
    secret = enrol(client, world, place_id=ids["place_id"])
    aid = appointment_today(world)
    token, _code = convocation(client, world, aid)

    as_device(client, secret)
    home = client.get("/borne/")
    assert home.status_code == 200 and "Avez-vous un rendez-vous ?" in home.text
    r = post_form(client, "/borne/convocation", "/borne/convocation", {"token": token})
    assert r.status_code == 303, r.text
    ticket = client.get(r.headers["location"])
    assert _number(ticket.text) == "001"
    shown = html.unescape(ticket.text)
    assert "Salle d'attente" in shown and "Rez-de-chaussée" in shown
    for secret_word in ("Durand", "Jeanne", "diabétologie", "Consultation", "h 00"):
        assert secret_word not in shown

    # scanned again: the same number, nothing new in the agenda
    r = post_form(client, "/borne/convocation", "/borne/convocation", {"token": token})
    assert _number(client.get(r.headers["location"]).text) == "001"

    # walk-in, in English
    page = client.get("/borne/sans-rendez-vous?langue=en")
    assert "Blood test" in page.text and 'lang="en"' in page.text
    service = re.search(r'name="service" value="(\d+)"', page.text).group(1)
    r = post_form(
        client,
        "/borne/sans-rendez-vous?langue=en",
        "/borne/sans-rendez-vous",
        {"service": service, "langue": "en"},
    )
    walk = client.get(r.headers["location"])
    assert _number(walk.text) == "002" and "Your number" in walk.text

    # the desk: in order, with the name for the appointment, « identité non vérifiée » otherwise
    as_worker(client, world, "secretary_a")
    sid = world.structures["a"]
    queue = client.get(f"/accueil/structures/{sid}/file")
    assert queue.status_code == 200
    assert re.findall(r"<td><strong>(\d{3})</strong>", queue.text) == ["001", "002"]
    assert "Jeanne DURAND" in queue.text and "identité non vérifiée" in html.unescape(queue.text)
    assert _audit(world, "kiosk.queue.person")[-1]["person_id"] == world.persons["p1"]
    r = post_form(
        client,
        f"/accueil/structures/{sid}/file",
        f"/accueil/structures/{sid}/appeler",
        {"desk": "Guichet 2"},
    )
    assert "appele=001" in r.headers["location"]

    # the waiting-room screen: numbers and desk only
    screen_secret = enrol(client, world, kind="screen")
    as_device(client, screen_secret)
    screen = client.get("/borne/ecran")
    shown = re.findall(r"<li><span>([^<]*)</span><span>([^<]*)</span></li>", screen.text)
    assert shown == [("001", "Guichet 2")]
    assert "Durand" not in screen.text

    # the agenda shows the arrival
    as_worker(client, world, "coord_a")
    assert "signalée à l'accueil" in html.unescape(client.get(f"/agenda/rendez-vous/{aid}").text)
    assert _audit(world, "agenda.arrival")[-1]["actor_label"] == "Borne d'accueil « Hall » (n° 1)"


def test_short_code_and_birth_date(world, client):
    configure(client, world)
    secret = enrol(client, world)
    aid = appointment_today(world)
    _token, code = convocation(client, world, aid)
    as_device(client, secret)
    r = post_form(client, "/borne/code", "/borne/code", {"code": code.lower()})
    assert r.status_code == 200 and "date de naissance" in html.unescape(r.text)
    r = post_form(
        client,
        "/borne/code",
        "/borne/naissance",
        {"code": code, "jour": "18", "mois": "11", "annee": "1950"},
    )
    assert r.status_code == 303, r.text
    assert _number(client.get(r.headers["location"]).text) == "001"


def test_a_revoked_kiosk_is_refused_at_once(world, client):
    configure(client, world)
    secret = enrol(client, world)
    as_device(client, secret)
    assert client.get("/borne/").status_code == 200
    as_worker(client, world, "director_a")
    sid = world.structures["a"]
    page = f"/accueil/structures/{sid}/bornes"
    assert post_form(client, page, f"{page}/1/revoquer", {}).status_code == 303
    as_device(client, secret)
    r = client.get("/borne/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/borne/activer"
    assert _audit(world, "kiosk.device.revoked")


def test_activation_sets_the_device_cookie_and_nothing_else(world, client):
    secret = enrol(client, world)
    client.cookies.clear()
    r = post_form(client, "/borne/activer", "/borne/activer", {"code": secret})
    assert r.status_code == 303 and r.headers["location"] == "/borne/"
    assert "virage_borne" in r.headers["set-cookie"] and "HttpOnly" in r.headers["set-cookie"]
    client.cookies.clear()
    bad = post_form(client, "/borne/activer", "/borne/activer", {"code": "faux"})
    assert bad.status_code == 400 and "pas reconnu" in bad.text

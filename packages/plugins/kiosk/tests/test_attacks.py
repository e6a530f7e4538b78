"""Attacks from a kiosk: its credential opens no page nor API with personal data; a convocation
of another day or structure, or a forged one, is refused; guessing codes is throttled."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from kiosk_helpers import (
    appointment_today,
    as_device,
    configure,
    convocation,
    enrol,
    post_form,
)
from litestar.routes import HTTPRoute
from virage_kiosk import clock, devices
from virage_kiosk.tokens import convocation_token

from virage.sdk.testing import connect

# The birth date in every way a page or an answer writes it (the year alone would also match
# random tokens: a CSRF token or a nonce may contain « 1950 »).
BIRTH_DATE = ("1950-11-18", "18/11/1950", "18 novembre 1950", "18 nov. 1950", "18.11.1950")
PERSONAL = (
    "Durand",
    "Jeanne",
    "Diabète",
    "insuline",
    "diabétologie",
    "Petit",
    "Louis",
    *BIRTH_DATE,
)
_PARAM = re.compile(r"\{(\w+):(\w+)\}")


def _scan(client, token: str):
    return post_form(client, "/borne/convocation", "/borne/convocation", {"token": token})


def _checked_in(world) -> int:
    db = connect(world.settings.db_path)
    try:
        return db.fetch_one("SELECT COUNT(*) AS n FROM kiosk_tickets")["n"]
    finally:
        db.close()


@pytest.fixture
def kiosk(world, client):
    configure(client, world)
    secret = enrol(client, world)
    aid = appointment_today(world)
    token, code = convocation(client, world, aid)
    as_device(client, secret)
    return {"secret": secret, "aid": aid, "token": token, "code": code}


def test_no_page_nor_api_gives_personal_data_to_a_kiosk(world, client, kiosk):
    r = _scan(client, kiosk["token"])
    ticket_id = r.headers["location"].split("/")[-1].split("?")[0]
    values = {
        "person_id": world.persons["p1"],
        "appointment_id": kiosk["aid"],
        "structure_id": world.structures["a"],
        "ticket_id": ticket_id,
        "user_id": world.users["nurse_a"],
    }
    seen = 0
    for route in client.app.routes:
        if not isinstance(route, HTTPRoute) or "GET" not in route.methods:
            continue
        path = _PARAM.sub(lambda m: str(values.get(m.group(1), 1)), route.path)
        if path.startswith(("/static", "/docs")):
            continue
        as_device(client, kiosk["secret"])
        answer = client.get(path, follow_redirects=False)
        body = html.unescape(answer.text)
        leaked = [w for w in PERSONAL if w in body]
        assert not leaked, f"{path} answers {answer.status_code} with {leaked}"
        seen += 1
    assert seen > 100
    # the device's cookie is no session: pages lead to the log-in, the API wants a token
    as_device(client, kiosk["secret"])
    assert client.get(f"/personnes/{world.persons['p1']}", follow_redirects=False).status_code in (
        302,
        303,
    )
    assert client.get(f"/api/v1/persons/{world.persons['p1']}").status_code == 401


def test_a_convocation_of_another_day_is_refused(world, client, kiosk):
    secret_key = world.settings.secret_key
    sid, aid = world.structures["a"], kiosk["aid"]
    yesterday = convocation_token(secret_key, sid, aid, clock.today() - timedelta(days=1))
    r = _scan(client, yesterday)
    assert r.status_code == 400 and "Présentez-vous à l'accueil" in html.unescape(r.text)
    assert _checked_in(world) == 0


def test_todays_convocation_is_refused_tomorrow(world, client, kiosk, monkeypatch):
    tomorrow = clock.now() + timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: tomorrow)
    assert _scan(client, kiosk["token"]).status_code == 400
    assert _checked_in(world) == 0


def test_a_convocation_of_another_structure_or_forged_is_refused(world, client, kiosk):
    secret_key = world.settings.secret_key
    other = convocation_token(secret_key, world.structures["b"], kiosk["aid"], clock.today())
    assert _scan(client, other).status_code == 400
    # signed by another instance's key, or with a changed appointment number
    assert (
        _scan(
            client,
            convocation_token("autre-cle", world.structures["a"], kiosk["aid"], clock.today()),
        ).status_code
        == 400
    )
    forged = kiosk["token"].replace(f"-{kiosk['aid']}-", f"-{kiosk['aid'] + 1}-")
    assert _scan(client, forged).status_code == 400
    assert _checked_in(world) == 0


def test_a_kiosk_of_another_structure_does_not_take_the_convocation(world, client, kiosk):
    secret_b = enrol_b(client, world)
    as_device(client, secret_b)
    assert _scan(client, kiosk["token"]).status_code == 400
    assert _checked_in(world) == 0


def enrol_b(client, world) -> str:
    """Structure b has no director in the small world: its device is written as the system."""
    from virage_kiosk import storage
    from virage_kiosk.tokens import credential_hash, new_credential

    secret = new_credential()
    db = connect(world.settings.db_path)
    try:
        with db.transaction():
            storage.add_device(
                db,
                {
                    "structure_id": world.structures["b"],
                    "kind": "kiosk",
                    "name": "Hall B",
                    "secret_hash": credential_hash(secret),
                    "created_by": world.users["coord_b"],
                    "created_at": clock.now_iso(),
                },
            )
    finally:
        db.close()
    return secret


def test_guessing_codes_is_throttled(world, client, kiosk, monkeypatch):
    for attempt in range(devices.FREE_FAILURES):
        r = post_form(
            client,
            "/borne/code",
            "/borne/naissance",
            {"code": f"AAAA{attempt:02d}", "jour": "1", "mois": "1", "annee": "1950"},
        )
        assert r.status_code == 400
    # even the right code and birth date now wait: nothing is looked up
    right = {"code": kiosk["code"], "jour": "18", "mois": "11", "annee": "1950"}
    r = post_form(client, "/borne/code", "/borne/naissance", right)
    assert r.status_code == 429 and "Trop d'essais" in html.unescape(r.text)
    assert _checked_in(world) == 0
    # the window passes (pinned clock): the right code is accepted
    later = clock.now() + devices.GUESS_WINDOW + timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    r = post_form(client, "/borne/code", "/borne/naissance", right)
    assert r.status_code == 303


def test_a_wrong_birth_date_is_refused_like_a_wrong_code(world, client, kiosk):
    wrong_birth = post_form(
        client,
        "/borne/code",
        "/borne/naissance",
        {"code": kiosk["code"], "jour": "19", "mois": "11", "annee": "1950"},
    )
    wrong_code = post_form(
        client,
        "/borne/code",
        "/borne/naissance",
        {"code": "ZZZZZZ", "jour": "18", "mois": "11", "annee": "1950"},
    )
    assert wrong_birth.status_code == wrong_code.status_code == 400
    message = re.compile(r'<h1 class="alert" role="alert">([^<]+)</h1>')
    assert message.search(wrong_birth.text)[1] == message.search(wrong_code.text)[1]
    # the person's journal shows that someone tried her code with another birth date
    db = connect(world.settings.db_path)
    try:
        refused = db.fetch_all(
            "SELECT person_id FROM audit_log WHERE action = 'kiosk.checkin.refused' ORDER BY id"
        )
    finally:
        db.close()
    assert [r["person_id"] for r in refused] == [world.persons["p1"], None]


def test_a_ticket_is_shown_only_to_its_kiosk(world, client, kiosk):
    r = _scan(client, kiosk["token"])
    url = r.headers["location"]
    assert client.get(url).status_code == 200
    as_device(client, enrol_b(client, world))
    assert client.get(url).status_code == 404
    client.cookies.clear()
    assert client.get(url, follow_redirects=False).headers["location"] == "/borne/activer"


def test_a_kiosk_sending_too_much_is_slowed_down(world, client, kiosk):
    for _ in range(devices.USES_PER_MINUTE):
        post_form(client, "/borne/sans-rendez-vous", "/borne/sans-rendez-vous", {"service": "x"})
    r = post_form(client, "/borne/sans-rendez-vous", "/borne/sans-rendez-vous", {"service": "x"})
    assert r.status_code == 429

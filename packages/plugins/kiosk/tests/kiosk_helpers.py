"""Helpers of the kiosk tests: sign in as a worker or act as a device on one test client, enrol
a kiosk through the director's page, seed today's appointment of p1 (born 18 November 1950)."""

from __future__ import annotations

import re
from datetime import datetime, time

from virage_kiosk import clock
from virage_kiosk.tokens import convocation_token

from tests.accounts.conftest import csrf_from
from virage.sdk import accounts, agenda, to_local, utcnow
from virage.sdk.testing import SESSION_COOKIE, connect, signed_in

BIRTH = "1950-11-18"


def as_worker(client, world, username: str) -> None:
    client.cookies.clear()
    db = connect(world.settings.db_path)
    try:
        client.cookies.set(SESSION_COOKIE, signed_in(db, username))
    finally:
        db.close()


def as_device(client, secret: str) -> None:
    client.cookies.clear()
    client.cookies.set("virage_borne", secret)


def post_form(client, page: str, url: str, data: dict, **kw):
    """GET ``page`` for its CSRF token, then POST ``data`` to ``url``."""
    token = csrf_from(client.get(page).text)
    return client.post(url, data={**data, "_csrf_token": token}, follow_redirects=False, **kw)


def configure(client, world, structure="a") -> dict:
    """As the director: a waiting room, a service, opening hours all day; returns their ids."""
    as_worker(client, world, "director_a")
    sid = world.structures[structure]
    page = f"/accueil/structures/{sid}/reglages"
    for data in (
        {"what": "place", "label": "Salle d'attente", "floor": "Rez-de-chaussée", "room": "B"},
        {"what": "texts", "opens": "00:00", "closes": "23:59", "welcome_fr": "", "welcome_en": ""},
    ):
        assert post_form(client, page, page, data).status_code == 303
    html = client.get(page).text
    place_id = re.search(r'<option value="(\d+)">Salle d(?:\'|&#39;)attente</option>', html)[1]
    data = {
        "what": "service",
        "label": "Prise de sang",
        "label_en": "Blood test",
        "place_id": place_id,
    }
    assert post_form(client, page, page, data).status_code == 303
    return {"place_id": int(place_id)}


def enrol(client, world, kind="kiosk", place_id: int | None = None, structure="a") -> str:
    """As the director, enrol a device; returns its credential (shown once)."""
    as_worker(client, world, "director_a")
    sid = world.structures[structure]
    page = f"/accueil/structures/{sid}/bornes"
    data = {"name": "Hall", "kind": kind, "place_id": str(place_id or "")}
    r = post_form(client, page, page, data)
    assert r.status_code == 200, r.text
    return re.search(r'<code id="code-activation">([^<]+)</code>', r.text).group(1)


def appointment_today(world, person="p1", structure="a", hour=None) -> int:
    """p1's appointment of today (an hour from now, within today in Paris), with her birth date."""
    db = connect(world.settings.db_path)
    try:
        accounts.update_person(db, world.persons[person], {"birth_date": BIRTH})
        local = to_local(utcnow())
        start = datetime.combine(clock.today(), time(hour if hour is not None else local.hour, 0))
        return agenda.seed_appointment(
            db,
            {k.name: k for k in agenda.CORE_KINDS},
            structure_id=world.structures[structure],
            kind="meeting",
            title="Consultation de diabétologie",
            professional_ids=[world.users["nurse_a" if structure == "a" else "nurse_b"]],
            start_local=start,
            duration_minutes=30,
            person_id=world.persons[person],
        )
    finally:
        db.close()


def convocation(client, world, appointment_id: int) -> tuple[str, str]:
    """As the secretariat, print the convocation; returns (token, short code)."""
    as_worker(client, world, "secretary_a")
    r = client.get(f"/accueil/convocation/{appointment_id}")
    assert r.status_code == 200, r.text
    code = re.search(r'<strong id="code-court">([^<]+)</strong>', r.text).group(1)
    # The QR code holds the token; computed here as the server signs it.
    token = convocation_token(
        world.settings.secret_key, world.structures["a"], appointment_id, clock.today()
    )
    return token, code

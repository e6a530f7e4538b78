"""The kiosk's indicators (hook ``register_indicators``): arrivals with or without appointment
and the median wait until the call, by Paris calendar month; small cells hidden; nobody of the
desk named; a month's figures outlive its tickets (forgotten after 31 days)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, time, timedelta

from kiosk_helpers import as_device, as_worker, configure, enrol, post_form
from virage_kiosk import clock, storage
from virage_kiosk.indicators import INDICATORS

from virage.sdk import PARIS, Indicator, PluginHost, accounts, iso, to_local, to_utc
from virage.sdk.testing import connect

MONTH = "2026-11"
DESK = ("secretary_a", "secretary a", "Guichet 1")


def month_bounds(month: str) -> tuple[str, str]:
    """The UTC bounds of a Paris calendar month, as the indicators domain gives them."""
    year, number = int(month[:4]), int(month[5:])
    after = (year + 1, 1) if number == 12 else (year, number + 1)
    first = datetime.combine(date(year, number, 1), time(0), tzinfo=PARIS)
    return iso(to_utc(first)), iso(to_utc(datetime.combine(date(*after, 1), time(0), tzinfo=PARIS)))


#: Three people of the reception call the tickets in turn.
DESK = ("secretary_a", "coord_a", "director_a")


def _ticket(db, world, number: int, taken: datetime, wait: int | None, person=None, rdv=None):
    storage.add_ticket(
        db,
        {
            "structure_id": world.structures["a"],
            "day": to_local(taken).date().isoformat(),
            "number": number,
            "device_id": 1,
            "appointment_id": rdv,
            "person_id": person,
            "status": "waiting" if wait is None else "called",
            "desk": "" if wait is None else "Guichet 1",
            "created_at": taken.isoformat(),
            "called_at": None if wait is None else (taken + timedelta(minutes=wait)).isoformat(),
            "called_by": None if wait is None else world.users[DESK[number % 3]],
        },
    )


def _seed(world) -> None:
    """November: five persons with an appointment (waits 2 to 10 minutes), two tickets without
    (one waited 20 minutes, one never called), one more without at 0 h 30 on 1 November in Paris
    (23 h 30 UTC on 31 October); a ticket at 0 h 30 on 1 December in Paris is December's."""
    db = connect(world.settings.db_path)
    sid = world.structures["a"]
    persons = [
        accounts.create_person(db, sid, {"family_name": f"Arrivée{i}", "given_names": "Test"})
        for i in range(5)
    ]
    for i, person in enumerate(persons):
        taken = datetime(2026, 11, 10, 8, 10 * i, tzinfo=UTC)
        _ticket(db, world, i + 1, taken, 2 * (i + 1), person=person, rdv=100 + i)
    _ticket(db, world, 6, datetime(2026, 11, 10, 9, 0, tzinfo=UTC), 20)
    _ticket(db, world, 7, datetime(2026, 11, 10, 9, 5, tzinfo=UTC), None)
    _ticket(db, world, 1, datetime(2026, 10, 31, 23, 30, tzinfo=UTC), None)
    _ticket(db, world, 1, datetime(2026, 11, 30, 23, 30, tzinfo=UTC), 3)
    db.close()


def _cells(world, month: str) -> dict:
    db = connect(world.settings.db_path)
    try:
        return {
            i.key: {
                c.category: (c.value, c.base)
                for c in i.compute(db, world.structures["a"], *month_bounds(month))
            }
            for i in INDICATORS
        }
    finally:
        db.close()


NOVEMBER = {
    "kiosk.arrivees": {"Avec rendez-vous": (5, 5), "Sans rendez-vous": (3, 3)},
    "kiosk.attente": {"": (7.0, 6)},  # waits 2, 4, 6, 8, 10 and 20 minutes
}


def test_arrivals_and_wait_by_paris_month(world):
    _seed(world)
    assert _cells(world, MONTH) == NOVEMBER
    # December: one person called its only ticket — her time, so no median wait at all
    assert _cells(world, "2026-12") == {
        "kiosk.arrivees": {"Sans rendez-vous": (1, 1)},
        "kiosk.attente": {},
    }
    assert _cells(world, "2026-10") == {"kiosk.arrivees": {}, "kiosk.attente": {}}


def test_a_month_outlives_its_forgotten_tickets(world, client, monkeypatch):
    _seed(world)
    configure(client, world)
    secret = enrol(client, world)
    later = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)  # the kiosk forgets tickets before 5 December
    monkeypatch.setattr(clock, "now", lambda: later)
    as_device(client, secret)
    page = client.get("/borne/sans-rendez-vous")
    choice = page.text.split('name="service" value="')[1].split('"')[0]
    r = post_form(client, "/borne/sans-rendez-vous", "/borne/sans-rendez-vous", {"service": choice})
    assert r.status_code in (200, 303), r.text
    db = connect(world.settings.db_path)
    try:
        days = [r["day"] for r in db.fetch_all("SELECT day FROM kiosk_tickets")]
    finally:
        db.close()
    assert days == ["2027-01-05"]  # November's and December's tickets are forgotten…
    assert _cells(world, MONTH) == NOVEMBER  # … their figures are not
    assert _cells(world, "2026-12")["kiosk.arrivees"] == {"Sans rendez-vous": (1, 1)}


def test_the_export_hides_small_cells_and_names_nobody_of_the_desk(world, client):
    _seed(world)
    sid = world.structures["a"]
    assert {i.key for i in INDICATORS} <= {
        i.key for _, i in PluginHost(world.settings).contributions("register_indicators", Indicator)
    }
    as_worker(client, world, "director_a")
    dashboard = client.get(f"/indicateurs/structures/{sid}?debut={MONTH}&fin={MONTH}")
    assert dashboard.status_code == 200 and "Arrivées à la borne d" in dashboard.text
    page = f"/indicateurs/structures/{sid}/sas"
    r = post_form(client, page, page, {"periode": MONTH})
    assert r.status_code == 303, r.text
    export = re.search(r"/indicateurs/sas/(\d+)", r.headers["location"])[1]
    for username in ("director_a", "dpo_a"):
        as_worker(client, world, username)
        sas = f"/indicateurs/sas/{export}"
        assert post_form(client, sas, f"{sas}/approuver", {}).status_code == 303
    text = client.get(f"/indicateurs/sas/{export}/telecharger?format=csv").text
    raw = client.get(f"/indicateurs/sas/{export}/telecharger?format=json").text
    lines = [x for x in csv.reader(io.StringIO(text), delimiter=";") if x[0].startswith("kiosk.")]
    value = {(x[0], x[3], x[4]): x[5] for x in lines}
    # three tickets without appointment: hidden, and so is the other cell of the month
    assert value[("kiosk.arrivees", MONTH, "Sans rendez-vous")] == "masqué"
    assert value[("kiosk.arrivees", MONTH, "Avec rendez-vous")] == "masqué"
    assert value[("kiosk.arrivees", MONTH, "total")] == "8"
    assert value[("kiosk.attente", MONTH, "")] == "7"
    for name in (*DESK, "Arrivée0"):
        assert name not in text and name not in raw

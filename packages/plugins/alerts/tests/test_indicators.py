"""The alerts' indicators (hook ``register_indicators``): per unit, by Paris calendar month, a
cell's base is the rooms behind it (small ones hidden), and no worker ever appears."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, time, timedelta

from alerts_helpers import as_worker, post_form
from virage_alerts import storage
from virage_alerts.indicators import INDICATORS

from virage.sdk import PARIS, Indicator, PluginHost, iso, to_utc
from virage.sdk.testing import connect

MONTH = "2026-11"
WORKERS = ("nurse_a", "nurse2_a", "care_a", "nurse a", "nurse2 a", "care a")


def month_bounds(month: str) -> tuple[str, str]:
    """The UTC bounds of a Paris calendar month, as the indicators domain gives them."""
    year, number = int(month[:4]), int(month[5:])
    after = (year + 1, 1) if number == 12 else (year, number + 1)
    first = datetime.combine(date(year, number, 1), time(0), tzinfo=PARIS)
    return iso(to_utc(first)), iso(to_utc(datetime.combine(date(*after, 1), time(0), tzinfo=PARIS)))


def _alert(db, world, device: dict, room: str, raised: datetime, **values) -> int:
    return storage.add_alert(
        db,
        {
            "structure_id": world.structures["a"],
            "device_id": device[room],
            "room": room,
            "unit": device["units"][room],
            "kind": "fall",
            "raised_at": raised.isoformat(),
            **values,
        },
    )


def _seed(world) -> None:
    """« Les Tilleuls »: rooms 1 to 6 on 10 November (taken after 1 to 6 minutes by three workers;
    rooms 1 and 2 false alarms, 3 and 4 falls without injury, 5 with, 6 « autre »), room 1 again
    at 0 h 30 on 1 November in Paris (23 h 30 UTC on 31 October), room 7 at 0 h 30 on 1 December
    in Paris (December's). « Les Chênes »: one fall with injury, room 31 (one room: hidden)."""
    db = connect(world.settings.db_path)
    sid = world.structures["a"]
    nurses = (world.users["nurse_a"], world.users["nurse2_a"], world.users["care_a"])
    rooms = {str(n): "Les Tilleuls" for n in range(1, 8)} | {"31": "Les Chênes"}
    device: dict = {"units": rooms}
    for room, unit in rooms.items():
        device[room] = storage.add_device(
            db,
            {
                "structure_id": sid,
                "name": f"Capteur {room}",
                "room": room,
                "unit": unit,
                "salt": "sel",
                "created_by": world.users["director_a"],
                "created_at": "2026-10-01T00:00:00+00:00",
            },
        )
    outcomes = (
        "false_alarm",
        "false_alarm",
        "fall_no_injury",
        "fall_no_injury",
        "fall_injury",
        "other",
    )
    for n in range(1, 7):
        raised = datetime(2026, 11, 10, 1, n, tzinfo=UTC)
        taken = raised + timedelta(minutes=n)
        _alert(
            db,
            world,
            device,
            str(n),
            raised,
            status="closed",
            taken_by=nurses[n % 3],
            taken_at=taken.isoformat(),
            closed_by=nurses[(n + 1) % 2],
            closed_at=(taken + timedelta(minutes=5)).isoformat(),
            outcome=outcomes[n - 1],
        )
    _alert(db, world, device, "1", datetime(2026, 10, 31, 23, 30, tzinfo=UTC))
    _alert(db, world, device, "7", datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    raised = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    _alert(
        db,
        world,
        device,
        "31",
        raised,
        status="closed",
        taken_by=nurses[0],
        taken_at=(raised + timedelta(minutes=12)).isoformat(),
        closed_by=nurses[0],
        closed_at=(raised + timedelta(minutes=30)).isoformat(),
        outcome="fall_injury",
    )
    db.close()


def _cells(world, month: str) -> dict[str, dict[str, tuple]]:
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


def test_per_unit_by_paris_month_with_rooms_as_base(world):
    _seed(world)
    november = _cells(world, MONTH)
    assert november == {
        "alertes.declenchees": {"Les Tilleuls": (7, 6), "Les Chênes": (1, 1)},
        "alertes.chutes": {"Les Tilleuls": (3, 3), "Les Chênes": (1, 1)},
        "alertes.fausses_alertes": {"Les Tilleuls": (33.3, 6), "Les Chênes": (0.0, 1)},
        # « Les Chênes »: one person took its only alert — her time, so no median at all
        "alertes.delai_prise_en_charge": {"Les Tilleuls": (3.5, 6)},
    }
    # 23 h 30 UTC on 30 November is 0 h 30 on 1 December in Paris; 31 October's, November's
    assert _cells(world, "2026-12")["alertes.declenchees"] == {"Les Tilleuls": (1, 1)}
    assert _cells(world, "2026-10")["alertes.declenchees"] == {}
    for cells in november.values():
        for category in cells:
            assert not any(w in category for w in WORKERS)


def test_no_median_time_that_one_or_two_people_make_up(world):
    _seed(world)
    db = connect(world.settings.db_path)
    db.execute(
        "UPDATE alerts_alerts SET taken_by = ? WHERE taken_by = ?",
        [world.users["nurse_a"], world.users["care_a"]],
    )
    db.commit()
    db.close()
    november = _cells(world, MONTH)
    assert november["alertes.delai_prise_en_charge"] == {}  # two people took them all
    assert november["alertes.declenchees"] == {"Les Tilleuls": (7, 6), "Les Chênes": (1, 1)}


def _export(client, world, period: str) -> tuple[str, str]:
    """Prepare the month's export in the sas, approve it twice, download CSV and JSON."""
    sid = world.structures["a"]
    as_worker(client, world, "director_a")
    page = f"/indicateurs/structures/{sid}/sas"
    r = post_form(client, page, page, {"periode": period})
    assert r.status_code == 303, r.text
    export = re.search(r"/indicateurs/sas/(\d+)", r.headers["location"])[1]
    for username in ("director_a", "dpo_a"):
        as_worker(client, world, username)
        sas = f"/indicateurs/sas/{export}"
        assert post_form(client, sas, f"{sas}/approuver", {}).status_code == 303
    files = [
        client.get(f"/indicateurs/sas/{export}/telecharger?format={f}").text
        for f in ("csv", "json")
    ]
    return files[0], files[1]


def test_small_units_are_hidden_in_the_export_and_no_worker_appears(world, client):
    _seed(world)
    text, raw = _export(client, world, MONTH)
    lines = [x for x in csv.reader(io.StringIO(text), delimiter=";") if x[0].startswith("alertes.")]
    value = {(x[0], x[3], x[4]): x[5] for x in lines}
    assert value[("alertes.declenchees", MONTH, "Les Chênes")] == "masqué"  # one room
    # … and so is the other unit, or the month's total would give it back
    assert value[("alertes.declenchees", MONTH, "Les Tilleuls")] == "masqué"
    assert value[("alertes.declenchees", MONTH, "total")] == "8"
    assert value[("alertes.chutes", MONTH, "Les Tilleuls")] == "masqué"  # three rooms
    assert value[("alertes.fausses_alertes", MONTH, "Les Tilleuls")] == "33.3"
    assert value[("alertes.delai_prise_en_charge", MONTH, "Les Tilleuls")] == "3.5"
    assert ("alertes.delai_prise_en_charge", MONTH, "Les Chênes") not in value
    content = json.loads(raw)
    assert {i["key"] for i in content["indicators"]} >= {i.key for i in INDICATORS}
    for worker in WORKERS:
        assert worker not in text and worker not in raw


def test_the_structure_dashboard_shows_them(world, client):
    _seed(world)
    keys = {
        i.key for _, i in PluginHost(world.settings).contributions("register_indicators", Indicator)
    }
    assert {i.key for i in INDICATORS} <= keys
    as_worker(client, world, "director_a")
    r = client.get(f"/indicateurs/structures/{world.structures['a']}?debut={MONTH}&fin={MONTH}")
    assert r.status_code == 200
    assert "Alertes de nuit déclenchées, par unité" in r.text and "Les Tilleuls" in r.text
    assert "Part des fausses alertes, par unité" in r.text and "(médiane), par unité" in r.text
    for worker in ("nurse a", "nurse2 a"):
        assert worker not in r.text

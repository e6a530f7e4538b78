"""Recurring series: local-time expansion across daylight-saving changes, and series edits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.accounts.conftest import bearer
from tests.agenda.helpers import API, occurrences, visit
from virage.agenda import timeutil
from virage.errors import InvalidInput

# 2030: clocks go forward on Sunday 31 March, back on Sunday 27 October.


def test_daily_8am_stays_8am_across_spring_forward():
    starts = timeutil.expand(
        datetime(2030, 3, 29, 8, 0),
        "FREQ=DAILY;COUNT=5",
        [],
        datetime(2030, 1, 1, tzinfo=UTC),
        datetime(2031, 1, 1, tzinfo=UTC),
    )
    utc = [timeutil.to_utc(s).strftime("%d %H:%M") for s in starts]
    assert utc == ["29 07:00", "30 07:00", "31 06:00", "01 06:00", "02 06:00"]
    assert all(timeutil.to_local(timeutil.to_utc(s)).hour == 8 for s in starts)


def test_daily_evening_visit_across_fall_back():
    starts = timeutil.expand(
        datetime(2030, 10, 26, 19, 30),
        "FREQ=DAILY;COUNT=3",
        [],
        datetime(2030, 1, 1, tzinfo=UTC),
        datetime(2031, 1, 1, tzinfo=UTC),
    )
    assert [timeutil.to_utc(s).strftime("%d %H:%M") for s in starts] == [
        "26 17:30",
        "27 18:30",
        "28 18:30",
    ]


def test_non_existent_and_ambiguous_wall_clock_times():
    # 2:30 does not exist on 31 March 2030: shifted forward to 3:30 (CEST).
    assert timeutil.to_local(timeutil.to_utc(datetime(2030, 3, 31, 2, 30))).hour == 3
    # 2:30 happens twice on 27 October 2030: the first one (CEST, 00:30 UTC).
    assert timeutil.to_utc(datetime(2030, 10, 27, 2, 30)).strftime("%H:%M") == "00:30"


def test_paris_day_lengths_around_dst():
    for day, hours in (("2030-03-31", 23), ("2030-10-27", 25), ("2030-06-01", 24)):
        start, end = timeutil.day_bounds(datetime.fromisoformat(day).date())
        assert end - start == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=HOURLY", "Fréquence"),
        ("BYDAY=MO", "fréquence"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20300101", "à la fois"),
        ("FREQ=DAILY;COUNT=x", "COUNT=X : nombre de 1 à 3000"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "aucune date"),
    ],
)
def test_bad_rules_are_refused_in_french(rule, message):
    with pytest.raises(InvalidInput) as exc:
        timeutil.normalise_rule(rule, datetime(2030, 1, 1, 8, 0))
    assert message in exc.value.message


def test_until_in_utc_becomes_paris_wall_clock():
    rule = timeutil.normalise_rule("FREQ=DAILY;UNTIL=20300402T060000Z", datetime(2030, 3, 30, 8))
    assert "UNTIL=20300402T080000" in rule
    starts = timeutil.expand(
        datetime(2030, 3, 30, 8),
        rule,
        [],
        datetime(2030, 1, 1, tzinfo=UTC),
        datetime(2031, 1, 1, tzinfo=UTC),
    )
    assert [s.day for s in starts] == [30, 31, 1, 2]


def _series(client, world, **extra):
    r = visit(
        client,
        world,
        start="2030-03-29T08:00",
        duration_minutes=30,
        recurrence={"rrule": "FREQ=DAILY;COUNT=6", **extra.pop("recurrence", {})},
        **extra,
    )
    assert r.status_code == 201, r.text
    return r.json()


def _starts(client, world, start="2030-03-28", end="2030-04-10"):
    return [
        (a["start_local"], a["status"])
        for a in occurrences(client, world, "coord_a", start, end, person=world.persons["p1"])
    ]


def test_series_over_the_dst_weekend_through_the_api(client, world):
    first = _series(client, world)
    assert first["rrule"] == "FREQ=DAILY;COUNT=6"
    assert first["start"] == "2030-03-29T07:00:00+00:00"
    rows = occurrences(client, world, "coord_a", "2030-03-28", "2030-04-10")
    assert [r["start_local"][11:] for r in rows] == ["08:00"] * 6
    assert [r["start"][11:16] for r in rows] == [
        "07:00",
        "07:00",
        "06:00",
        "06:00",
        "06:00",
        "06:00",
    ]


def test_exdates_skip_occurrences(client, world):
    _series(client, world, recurrence={"exdates": ["2030-03-31T08:00"]})
    assert [s[0][:10] for s in _starts(client, world)] == [
        "2030-03-29",
        "2030-03-30",
        "2030-04-01",
        "2030-04-02",
        "2030-04-03",
    ]


def _id_on(client, world, day):
    rows = occurrences(client, world, "coord_a", day, day, person=world.persons["p1"])
    assert len(rows) == 1, rows
    return rows[0]["id"]


def test_edit_one_occurrence(client, world):
    _series(client, world)
    target = _id_on(client, world, "2030-03-31")
    r = client.patch(
        f"{API}/appointments/{target}",
        json={"start": "2030-03-31T10:00", "to_bring": "Pansements"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["start_local"] == "2030-03-31T10:00" and r.json()["to_bring"] == "Pansements"
    starts = [s[0] for s in _starts(client, world)]
    assert starts.count("2030-03-31T10:00") == 1 and "2030-03-31T08:00" not in starts
    assert [s for s in starts if s.endswith("08:00")] == [
        "2030-03-29T08:00",
        "2030-03-30T08:00",
        "2030-04-01T08:00",
        "2030-04-02T08:00",
        "2030-04-03T08:00",
    ]


def test_cancel_one_occurrence_keeps_it_with_its_reason(client, world):
    _series(client, world)
    target = _id_on(client, world, "2030-03-30")
    r = client.post(
        f"{API}/appointments/{target}/cancel",
        json={"reason": "absente (chez sa fille)"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["cancelled_occurrences"] == 1
    assert body["appointment"]["status"] == "cancelled"
    assert body["appointment"]["cancel_reason"] == "absente (chez sa fille)"
    assert ("2030-03-30T08:00", "cancelled") in _starts(client, world)
    # a second cancellation is refused clearly
    r = client.post(
        f"{API}/appointments/{target}/cancel",
        json={"reason": "encore"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 409 and "déjà annulé" in r.json()["detail"]


def test_this_and_following_splits_the_series(client, world):
    _series(client, world)
    cancelled = _id_on(client, world, "2030-04-02")
    client.post(
        f"{API}/appointments/{cancelled}/cancel",
        json={"reason": "rendez-vous médical"},
        headers=bearer(world, "coord_a"),
    )
    target = _id_on(client, world, "2030-03-31")
    r = client.patch(
        f"{API}/appointments/{target}?scope=following",
        json={"start": "2030-03-31T09:15", "end": "2030-03-31T09:45"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200, r.text
    new = r.json()
    assert new["start_local"] == "2030-03-31T09:15" and new["series_id"] != target
    assert _starts(client, world) == [
        ("2030-03-29T08:00", "planned"),
        ("2030-03-30T08:00", "planned"),
        ("2030-03-31T09:15", "planned"),
        ("2030-04-01T09:15", "planned"),
        ("2030-04-02T09:15", "cancelled"),  # the one-off cancellation is kept
        ("2030-04-03T09:15", "planned"),
    ]
    # the old series now ends before the split; COUNT became the remainder
    old = client.get(
        f"{API}/appointments/{_id_on(client, world, '2030-03-29')}",
        headers=bearer(world, "coord_a"),
    ).json()
    assert "UNTIL=20300331T075959" in old["rrule"]
    assert new["rrule"] == "FREQ=DAILY;COUNT=4"


def test_whole_series_edit_rewrites_what_is_to_come(client, world):
    _series(client, world)
    target = _id_on(client, world, "2030-04-01")
    r = client.patch(
        f"{API}/appointments/{target}?scope=series",
        json={"start": "2030-04-01T07:30", "duration_minutes": 45, "title": "Toilette"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["start_local"] == "2030-04-01T07:30"
    rows = occurrences(client, world, "coord_a", "2030-03-28", "2030-04-10")
    assert [(r["start_local"][11:], r["end_local"][11:], r["title"]) for r in rows] == [
        ("07:30", "08:15", "Toilette")
    ] * 6


def test_weekly_series_moved_to_another_day(client, world):
    r = visit(
        client,
        world,
        start="2030-04-01T14:00",  # a Monday
        recurrence={"rrule": "FREQ=WEEKLY;BYDAY=MO;COUNT=4"},
    )
    assert r.status_code == 201, r.text
    r = client.patch(
        f"{API}/appointments/{r.json()['id']}?scope=series",
        json={"start": "2030-04-02T15:00"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200, r.text
    assert "BYDAY=TU" in r.json()["rrule"]
    rows = occurrences(client, world, "coord_a", "2030-03-28", "2030-05-10")
    assert [x["start_local"] for x in rows] == [
        "2030-04-02T15:00",
        "2030-04-09T15:00",
        "2030-04-16T15:00",
        "2030-04-23T15:00",
    ]


def test_cancel_following_ends_the_series(client, world):
    _series(client, world)
    target = _id_on(client, world, "2030-04-01")
    r = client.post(
        f"{API}/appointments/{target}/cancel",
        json={"reason": "fin de prise en charge", "scope": "following"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200, r.text
    # the following occurrences stay, cancelled (restorable: tests/agenda/test_series_cancel.py)
    assert r.json()["cancelled_occurrences"] == 3
    assert r.json()["appointment"]["status"] == "cancelled"
    assert [(s[0][:10], s[1]) for s in _starts(client, world)] == [
        ("2030-03-29", "planned"),
        ("2030-03-30", "planned"),
        ("2030-03-31", "planned"),
        ("2030-04-01", "cancelled"),
        ("2030-04-02", "cancelled"),
        ("2030-04-03", "cancelled"),
    ]


def test_past_occurrences_done_are_never_rewritten(client, world):
    today = timeutil.today_paris()
    start = today - timedelta(days=3)
    r = visit(
        client,
        world,
        start=f"{start.isoformat()}T08:00",
        recurrence={"rrule": "FREQ=DAILY;COUNT=8"},
    )
    assert r.status_code == 201, r.text
    rows = occurrences(
        client, world, "coord_a", start.isoformat(), (start + timedelta(days=10)).isoformat()
    )
    done = rows[0]["id"]
    r = client.post(
        f"{API}/appointments/{done}/status",
        json={"status": "done"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200, r.text
    future = rows[5]["id"]
    r = client.patch(
        f"{API}/appointments/{future}?scope=series",
        json={"start": f"{rows[5]['start_local'][:10]}T09:00"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200, r.text
    after = occurrences(
        client, world, "coord_a", start.isoformat(), (start + timedelta(days=10)).isoformat()
    )
    assert after[0]["start_local"].endswith("08:00") and after[0]["status"] == "done"
    # occurrences to come moved to 9:00; the past ones (not yet done) kept their time
    assert {a["start_local"][11:] for a in after if a["start"] > datetime.now(UTC).isoformat()} == {
        "09:00"
    }
    assert len(after) == 8


def test_open_ended_series_is_extended_on_demand(client, world):
    r = visit(client, world, start="2030-01-07T08:00", recurrence={"rrule": "FREQ=WEEKLY;BYDAY=MO"})
    assert r.status_code == 201, r.text
    far = occurrences(client, world, "coord_a", "2031-06-02", "2031-06-08")
    assert [x["start_local"] for x in far] == ["2031-06-02T08:00"]


def test_an_unbounded_flood_is_refused(client, world):
    r = visit(
        client, world, start="2030-01-01T08:00", recurrence={"rrule": "FREQ=DAILY;COUNT=5000"}
    )
    assert r.status_code == 400 and "3000" in r.json()["detail"]


def test_whole_series_edit_mid_day_keeps_todays_past_occurrence_once(client, world, monkeypatch):
    # The clock is pinned to the middle of a day (deterministic, whatever the real time is).
    pinned = datetime(2031, 3, 12, 14, 0, tzinfo=timeutil.PARIS)
    monkeypatch.setattr("virage.agenda.editing.utcnow", lambda: pinned.astimezone(UTC))
    now = pinned.replace(tzinfo=None)
    past, later = now - timedelta(minutes=30), now + timedelta(minutes=30)
    start = past - timedelta(days=1)
    r = visit(client, world, start=start.isoformat(), recurrence={"rrule": "FREQ=DAILY;COUNT=4"})
    assert r.status_code == 201, r.text
    day = lambda d: (now.date() + timedelta(days=d)).isoformat()  # noqa: E731
    rows = occurrences(client, world, "coord_a", day(-1), day(3))
    r = client.patch(
        f"{API}/appointments/{rows[2]['id']}?scope=series",
        json={"start": f"{day(1)}T{later:%H:%M}"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200, r.text
    after = occurrences(client, world, "coord_a", day(-1), day(3))
    assert [a["start_local"] for a in after] == [
        f"{day(-1)}T{past:%H:%M}",
        f"{day(0)}T{past:%H:%M}",  # already past today: kept, and not doubled at the new time
        f"{day(1)}T{later:%H:%M}",
        f"{day(2)}T{later:%H:%M}",
    ]

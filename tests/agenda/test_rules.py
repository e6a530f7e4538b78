"""Recurrence rules are checked before anything is expanded, on every entry point (issue 14).

``FREQ=DAILY;INTERVAL=0`` used to expand for ever (the server stopped answering); rules that
never produce an occurrence kept dateutil busy until the year 9999. Each test runs under
``dateutil_budget``: an unbounded expansion fails the test instead of hanging it.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.accounts.conftest import bearer, csrf_from, login
from tests.agenda.helpers import (
    API,
    book,
    dateutil_budget,
    ics,
    import_cli,
    occurrences,
    run_cli,
    series_rows,
)
from virage.agenda import rules, service, timeutil
from virage.agenda.timeutil import iso
from virage.db import connect, utcnow
from virage.errors import InvalidInput

START = datetime(2030, 1, 1, 8, 0)  # a Tuesday

#: Rules that hung the server (INTERVAL=0) or kept it busy for seconds (no occurrence ever).
HANGING = [
    ("FREQ=DAILY;INTERVAL=0", "INTERVAL=0"),
    ("FREQ=WEEKLY;INTERVAL=0;BYDAY=MO", "INTERVAL=0"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "aucune date"),
    ("FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31", "aucune date"),
    ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "BYMONTHDAY"),
    ("FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30", "BYMONTHDAY"),
    ("FREQ=DAILY;INTERVAL=7;BYDAY=MO", "aucune date"),
    ("FREQ=MONTHLY;INTERVAL=12;BYMONTH=3", "aucune date"),
    ("FREQ=MONTHLY;BYDAY=5MO;BYMONTH=2", "février"),
    ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=9", "BYSETPOS"),
    ("FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12;BYMINUTE=0,15,30,45", "BYHOUR"),
    ("FREQ=MINUTELY", "Fréquence"),
    ("FREQ=DAILY;COUNT=100000000", "3000"),
    ("FREQ=YEARLY;COUNT=40", "10 ans"),
    ("FREQ=DAILY;UNTIL=99991231T235959Z", "2099"),
    ("FREQ=DAILY;UNTIL=20500101", "10 ans"),
    ("FREQ=DAILY;UNTIL=20291231", "précède"),
    ("FREQ=YEARLY;BYYEARDAY=400", "BYYEARDAY"),
    ("FREQ=YEARLY;BYWEEKNO=54", "BYWEEKNO"),
    ("FREQ=MONTHLY;BYMONTHDAY=" + ",".join(str(d) for d in range(1, 33)), "BYMONTHDAY=32"),
    ("FREQ=DAILY;X-NAME=1", "X-NAME"),
]


@pytest.mark.parametrize(("rule", "words"), HANGING)
def test_dangerous_rules_are_refused_within_the_bound(rule, words):
    with dateutil_budget(days=20_000), pytest.raises(InvalidInput) as exc:
        timeutil.normalise_rule(rule, START)
    assert words in exc.value.message


def test_rules_that_never_produce_are_refused_before_any_expansion():
    for rule, _ in HANGING[:12]:
        with dateutil_budget(days=0), pytest.raises(InvalidInput):
            rules.check(rule, START)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY",
        "FREQ=DAILY;INTERVAL=2;BYDAY=MO,WE,FR",
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20391231",
        "FREQ=WEEKLY;INTERVAL=2;WKST=SU;COUNT=10",
        "FREQ=MONTHLY;BYDAY=2TH",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
        "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "FREQ=YEARLY;COUNT=10",
        "RRULE:FREQ=DAILY;BYMONTH=7,8",
    ],
)
def test_usual_rules_are_accepted_and_expand_within_the_bound(rule):
    with dateutil_budget(days=60_000):
        stored = timeutil.normalise_rule(rule, START)
        starts = timeutil.expand(
            START,
            stored,
            [],
            timeutil.to_utc(START),
            timeutil.to_utc(datetime(2040, 1, 9)),
        )
    assert starts and len(starts) <= timeutil.MAX_EXPANSION
    assert starts[-1] <= datetime(2040, 1, 9)


def test_expansion_is_bounded_by_a_count():
    with dateutil_budget(days=20_000):
        starts = timeutil.expand(
            START,
            "FREQ=DAILY",
            [],
            timeutil.to_utc(START),
            timeutil.to_utc(datetime(2039, 1, 1)),
            limit=50,
        )
    assert len(starts) == 50


# --------------------------------------------------------------------------- entry points


def test_api_post_refuses_interval_zero(client, world):
    with dateutil_budget():
        r = book(
            client,
            world,
            "coord_a",
            start="2030-01-07T08:00",
            recurrence={"rrule": "FREQ=DAILY;INTERVAL=0"},
        )
    assert r.status_code == 400
    assert "INTERVAL=0 : nombre de 1 à 365" in r.json()["detail"]


@pytest.mark.parametrize("scope", ["following", "series"])
def test_api_patch_refuses_interval_zero(client, world, scope):
    first = book(
        client,
        world,
        "coord_a",
        start="2030-01-07T08:00",
        recurrence={"rrule": "FREQ=DAILY;COUNT=3"},
    ).json()
    with dateutil_budget():
        r = client.patch(
            f"{API}/appointments/{first['id']}?scope={scope}",
            json={"rrule": "FREQ=DAILY;INTERVAL=0"},
            headers=bearer(world, "coord_a"),
        )
    assert r.status_code == 400 and "INTERVAL=0" in r.json()["detail"]
    assert len(series_rows(world, first["series_id"])) == 3  # stored data left intact


def _post_raw_rule(client, sid: int, professional: int, rule: str):
    token = csrf_from(client.get(f"/agenda/structures/{sid}/nouveau").text)
    with dateutil_budget():
        return client.post(
            f"/agenda/structures/{sid}/nouveau",
            data={
                "_csrf_token": token,
                "kind": "on_call",
                "date": "2030-01-07",
                "start_time": "08:00",
                "end_time": "09:00",
                "professional_ids": [str(professional)],
                "repetition": "rrule",
                "rrule": rule,
            },
        )


def test_web_form_refuses_interval_zero(client, world):
    # The raw rule (under « Avancé ») is the coordination's: a care assistant is refused it…
    login(client, "care_a")
    sid = world.structures["a"]
    r = _post_raw_rule(client, sid, world.users["care_a"], "FREQ=DAILY;INTERVAL=0")
    assert r.status_code in (400, 403) and "notice-error" in r.text
    # …and a coordinator's interval 0 gets a message she can act on, at once.
    login(client, "coord_a")
    r = _post_raw_rule(client, sid, world.users["care_a"], "FREQ=DAILY;INTERVAL=0")
    assert r.status_code == 400 and "notice-error" in r.text
    assert "INTERVAL=0 : nombre de 1 à 365" in r.text


RULE_EVENT = "UID:{uid}\r\nSUMMARY:Réunion\r\nDTSTART:20300107T080000\r\nRRULE:{rule}"


def test_api_import_refuses_interval_zero_event_by_event(client, world):
    content = ics(
        RULE_EVENT.format(uid="bad@t", rule="FREQ=DAILY;INTERVAL=0"),
        RULE_EVENT.format(uid="good@t", rule="FREQ=WEEKLY;COUNT=4"),
    )
    with dateutil_budget():
        r = client.post(
            f"{API}/import?professional={world.users['nurse_a']}",
            content=content,
            headers={**bearer(world, "coord_a"), "Content-Type": "text/calendar"},
        )
    assert r.status_code == 200, r.text
    report = r.json()
    assert [line["uid"] for line in report["created"]] == ["good@t"]
    assert report["rejected"][0]["uid"] == "bad@t"
    assert "INTERVAL=0" in report["rejected"][0]["reason"]


def test_cli_import_refuses_interval_zero(world, tmp_path):
    path = tmp_path / "a.ics"
    path.write_bytes(ics(RULE_EVENT.format(uid="bad@t", rule="FREQ=DAILY;INTERVAL=0")))
    with dateutil_budget():
        result = import_cli(world, path)
    assert result.exit_code == 0, result.output
    assert "0 rendez-vous créé, 1 refusé" in result.output
    assert "INTERVAL=0 : nombre de 1 à 365" in result.output


def test_a_time_zone_of_the_file_is_never_expanded(client, world):
    """A VTIMEZONE's own rule used to be expanded by icalendar/dateutil without bound."""
    zone = (
        "BEGIN:VTIMEZONE\r\nTZID:Piege\r\n"
        "BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
        "RRULE:FREQ=DAILY;INTERVAL=0\r\nEND:STANDARD\r\n"
        "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
    )
    content = ics(
        "UID:z@t\r\nSUMMARY:Réunion\r\nDTSTART;TZID=Piege:20300107T080000",
        "UID:p@t\r\nSUMMARY:Réunion\r\nDTSTART;TZID=Europe/Paris:20300108T080000",
        head=zone,
    )
    with dateutil_budget():
        r = client.post(
            f"{API}/import?professional={world.users['nurse_a']}",
            content=content,
            headers={**bearer(world, "coord_a"), "Content-Type": "text/calendar"},
        )
    assert r.status_code == 200, r.text
    report = r.json()
    assert [line["uid"] for line in report["created"]] == ["p@t"]
    assert "fuseau horaire « Piege » inconnu" in report["rejected"][0]["reason"]


# --------------------------------------------------------------------------- stored series


def _store_raw_rule(world, series_id: int, rule: str) -> None:
    """A rule stored before the checks existed (the database is written directly)."""
    db = connect(world.settings.db_path)
    db.execute(
        "UPDATE agenda_series SET rrule = ?, open_ended = 1,"
        " materialised_until = '2020-01-01T00:00:00+00:00' WHERE id = ?",
        [rule, series_id],
    )
    db.conn.close()


def test_a_stored_unsafe_rule_is_not_expanded_by_views(client, world):
    first = book(
        client,
        world,
        "coord_a",
        start="2030-01-07T08:00",
        recurrence={"rrule": "FREQ=DAILY;UNTIL=20300109"},
    ).json()
    _store_raw_rule(world, first["series_id"], "FREQ=DAILY;INTERVAL=0")
    with dateutil_budget():
        rows = occurrences(client, world, "coord_a", "2030-03-01", "2030-03-07")
        week = client.get(f"{API}/week?start=2030-03-04", headers=bearer(world, "coord_a"))
        day = client.get(f"{API}/me/day?date=2030-03-04", headers=bearer(world, "nurse_a"))
    assert rows == [] and week.status_code == 200 and day.status_code == 200
    assert len(series_rows(world, first["series_id"])) == 3  # what existed is kept


def test_a_stored_unsafe_rule_is_not_expanded_by_the_feed_nor_the_cli(client, world):
    first = book(
        client,
        world,
        "coord_a",
        start="2030-01-07T08:00",
        recurrence={"rrule": "FREQ=DAILY;UNTIL=20300109"},
    ).json()
    _store_raw_rule(world, first["series_id"], "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")
    feed = client.post(f"{API}/me/feed", headers=bearer(world, "nurse_a")).json()["url"]
    with dateutil_budget():
        assert client.get(feed.removeprefix("http://testserver.local")).status_code == 200
        result = run_cli(world, "agenda", "materialise", "--days", "3660")
    assert result.exit_code == 0, result.output


def test_views_far_ahead_develop_open_ended_series_at_most_ten_years(client, world):
    first = book(
        client,
        world,
        "coord_a",
        start="2030-01-07T08:00",
        recurrence={"rrule": "FREQ=DAILY"},
        kind="on_call",
    ).json()
    with dateutil_budget():
        far = client.get(f"{API}/me/day?date=2099-12-31", headers=bearer(world, "nurse_a"))
    assert far.status_code == 200 and far.json()["appointments"] == []
    rows = series_rows(world, first["series_id"])
    assert rows[-1] <= iso(utcnow() + service.BOUNDED_SPAN + service.EXTEND_CHUNK)
    assert len(rows) <= timeutil.MAX_EXPANSION

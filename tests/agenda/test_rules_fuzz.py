"""Generated recurrence rules on every entry point: refused in French, or expanded within the bound.

The rules are drawn from a grammar that reaches every part of RRULE, values in range and out of
it, the usual ones and the absurd ones (INTERVAL=0, COUNT above 2⁶³, UNTIL in the year 1 or
9999, lists of 40 days, BYSETPOS=400, SECONDLY…). Each request runs under ``dateutil_budget``:
an expansion that is not bounded fails the test instead of hanging it. Derandomised (the same
examples every run).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.accounts.conftest import bearer, csrf_from, login
from tests.agenda.helpers import API, book, dateutil_budget, ics, import_cli, series_rows
from virage.agenda import timeutil
from virage.agenda.rules import MAX_COUNT, MAX_SPAN_YEARS
from virage.errors import InvalidInput

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
FREQS = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "MINUTELY", "SECONDLY", "BIWEEKLY"]
HUGE = [0, -1, 366, 3001, 100_000, 2**63, 10**30]


def _ints(low: int, high: int) -> st.SearchStrategy[str]:
    return st.one_of(st.integers(low, high), st.sampled_from(HUGE)).map(str)


def _int_list(low: int, high: int, size: int = 8) -> st.SearchStrategy[str]:
    items = st.one_of(st.integers(low, high), st.sampled_from(HUGE))
    return st.lists(items, min_size=1, max_size=size).map(lambda xs: ",".join(map(str, xs)))


def _until() -> st.SearchStrategy[str]:
    days = st.one_of(
        st.dates(),  # years 1 to 9999
        st.dates(min_value=datetime(2029, 6, 1).date(), max_value=datetime(2042, 1, 1).date()),
    )
    suffix = st.sampled_from(["", "T080000", "T235959Z", "T000000Z"])
    return st.tuples(days, suffix).map(lambda t: f"{t[0].year:04d}{t[0]:%m%d}{t[1]}")


_BYDAY = st.lists(
    st.tuples(
        st.sampled_from(["", "", "1", "-1", "2", "5", "-5", "0", "53", "60"]), st.sampled_from(DAYS)
    ),
    min_size=1,
    max_size=9,
).map(lambda xs: ",".join(rank + day for rank, day in xs))

PARTS = {
    "INTERVAL": st.one_of(st.integers(0, 14).map(str), _ints(0, 400)),
    "COUNT": _ints(0, 3002),
    "UNTIL": _until(),
    "BYDAY": _BYDAY,
    "BYMONTHDAY": _int_list(-33, 33, 40),
    "BYMONTH": _int_list(-1, 13),
    "BYSETPOS": _int_list(-400, 400, 4),
    "WKST": st.sampled_from([*DAYS, "XX"]),
    "BYHOUR": _int_list(0, 25),
    "BYMINUTE": _int_list(0, 61),
    "BYSECOND": _int_list(0, 61),
    "BYYEARDAY": _int_list(-400, 400),
    "BYWEEKNO": _int_list(-60, 60),
    "X-NAME": st.just("1"),
}
COMMON = ["INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS"]


@st.composite
def wild_rules(draw) -> str:
    """Any part, any value: a frequency (usually valid), parts given twice, absurd numbers."""
    parts = []
    if draw(st.integers(0, 19)):
        parts.append(("FREQ", draw(st.sampled_from(FREQS[:4] * 3 + FREQS[4:]))))
    names = draw(
        st.lists(
            st.one_of(st.sampled_from(COMMON), st.sampled_from(sorted(PARTS))),
            max_size=4,
            unique=True,
        )
    )
    parts += [(name, draw(PARTS[name])) for name in names]
    if parts and not draw(st.integers(0, 29)):
        parts.append(parts[-1])  # a part given twice
    return ";".join(f"{k}={v}" for k, v in draw(st.permutations(parts)))


def _small_list(low: int, high: int, size: int) -> st.SearchStrategy[str]:
    items = st.integers(low, high)
    return st.lists(items, min_size=1, max_size=size, unique=True).map(
        lambda xs: ",".join(map(str, xs))
    )


PLAUSIBLE = {
    "INTERVAL": st.integers(0, 14).map(str),
    "COUNT": st.one_of(st.integers(1, 60), st.just(3001)).map(str),
    "UNTIL": st.dates(
        min_value=datetime(2028, 1, 1).date(), max_value=datetime(2042, 1, 1).date()
    ).map(lambda d: f"{d:%Y%m%d}"),
    "BYDAY": st.lists(
        st.tuples(
            st.sampled_from(["", "", "", "1", "-1", "2", "4", "5", "-5"]), st.sampled_from(DAYS)
        ),
        min_size=1,
        max_size=5,
        unique_by=lambda t: t[1],
    ).map(lambda xs: ",".join(rank + day for rank, day in xs)),
    "BYMONTHDAY": _small_list(-31, 31, 4),
    "BYMONTH": _small_list(1, 12, 3),
    "BYSETPOS": _small_list(-12, 12, 2),
    "WKST": st.sampled_from(DAYS),
}


@st.composite
def plausible_rules(draw) -> str:
    """What a person or a calendar application would write, right or subtly wrong."""
    parts = [("FREQ", draw(st.sampled_from(FREQS[:4])))]
    names = draw(st.lists(st.sampled_from(sorted(PLAUSIBLE)), max_size=3, unique=True))
    if "COUNT" in names and "UNTIL" in names:
        names.remove("UNTIL")
    parts += [(name, draw(PLAUSIBLE[name])) for name in names]
    return ";".join(f"{k}={v}" for k, v in parts)


def rules() -> st.SearchStrategy[str]:
    return st.one_of(plausible_rules(), plausible_rules(), wild_rules())


#: Starts: usual ones, month ends, a leap day.
STARTS = st.one_of(
    st.datetimes(min_value=datetime(2029, 1, 1), max_value=datetime(2032, 12, 31)).map(
        lambda d: d.replace(minute=d.minute // 5 * 5, second=0, microsecond=0)
    ),
    st.sampled_from(
        [datetime(2032, 2, 29, 8), datetime(2030, 1, 31, 8), datetime(2030, 12, 31, 23, 30)]
    ),
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ENGLISH = re.compile(r"Input should|Value error|Traceback|Internal Server Error")


def _french_refusal(message: str) -> None:
    assert message and not ENGLISH.search(message), message
    assert re.search(r"[éèàç]|règle|Règle|RRULE|date", message), message


def _within_bound(world, series_id: int, start: datetime) -> None:
    rows = series_rows(world, series_id)
    assert 1 <= len(rows) <= MAX_COUNT + 400  # bounded series ≤ 3,000; open-ended ≈ one year
    last = datetime.fromisoformat(rows[-1]).replace(tzinfo=None)
    assert last <= start + timedelta(days=MAX_SPAN_YEARS * 366 + 1)


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(rule=rules(), start=STARTS)
def test_every_rule_is_refused_or_expands_within_the_bound(rule, start):
    """The checks alone, many examples: accepted rules expand to 2099 within a bounded work."""
    try:
        with dateutil_budget(days=20_000):
            stored = timeutil.normalise_rule(rule, start)
    except InvalidInput as exc:
        _french_refusal(exc.message)
        return
    with dateutil_budget(days=100_000):  # 70 years of calendar, and the gap after
        starts = timeutil.expand(
            start, stored, [], timeutil.to_utc(start), timeutil.to_utc(datetime(2099, 12, 31))
        )
    assert 1 <= len(starts) <= timeutil.MAX_EXPANSION
    assert starts[0] <= start + timedelta(days=3 * 366)


@settings(FUZZ, max_examples=100)
@given(rule=rules(), start=STARTS)
def test_api_post(client, world, rule, start):
    with dateutil_budget():
        r = book(
            client,
            world,
            "coord_a",
            kind="on_call",
            start=start.isoformat(),
            recurrence={"rrule": rule},
        )
    assert r.status_code in (201, 400), r.text
    if r.status_code == 400:
        _french_refusal(r.json()["detail"])
    else:
        _within_bound(world, r.json()["series_id"], start)


@FUZZ
@given(rule=rules())
def test_api_patch(client, world, rule):
    first = book(
        client,
        world,
        "coord_a",
        kind="on_call",
        start="2030-03-04T08:00",
        recurrence={"rrule": "FREQ=DAILY;COUNT=3"},
    ).json()
    with dateutil_budget():
        r = client.patch(
            f"{API}/appointments/{first['id']}?scope=following",
            json={"rrule": rule},
            headers=bearer(world, "coord_a"),
        )
    assert r.status_code in (200, 400), r.text
    if r.status_code == 400:
        _french_refusal(r.json()["detail"])
        assert len(series_rows(world, first["series_id"])) == 3  # left intact
    else:
        _within_bound(world, r.json()["series_id"], datetime(2030, 3, 4, 8))


@pytest.fixture
def care_assistant_form(client, world) -> str:
    """A care assistant's session (logged in once for all the examples): the form's token."""
    login(client, "care_a")
    return csrf_from(client.get(f"/agenda/structures/{world.structures['a']}/nouveau").text)


@FUZZ
@given(rule=rules(), start=STARTS)
def test_web_form_of_a_care_assistant(client, world, care_assistant_form, rule, start):
    sid = world.structures["a"]
    token = care_assistant_form
    with dateutil_budget():
        r = client.post(
            f"/agenda/structures/{sid}/nouveau",
            data={
                "_csrf_token": token,
                "kind": "on_call",
                "date": start.date().isoformat(),
                "start_time": start.strftime("%H:%M"),
                "end_time": (start + timedelta(hours=1)).strftime("%H:%M"),
                "professional_ids": [str(world.users["care_a"])],
                "repetition": "rrule",
                "rrule": rule,
            },
            follow_redirects=False,
        )
    assert r.status_code in (303, 400), r.text[:500]
    if r.status_code == 400:
        error = re.search(r"notice-error[^>]*>(.*?)</", r.text, re.S)
        assert error, r.text[:500]
        _french_refusal(error.group(1))
    else:
        appointment = int(r.headers["location"].split("/")[-1].split("?")[0])
        got = client.get(f"{API}/appointments/{appointment}", headers=bearer(world, "coord_a"))
        _within_bound(world, got.json()["series_id"], start)


_COUNTER = iter(range(10**9))


def _event(rule: str, start: datetime) -> bytes:
    uid = f"fuzz-{next(_COUNTER)}@test"
    return ics(f"UID:{uid}\r\nSUMMARY:Réunion\r\nDTSTART:{start:%Y%m%dT%H%M%S}\r\nRRULE:{rule}")


def _check_report(world, report: dict, start: datetime) -> None:
    assert len(report["created"]) + len(report["rejected"]) == 1
    for line in report["rejected"]:
        _french_refusal(line["reason"])
    for line in report["created"]:
        _within_bound(world, line["series_id"], start)


@FUZZ
@given(rule=rules(), start=STARTS)
def test_import_over_the_api(client, world, rule, start):
    with dateutil_budget():
        r = client.post(
            f"{API}/import?professional={world.users['nurse_a']}&kind=on_call",
            content=_event(rule, start),
            headers={**bearer(world, "coord_a"), "Content-Type": "text/calendar"},
        )
    assert r.status_code in (200, 400), r.text
    if r.status_code == 400:
        _french_refusal(r.json()["detail"])
    else:
        _check_report(world, r.json(), start)


@settings(FUZZ, max_examples=15)
@given(rule=rules(), start=STARTS)
def test_import_on_the_command_line(world, tmp_path, rule, start):
    path = tmp_path / "fuzz.ics"
    path.write_bytes(_event(rule, start))
    with dateutil_budget():
        result = import_cli(world, path, "--kind", "on_call")
    if result.exit_code != 0:  # the whole file refused: a French message, no traceback
        _french_refusal(str(result.exception))
        return
    assert re.search(r"^[01] rendez-vous créé, [01] refusé\.$", result.output, re.M)
    for reason in re.findall(r"refusé : .*? — (.*)", result.output):
        _french_refusal(reason)

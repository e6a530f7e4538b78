"""Free-slot search: property-based comparison with a brute-force reference on random agendas,
then the search through the API as the secretariat uses it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.accounts.conftest import bearer
from tests.agenda.helpers import API, book, next_weekday
from virage.agenda.slots import SlotQuery, free_slots, merge, subtract
from virage.agenda.timeutil import to_local, to_utc

MINUTE = timedelta(minutes=1)

# ----------------------------------------------------------------------------- reference


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _wall(day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    if hour == 24:
        return to_utc(datetime.combine(day + timedelta(days=1), time(0, 0)))
    return to_utc(datetime.combine(day, time(hour, minute)))


def brute_force(query: SlotQuery, hours, busy, absences):
    """The definition, minute by minute: every minute of the slot is worked, none is busy."""
    out = []
    day = query.first_day
    while day <= query.last_day:
        window_end = to_utc(datetime.combine(day, query.day_end))
        wall = datetime.combine(day, query.day_start)
        while wall < datetime.combine(day, query.day_end):
            start = to_utc(wall)
            end = start + query.duration
            wall += query.step
            if end > window_end:
                break
            if query.not_before is not None and start < query.not_before:
                continue
            who = []
            for uid in dict.fromkeys(query.professionals):
                worked = [
                    (_wall(day, s), _wall(day, e))
                    for w, s, e in hours.get(uid, ())
                    if w == day.weekday()
                ]
                t = start
                covered = True
                while t < end:
                    if not any(ws <= t < we for ws, we in worked):
                        covered = False
                        break
                    t += MINUTE
                blocked = any(
                    bs < end and be > start
                    for bs, be in [*busy.get(uid, []), *absences.get(uid, [])]
                )
                if covered and not blocked:
                    who.append(uid)
            if who and (query.mode == "any" or len(who) == len(set(query.professionals))):
                out.append((start, end, who))
                if query.limit is not None and len(out) >= query.limit:
                    return out
        day += timedelta(days=1)
    return out


# ----------------------------------------------------------------------------- strategies

# Weeks that include both daylight-saving changes, and an ordinary one.
FIRST_DAYS = [date(2030, 3, 28), date(2030, 10, 24), date(2030, 6, 10)]
GRID = 15


@st.composite
def agendas(draw):
    pros = draw(st.lists(st.integers(1, 6), min_size=1, max_size=3, unique=True))
    first = draw(st.sampled_from(FIRST_DAYS))
    days = draw(st.integers(1, 5))
    hours = {}
    busy = {}
    absences = {}
    origin = to_utc(datetime.combine(first, time(0, 0)))
    for uid in pros:
        pattern = []
        for _ in range(draw(st.integers(0, 6))):
            weekday = draw(st.integers(0, 6))
            start = draw(st.integers(0, 95)) * GRID
            end = draw(st.integers(start // GRID + 1, 96)) * GRID
            pattern.append((weekday, _hhmm(start), _hhmm(end)))
        hours[uid] = pattern
        busy[uid] = []
        for _ in range(draw(st.integers(0, 8))):
            offset = timedelta(minutes=draw(st.integers(0, days * 24 * 60)))
            length = timedelta(minutes=draw(st.integers(5, 300)))
            busy[uid].append((origin + offset, origin + offset + length))
        absences[uid] = []
        for _ in range(draw(st.integers(0, 1))):
            offset = timedelta(hours=draw(st.integers(0, days * 24)))
            absences[uid].append(
                (origin + offset, origin + offset + timedelta(hours=draw(st.integers(1, 30))))
            )
    day_start = draw(st.integers(0, 94)) * GRID
    day_end = draw(st.integers(day_start // GRID + 1, 95)) * GRID
    not_before = draw(
        st.one_of(st.none(), st.integers(0, days * 24).map(lambda h: origin + timedelta(hours=h)))
    )
    query = SlotQuery(
        professionals=tuple(pros),
        first_day=first,
        last_day=first + timedelta(days=days - 1),
        day_start=time(day_start // 60, day_start % 60),
        day_end=time(day_end // 60, day_end % 60),
        duration=timedelta(minutes=draw(st.sampled_from([5, 15, 30, 45, 60, 90, 240]))),
        step=timedelta(minutes=draw(st.sampled_from([5, 15, 30]))),
        mode=draw(st.sampled_from(["any", "all"])),
        limit=draw(st.one_of(st.none(), st.integers(1, 10))),
        not_before=not_before,
    )
    return query, hours, busy, absences


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(agendas())
def test_free_slots_match_the_brute_force_reference(case):
    query, hours, busy, absences = case
    fast = [(s.start, s.end, s.professionals) for s in free_slots(query, hours, busy, absences)]
    assert fast == brute_force(query, hours, busy, absences)


intervals = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 60)).map(
        lambda t: (
            datetime(2030, 1, 1, tzinfo=UTC) + t[0] * MINUTE,
            datetime(2030, 1, 1, tzinfo=UTC) + (t[0] + t[1]) * MINUTE,
        )
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(intervals, intervals)
def test_subtract_is_set_difference(base, blockers):
    base = merge(base)
    result = subtract(base, sorted(blockers))
    origin = datetime(2030, 1, 1, tzinfo=UTC)
    for k in range(0, 270):
        t = origin + k * MINUTE
        in_base = any(s <= t < e for s, e in base)
        blocked = any(s <= t < e for s, e in blockers)
        assert any(s <= t < e for s, e in result) == (in_base and not blocked)


def test_slot_at_nine_stays_at_nine_across_dst():
    query = SlotQuery(
        professionals=(1,),
        first_day=date(2030, 3, 30),
        last_day=date(2030, 4, 1),
        day_start=time(9, 0),
        day_end=time(9, 30),
        duration=timedelta(minutes=30),
    )
    hours = {1: [(d, "09:00", "12:00") for d in range(7)]}
    slots = free_slots(query, hours, {}, {})
    assert [to_local(s.start).strftime("%d %H:%M") for s in slots] == [
        "30 09:00",
        "31 09:00",
        "01 09:00",
    ]
    assert [s.start.strftime("%H:%M") for s in slots] == ["08:00", "07:00", "07:00"]


# ----------------------------------------------------------------------------- through the API


def _hours(client, world, who, slots):
    r = client.put(
        f"{API}/professionals/{world.users[who]}/working-hours",
        json={"slots": slots},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200, r.text


def test_secretary_finds_the_first_slots_for_mme_x_or_the_team(client, world):
    monday = next_weekday(0, weeks_ahead=2)
    mornings = [{"weekday": d, "start": "09:00", "end": "12:00"} for d in range(5)]
    _hours(client, world, "social_a", mornings)
    _hours(client, world, "nurse_a", mornings)
    # Mme X (social_a) is busy on Monday 9:00-11:00; the nurse 9:00-9:30.
    assert (
        book(
            client,
            world,
            "secretary_a",
            professional_ids=[world.users["social_a"]],
            start=f"{monday}T09:00",
            duration_minutes=120,
        ).status_code
        == 201
    )
    assert (
        book(client, world, "secretary_a", start=f"{monday}T09:00", duration_minutes=30).status_code
        == 201
    )
    r = client.get(
        f"{API}/free-slots",
        params=[
            ("from", monday.isoformat()),
            ("to", (monday + timedelta(days=4)).isoformat()),
            ("day_start", "09:00"),
            ("day_end", "12:00"),
            ("duration", "30"),
            ("step", "30"),
            ("limit", "4"),
            ("professional", str(world.users["social_a"])),
            ("professional", str(world.users["nurse_a"])),
        ],
        headers=bearer(world, "secretary_a"),
    )
    assert r.status_code == 200, r.text
    slots = [(s["start_local"][11:], [p["id"] for p in s["professionals"]]) for s in r.json()]
    sx, nu = world.users["social_a"], world.users["nurse_a"]
    assert slots == [("09:30", [nu]), ("10:00", [nu]), ("10:30", [nu]), ("11:00", [sx, nu])]


def test_all_together_for_a_meeting(client, world):
    monday = next_weekday(0, weeks_ahead=2)
    _hours(client, world, "social_a", [{"weekday": 0, "start": "09:00", "end": "12:00"}])
    _hours(client, world, "nurse_a", [{"weekday": 0, "start": "10:00", "end": "17:00"}])
    r = client.get(
        f"{API}/free-slots",
        params=[
            ("from", monday.isoformat()),
            ("to", monday.isoformat()),
            ("day_start", "08:00"),
            ("day_end", "18:00"),
            ("duration", "60"),
            ("step", "60"),
            ("mode", "all"),
            ("professional", str(world.users["social_a"])),
            ("professional", str(world.users["nurse_a"])),
        ],
        headers=bearer(world, "secretary_a"),
    )
    assert [s["start_local"][11:] for s in r.json()] == ["10:00", "11:00"]


def test_search_errors_are_actionable(client, world):
    r = client.get(
        f"{API}/free-slots",
        params={"from": "2030-01-10", "to": "2030-01-01"},
        headers=bearer(world, "secretary_a"),
    )
    assert r.status_code == 400 and "date de fin" in r.json()["detail"]
    r = client.get(
        f"{API}/free-slots",
        params={"from": "2030-01-01", "to": "2030-06-01"},
        headers=bearer(world, "secretary_a"),
    )
    assert r.status_code == 400 and "62 jours" in r.json()["detail"]
    r = client.get(
        f"{API}/free-slots", params={"day_start": "25:00"}, headers=bearer(world, "secretary_a")
    )
    assert r.status_code == 400 and "heure" in r.json()["detail"]
    r = client.get(f"{API}/free-slots", headers=bearer(world, "nurse_b"))
    assert r.status_code == 200  # structure B: its own professionals only

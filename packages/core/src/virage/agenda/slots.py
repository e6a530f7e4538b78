"""Availability and the free-slot search, as pure functions (no database: easy to test).

A professional is free for a slot when the whole slot lies within their working hours, and overlaps
none of their absences and none of their busy appointments. Candidate slots start on a wall-clock
grid (every ``step`` minutes from the start of the daily window, in Europe/Paris), so a slot at
9:00 stays at 9:00 across daylight-saving changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal

from virage.agenda.timeutil import to_utc

Interval = tuple[datetime, datetime]

#: Working hours assumed for a professional who has declared none (documented in the guide).
DEFAULT_WEEK: tuple[tuple[int, str, str], ...] = tuple(
    (day, start, end) for day in range(5) for start, end in (("09:00", "12:30"), ("13:30", "17:30"))
)


def _wall(day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    if hour == 24:
        return to_utc(datetime.combine(day + timedelta(days=1), time(0, 0)))
    return to_utc(datetime.combine(day, time(hour, minute)))


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and merge overlapping or touching intervals."""
    out: list[list[datetime]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1][1] = end
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def working_intervals(hours: Sequence[tuple[int, str, str]], day: date) -> list[Interval]:
    """The UTC intervals worked on a Paris calendar day, from a weekly pattern."""
    weekday = day.weekday()
    return merge((_wall(day, start), _wall(day, end)) for w, start, end in hours if w == weekday)


def subtract(intervals: list[Interval], blockers: list[Interval]) -> list[Interval]:
    """``intervals`` minus ``blockers`` (both sorted; intervals disjoint)."""
    blockers = merge(blockers)
    out: list[Interval] = []
    i = 0
    for start, end in intervals:
        cursor = start
        while i < len(blockers) and blockers[i][1] <= cursor:
            i += 1
        j = i
        while j < len(blockers) and blockers[j][0] < end:
            b_start, b_end = blockers[j]
            if b_start > cursor:
                out.append((cursor, b_start))
            cursor = max(cursor, b_end)
            if cursor >= end:
                break
            j += 1
        if cursor < end:
            out.append((cursor, end))
    return out


@dataclass(frozen=True)
class SlotQuery:
    """What the secretariat asks: "30 minutes next week, between 9:00 and 12:00"."""

    professionals: tuple[int, ...]
    first_day: date
    last_day: date  # inclusive
    day_start: time = time(9, 0)
    day_end: time = time(17, 0)
    duration: timedelta = timedelta(minutes=30)
    step: timedelta = timedelta(minutes=15)
    mode: Literal["any", "all"] = "any"
    limit: int | None = None
    not_before: datetime | None = None


@dataclass
class Slot:
    start: datetime
    end: datetime
    professionals: list[int] = field(default_factory=list)


def candidates(query: SlotQuery, day: date) -> list[Interval]:
    """The slots of the wall-clock grid of one day, in UTC."""
    out = []
    window_end = to_utc(datetime.combine(day, query.day_end))
    wall = datetime.combine(day, query.day_start)
    last_wall = datetime.combine(day, query.day_end)
    while wall < last_wall:
        start = to_utc(wall)
        end = start + query.duration
        if end > window_end:
            break
        if query.not_before is None or start >= query.not_before:
            out.append((start, end))
        wall += query.step
    return out


def free_slots(
    query: SlotQuery,
    hours: dict[int, Sequence[tuple[int, str, str]]],
    busy: dict[int, list[Interval]],
    absences: dict[int, list[Interval]],
) -> list[Slot]:
    """The slots of the query when one (``mode="any"``) or all (``"all"``) professionals are free.

    Each slot lists the free professionals in the order of ``query.professionals`` (the order of
    preference: "Mme X, or anyone in the team").
    """
    if query.duration <= timedelta(0) or query.step <= timedelta(0):
        return []
    pros = list(dict.fromkeys(query.professionals))
    blockers = {uid: merge([*busy.get(uid, []), *absences.get(uid, [])]) for uid in pros}
    out: list[Slot] = []
    day = query.first_day
    while day <= query.last_day:
        grid = candidates(query, day)
        if grid:
            free_by_user = {}
            for uid in pros:
                worked = working_intervals(hours.get(uid, ()), day)
                free_by_user[uid] = subtract(worked, blockers[uid]) if worked else []
            pointers = dict.fromkeys(pros, 0)
            for start, end in grid:
                who = []
                for uid in pros:
                    free = free_by_user[uid]
                    k = pointers[uid]
                    while k < len(free) and free[k][1] <= start:
                        k += 1
                    pointers[uid] = k
                    if k < len(free) and free[k][0] <= start and end <= free[k][1]:
                        who.append(uid)
                if who and (query.mode == "any" or len(who) == len(pros)):
                    out.append(Slot(start, end, who))
                    if query.limit is not None and len(out) >= query.limit:
                        return out
        day += timedelta(days=1)
    return out

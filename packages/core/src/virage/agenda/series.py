"""Materialisation of recurring series.

Series are stored as an iCalendar rule (wall-clock ``DTSTART`` in Europe/Paris, ``RRULE``,
``EXDATE``) and materialised: each occurrence is a row, so views are index range scans. Open-ended
series are extended on demand (``ensure_materialised``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from virage.agenda import (
    storage_appointments,
    storage_series,
)
from virage.agenda.common import (
    PROTECTED,
    blocks,
)
from virage.agenda.kinds import AppointmentKind
from virage.agenda.rules import MAX_COUNT as MAX_OCCURRENCES
from virage.agenda.timeutil import (
    expand,
    is_open_ended,
    iso,
    local_naive,
    parse_iso,
    to_utc,
)
from virage.db import transaction, utcnow
from virage.errors import InvalidInput

#: How far ahead the occurrences of an open-ended series are materialised when it is created.
HORIZON = timedelta(days=370)
#: When a view reaches past the materialised horizon, extend it this much further.
EXTEND_CHUNK = timedelta(days=92)
#: Span of a bounded series (COUNT or UNTIL), and how far ahead views develop open-ended ones.
BOUNDED_SPAN = timedelta(days=10 * 366)


def occurrence_end(start_local: datetime, minutes: int) -> datetime:
    """Wall-clock end (a night round 21:00–7:00 stays so across a change of time)."""
    start = to_utc(start_local)
    end = to_utc(start_local + timedelta(minutes=minutes))
    return end if end > start else start + timedelta(minutes=minutes)


def day_keys(starts_local: Sequence[datetime]) -> list[tuple[date, int]]:
    """(local date, rank within that date) of sorted occurrence starts: the identity of an
    occurrence when a series is rewritten with another time of day."""
    keys, counter = [], defaultdict(int)
    for start in starts_local:
        keys.append((start.date(), counter[start.date()]))
        counter[start.date()] += 1
    return keys


def series_dtstart(series: dict) -> datetime:
    return datetime.fromisoformat(series["dtstart_local"])


def _series_exdates(series: dict) -> list[datetime]:
    return [datetime.fromisoformat(x) for x in series["exdates"]]


def expand_series(series: dict, from_utc: datetime, until_utc: datetime) -> list[datetime]:
    return expand(
        series_dtstart(series), series["rrule"], _series_exdates(series), from_utc, until_utc
    )


def build_rows(
    db,
    kinds: dict[str, AppointmentKind],
    series: dict,
    series_id: int,
    starts_local: Sequence[datetime],
    *,
    skip: set[tuple[date, int]] = frozenset(),
    cancelled: dict[tuple[date, int], str] | None = None,
    actor_id: int | None = None,
) -> tuple[list[dict], list[tuple]]:
    cancelled = cancelled or {}
    rows, busy_flags, attendees = [], [], []
    for start_local, key in zip(starts_local, day_keys(starts_local), strict=True):
        if key in skip:
            continue
        start = iso(to_utc(start_local))
        end = iso(occurrence_end(start_local, series["duration_minutes"]))
        status = "cancelled" if key in cancelled else series["status"]
        row = {
            "structure_id": series["structure_id"],
            "series_id": series_id,
            "recurrence_id": start,
            "detached": int(key in cancelled),
            "kind": series["kind"],
            "title": series["title"],
            "person_id": series["person_id"],
            "place": series["place"],
            "place_detail": series["place_detail"],
            "start_utc": start,
            "end_utc": end,
            "status": status,
            "cancel_reason": cancelled.get(key),
            "notes": series["notes"],
            "to_bring": series["to_bring"],
            "forced": series["forced"],
            "ical_uid": None,
            "created_by": actor_id,
            "updated_by": actor_id,
        }
        rows.append(row)
        busy_flags.append(int(blocks(kinds, series["kind"], status)))
    ids = storage_appointments.new_appointment_ids(db, len(rows))
    for row, row_id, busy in zip(rows, ids, busy_flags, strict=True):
        row["id"] = row_id
        attendees.extend(
            (row_id, uid, row["start_utc"], row["end_utc"], busy)
            for uid in series["professional_ids"]
        )
    return rows, attendees


def ensure_materialised(db, kinds: dict[str, AppointmentKind], until: datetime) -> int:
    """Extend open-ended series so that occurrences exist at least up to ``until`` (at most
    ``BOUNDED_SPAN`` from now). Cheap when nothing is needed (one indexed query). Returns the
    number of rows added."""
    until = min(until, utcnow() + BOUNDED_SPAN)
    until_iso = iso(until)
    if not storage_series.any_series_to_extend(db, until_iso):
        return 0
    added = 0
    with transaction(db):
        for series in storage_series.series_to_extend(db, until_iso):
            target = until + EXTEND_CHUNK
            starts = expand_series(series, parse_iso(series["materialised_until"]), target)
            rows, attendees = build_rows(db, kinds, series, series["id"], starts)
            storage_appointments.insert_appointments(db, rows, attendees)
            storage_series.update_series(db, series["id"], {"materialised_until": iso(target)})
            added += len(rows)
    return added


def _horizon(start: datetime, rule: str) -> datetime:
    if is_open_ended(rule):
        return max(utcnow(), start) + HORIZON
    return start + BOUNDED_SPAN


def plan_series(series: dict, from_utc: datetime) -> tuple[list[datetime], datetime]:
    """The occurrence starts of a series from ``from_utc``, and the materialised horizon."""
    until = _horizon(to_utc(series_dtstart(series)), series["rrule"])
    starts = expand_series(series, from_utc, until)
    if not is_open_ended(series["rrule"]) and len(starts) > MAX_OCCURRENCES:
        raise InvalidInput(
            f"Cette répétition produit {len(starts)} rendez-vous : {MAX_OCCURRENCES} au plus. "
            "Indiquez une date de fin plus proche."
        )
    return starts, until


def rewrite_plan(
    source_rows: list[dict], keep_before: str | None = None
) -> tuple[set, dict, list[int], int]:
    """What happens to the existing occurrences when a series is rewritten.

    Occurrences done, missed or checked in, and those scheduled before ``keep_before`` (already
    past) are kept, and the new series skips their day and rank. Returns (keys to skip,
    cancelled keys → reason, ids to delete, one-off changes replaced).
    """
    locals_ = [local_naive(r["recurrence_id"]) for r in source_rows]
    keys = day_keys(locals_)
    skip, cancelled, delete, replaced = set(), {}, [], 0
    for row, key in zip(source_rows, keys, strict=True):
        past = keep_before is not None and row["recurrence_id"] < keep_before
        if row["status"] in PROTECTED or row["checked"] or past:
            skip.add(key)
            continue
        if row["status"] == "cancelled":
            cancelled[key] = row["cancel_reason"]
        elif row["detached"]:
            replaced += 1
        delete.append(row["id"])
    return skip, cancelled, delete, replaced

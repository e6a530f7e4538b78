"""Seeding without access checks nor conflict checks: the demo territory and the benchmark
only (they build fictitious data).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from virage.agenda import (
    storage_appointments,
    storage_series,
)
from virage.agenda.common import blocks
from virage.agenda.kinds import AppointmentKind
from virage.agenda.series import (
    build_rows,
    occurrence_end,
    plan_series,
)
from virage.agenda.timeutil import (
    is_open_ended,
    iso,
    normalise_rule,
    to_utc,
)
from virage.db import transaction


def seed_series(
    db,
    kinds: dict[str, AppointmentKind],
    *,
    structure_id: int,
    kind: str,
    title: str,
    professional_ids: Sequence[int],
    dtstart_local: datetime,
    duration_minutes: int,
    rrule: str,
    person_id: int | None = None,
    place: str | None = None,
    place_detail: str | None = None,
    notes: str = "",
    to_bring: str = "",
    created_by: int | None = None,
) -> tuple[int, int]:
    """Create a series without access checks nor conflict checks: for the demo territory and the
    benchmark only (they build fictitious data). Returns (series id, occurrences created)."""
    rule = normalise_rule(rrule, dtstart_local)
    series = {
        "structure_id": structure_id,
        "kind": kind,
        "title": title,
        "person_id": person_id,
        "place": place or kinds[kind].default_place,
        "place_detail": place_detail,
        "notes": notes,
        "to_bring": to_bring,
        "professional_ids": list(professional_ids),
        "dtstart_local": dtstart_local.isoformat(),
        "duration_minutes": duration_minutes,
        "rrule": rule,
        "exdates": [],
        "status": "planned",
        "open_ended": int(is_open_ended(rule)),
        "forced": 0,
        "created_by": created_by,
        "updated_by": created_by,
    }
    starts, until = plan_series(series, to_utc(dtstart_local))
    with transaction(db):
        series["materialised_until"] = iso(until)
        series_id = storage_series.insert_series(db, series)
        rows, attendees = build_rows(db, kinds, series, series_id, starts, actor_id=created_by)
        storage_appointments.insert_appointments(db, rows, attendees)
    return series_id, len(rows)


def seed_appointment(
    db,
    kinds: dict[str, AppointmentKind],
    *,
    structure_id: int,
    kind: str,
    title: str,
    professional_ids: Sequence[int],
    start_local: datetime,
    duration_minutes: int,
    person_id: int | None = None,
    place: str | None = None,
    place_detail: str | None = None,
    status: str = "planned",
    cancel_reason: str | None = None,
    to_bring: str = "",
    notes: str = "",
    created_by: int | None = None,
) -> int:
    """Create one appointment without checks (demo territory, benchmark)."""
    start = to_utc(start_local)
    end = occurrence_end(start_local, duration_minutes)
    with transaction(db):
        (appointment_id,) = storage_appointments.new_appointment_ids(db, 1)
        row = {
            "id": appointment_id,
            "structure_id": structure_id,
            "series_id": None,
            "recurrence_id": None,
            "detached": 0,
            "kind": kind,
            "title": title,
            "person_id": person_id,
            "place": place or kinds[kind].default_place,
            "place_detail": place_detail,
            "start_utc": iso(start),
            "end_utc": iso(end),
            "status": status,
            "cancel_reason": cancel_reason,
            "notes": notes,
            "to_bring": to_bring,
            "forced": 0,
            "ical_uid": None,
            "created_by": created_by,
            "updated_by": created_by,
        }
        busy = int(blocks(kinds, kind, status))
        storage_appointments.insert_appointments(
            db,
            [row],
            [
                (appointment_id, uid, row["start_utc"], row["end_utc"], busy)
                for uid in professional_ids
            ],
        )
    return appointment_id


# What the demo territory writes and reads besides series and appointments: teams, absences,
# working hours, attendees, and history (visits already done). Same rule: fictitious data only.
from virage.agenda.storage import (  # noqa: E402
    attendee_ids,
    create_team,
    insert_absence,
    mark_done_before,
    replace_working_hours,
    series_occurrences,
    set_attendees,
    set_team_members,
    team_by_name,
    update_appointment,
)

__all__ = [
    "attendee_ids",
    "create_team",
    "insert_absence",
    "mark_done_before",
    "replace_working_hours",
    "seed_appointment",
    "seed_series",
    "series_occurrences",
    "set_attendees",
    "set_team_members",
    "team_by_name",
    "update_appointment",
]

"""Reading the agenda: one appointment, « ma journée », the team week, a person's agenda, the
listing of a structure. Care notes for the care team only; persons shown as each actor may see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from virage.accounts.context import PERSON_NOT_FOUND, AccessContext
from virage.agenda import (
    storage_appointments,
    storage_availability,
    storage_series,
    storage_views,
)
from virage.agenda.checks import (
    can_read_notes,
    can_write,
    can_write_notes,
    load_appointment,
)
from virage.agenda.common import local_str
from virage.agenda.kinds import PLACES, STATUSES, AppointmentKind, registry
from virage.agenda.people import (
    Deciders,
    check_professionals,
    members_by_id,
)
from virage.agenda.series import ensure_materialised
from virage.agenda.timeutil import (
    MAX_DURATION,
    day_bounds,
    describe_rule,
    hhmm,
    iso,
    to_local,
    when,
)
from virage.errors import NotFound
from virage.plugins import PluginHost


def get(
    access: AccessContext,
    plugins: PluginHost,
    appointment_id: int,
    *,
    audit: bool = True,
    warnings: list[str] | None = None,
) -> dict:
    """One appointment as the actor may see it (care notes for the care team only)."""
    actor = access.require_login()
    db = access.db
    row = load_appointment(access, appointment_id)
    sid = row["structure_id"]
    attendees = storage_appointments.attendees_of(db, [appointment_id])[appointment_id]
    attendee_ids = {uid for uid, _ in attendees}
    own = actor.user_id in attendee_ids
    if audit:
        if access.allowed("agenda.read", structure_id=sid) or not own:
            access.require(
                "agenda.read",
                structure_id=sid,
                person_id=row["person_id"],
                action="agenda.appointment.read",
                target=f"appointment:{appointment_id}",
            )
        else:
            access.audit(
                "agenda.appointment.read",
                structure_id=sid,
                person_id=row["person_id"],
                target=f"appointment:{appointment_id}",
            )
    deciders = Deciders(access, [row["person_id"]])
    ref = deciders.refs.get(row["person_id"], (None, None))[1]
    notes = None
    if can_read_notes(access, sid, ref):
        notes = row["notes"]
        if audit and row["notes"]:
            if ref is not None:
                access.require(
                    "agenda.notes.read",
                    person_id=row["person_id"],
                    target=f"appointment:{appointment_id}",
                )
            else:
                access.require(
                    "agenda.notes.read", structure_id=sid, target=f"appointment:{appointment_id}"
                )
    kinds = registry(plugins)
    series = storage_series.get_series(db, row["series_id"]) if row["series_id"] else None
    checkins = storage_appointments.checkins_of_appointment(db, appointment_id)
    if not access.allowed("agenda.checkins.read", structure_id=sid):
        checkins = [c for c in checkins if c["user_id"] == actor.user_id]
    for c in checkins:
        c["in_hhmm"] = hhmm(c["checked_in_at"]) if c["checked_in_at"] else ""
        c["out_hhmm"] = hhmm(c["checked_out_at"]) if c["checked_out_at"] else ""
    return {
        **_entry(row, kinds),
        "series_id": row["series_id"],
        "recurrence_id": row["recurrence_id"],
        "professionals": [{"id": uid, "display_name": name} for uid, name in attendees],
        "person": deciders.person(row["person_id"]),
        "notes": notes,
        "forced": bool(row["forced"]),
        "rrule": series["rrule"] if series else None,
        "rrule_label": describe_rule(series["rrule"]) if series else None,
        "series_cancelled": bool(series and series["cancelled_at"]),
        "checkins": checkins,
        "warnings": warnings or [],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "can_write": can_write(access, row, attendee_ids),
        "can_write_notes": can_write_notes(access, sid, ref),
        "is_attendee": own,
        "detached": bool(row["detached"]),
        "arrived_at": row.get("arrived_at"),
    }


def _entry(row: dict, kinds: dict[str, AppointmentKind], brief: bool = False) -> dict:
    """A row as views show it; ``brief`` leaves out the long French date (week grids)."""
    kind = kinds.get(row["kind"])
    start, end = to_local(row["start_utc"]), to_local(row["end_utc"])  # converted once
    return {
        "id": row["id"],
        "structure_id": row["structure_id"],
        "kind": row["kind"],
        "kind_label": kind.label if kind else row["kind"],
        "kind_icon": kind.icon if kind else "",
        "title": row["title"],
        "start": row["start_utc"],
        "end": row["end_utc"],
        "start_local": start.replace(tzinfo=None).isoformat(timespec="minutes"),
        "end_local": end.replace(tzinfo=None).isoformat(timespec="minutes"),
        "when": "" if brief else when(start, end),
        "start_hhmm": f"{start.hour} h {start.minute:02d}",
        "end_hhmm": f"{end.hour} h {end.minute:02d}",
        "status": row["status"],
        "status_label": STATUSES.get(row["status"], row["status"]),
        "cancel_reason": row["cancel_reason"],
        "place": row["place"],
        "place_label": PLACES.get(row["place"], row["place"]),
        "place_detail": row["place_detail"],
        "to_bring": row["to_bring"],
        "has_notes": bool(row.get("has_notes", row.get("notes"))),
    }


def my_day(access: AccessContext, plugins: PluginHost, day: date) -> list[dict]:
    """ "Ma journée": the actor's own appointments of one day, ordered by time, phone-ready."""
    actor = access.require_login()
    db = access.db
    kinds = registry(plugins)
    start, end = day_bounds(day)
    ensure_materialised(db, kinds, end)
    rows = storage_views.day_of_user(
        db, actor.user_id, iso(start), iso(end), iso(start - MAX_DURATION)
    )
    rows = [r for r in rows if actor.role_in(r["structure_id"]) is not None]
    deciders = Deciders(access, [r["person_id"] for r in rows])
    colleagues = storage_appointments.attendees_of(db, [r["id"] for r in rows])
    out = []
    for row in rows:
        entry = _entry(row, kinds)
        entry.update(
            person=deciders.person(row["person_id"]),
            colleagues=[
                {"id": uid, "display_name": name}
                for uid, name in colleagues[row["id"]]
                if uid != actor.user_id
            ],
            checked_in_at=row["checked_in_at"],
            checked_out_at=row["checked_out_at"],
            recurring=row["series_id"] is not None,
        )
        out.append(entry)
    per_structure: dict[int, int] = defaultdict(int)
    for row in rows:
        if row["person_id"] is not None:
            per_structure[row["structure_id"]] += 1
    for sid, count in sorted(per_structure.items()):
        access.audit(
            "agenda.day.read",
            structure_id=sid,
            details={"date": day.isoformat(), "rendez_vous": count},
        )
    return out


def professionals_for(
    access: AccessContext,
    structure_id: int,
    *,
    team_id: int | None = None,
    user_ids: Sequence[int] | None = None,
) -> list[dict]:
    """The professionals of a view: a team, a chosen list, or every member of the structure."""
    members = members_by_id(access, structure_id)
    if team_id is not None:
        team = storage_availability.get_team(access.db, team_id)
        if team is None or team["structure_id"] != structure_id:
            raise NotFound("Cette équipe n'existe pas dans cette structure.")
        ids = [uid for uid in team["member_ids"] if uid in members]
    elif user_ids:
        ids = check_professionals(access, structure_id, user_ids)
    else:
        ids = [uid for uid, m in members.items() if m["role"] not in ("dpo",)]
    return [
        {"id": uid, "display_name": members[uid]["display_name"], "role": members[uid]["role"]}
        for uid in sorted(ids, key=lambda u: members[u]["display_name"])
    ]


def week(
    access: AccessContext,
    plugins: PluginHost,
    structure_id: int,
    first_day: date,
    *,
    team_id: int | None = None,
    user_ids: Sequence[int] | None = None,
    days: int = 7,
) -> dict:
    """The team week view: each professional's appointments over ``days`` days."""
    pros = professionals_for(access, structure_id, team_id=team_id, user_ids=user_ids)
    access.require(
        "agenda.read",
        structure_id=structure_id,
        action="agenda.week.read",
        details={"debut": first_day.isoformat(), "professionnels": len(pros)},
    )
    db = access.db
    kinds = registry(plugins)
    start = day_bounds(first_day)[0]
    end = day_bounds(first_day + timedelta(days=days - 1))[1]
    ensure_materialised(db, kinds, end)
    pairs = storage_views.window_of_users(
        db, [p["id"] for p in pros], iso(start), iso(end), iso(start - MAX_DURATION)
    )
    deciders = Deciders(
        access, [r["person_id"] for _, r in pairs if r["structure_id"] == structure_id]
    )
    entries = []
    for uid, row in pairs:
        visible = row["structure_id"] == structure_id or deciders.agenda(row["structure_id"])
        if visible:
            entry = _entry(row, kinds, brief=True)
            entry.update(
                professional_id=uid, person=deciders.person(row["person_id"]), masked=False
            )
        else:
            entry = {
                "id": None,
                "professional_id": uid,
                "title": "Occupé·e (autre structure)",
                "kind": None,
                "kind_label": "",
                "kind_icon": "",
                "start": row["start_utc"],
                "end": row["end_utc"],
                "start_local": local_str(row["start_utc"]),
                "end_local": local_str(row["end_utc"]),
                "start_hhmm": hhmm(row["start_utc"]),
                "end_hhmm": hhmm(row["end_utc"]),
                "status": None,
                "person": None,
                "masked": True,
            }
        entries.append(entry)
    return {"start": first_day, "days": days, "professionals": pros, "appointments": entries}


def person_agenda(
    access: AccessContext,
    plugins: PluginHost,
    person_id: int,
    start: datetime,
    end: datetime,
    *,
    limit: int = 200,
) -> list[dict]:
    """A person's appointments in a window (the section of their record)."""
    access.require("agenda.read", person_id=person_id, action="agenda.person.read")
    db = access.db
    kinds = registry(plugins)
    ensure_materialised(db, kinds, end)
    rows = storage_views.window_of_person(db, person_id, iso(start), iso(end), limit)
    attendees = storage_appointments.attendees_of(db, [r["id"] for r in rows])
    deciders = Deciders(access, [person_id])
    out = []
    for row in rows:
        entry = _entry(row, kinds)
        entry.update(
            person=deciders.person(person_id),
            professionals=[{"id": u, "display_name": n} for u, n in attendees[row["id"]]],
            recurring=row["series_id"] is not None,
        )
        out.append(entry)
    return out


def structure_window(
    access: AccessContext,
    plugins: PluginHost,
    structure_id: int,
    start: datetime,
    end: datetime,
    *,
    professional_id: int | None = None,
    person_id: int | None = None,
    limit: int = 2000,
) -> list[dict]:
    """Appointments of a structure in a window (API listing), optionally for one professional
    or one person."""
    if person_id is not None:
        person, _ = access.load_person(person_id)
        if person["structure_id"] != structure_id:
            raise NotFound(PERSON_NOT_FOUND)
        rows_full = person_agenda(access, plugins, person_id, start, end, limit=limit)
        return rows_full
    access.require(
        "agenda.read",
        structure_id=structure_id,
        action="agenda.list.read",
        details={"debut": iso(start), "fin": iso(end)},
    )
    db = access.db
    kinds = registry(plugins)
    ensure_materialised(db, kinds, end)
    if professional_id is not None:
        check_professionals(access, structure_id, [professional_id])
        pairs = storage_views.window_of_users(
            db, [professional_id], iso(start), iso(end), iso(start - MAX_DURATION)
        )
        rows = [r for _, r in pairs if r["structure_id"] == structure_id]
    else:
        rows = storage_views.window_of_structure(db, structure_id, iso(start), iso(end), limit)
    attendees = storage_appointments.attendees_of(db, [r["id"] for r in rows])
    deciders = Deciders(access, [r["person_id"] for r in rows])
    out = []
    for row in rows[:limit]:
        entry = _entry(row, kinds)
        entry.update(
            person=deciders.person(row["person_id"]),
            professionals=[{"id": u, "display_name": n} for u, n in attendees[row["id"]]],
            recurring=row["series_id"] is not None,
        )
        out.append(entry)
    return out

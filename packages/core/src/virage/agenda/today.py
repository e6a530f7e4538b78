"""Who works today in a structure: the team of the day, for the coordination's home page.

Working hours as declared (or the default week when none were declared), minus the absences that
cover the whole of them. No figures per worker: who is there, and when, nothing more; an absence
is shown without its kind (a sick leave is nobody's business on a home page).
"""

from __future__ import annotations

from datetime import date

from virage.access import ROLES
from virage.accounts.context import AccessContext
from virage.agenda import storage_availability
from virage.agenda.people import members_by_id
from virage.agenda.slots import DEFAULT_WEEK, _wall
from virage.agenda.timeutil import day_bounds, iso, parse_iso

#: Roles of the agenda's team of the day: those who see persons or answer the phone.
TEAM_ROLES = frozenset(ROLES) - {"dpo"}


def _hhmm(value: str) -> str:
    hour, minute = value.split(":")
    return f"{int(hour)} h {minute}" if minute != "00" else f"{int(hour)} h"


def team_today(access: AccessContext, structure_id: int, day: date) -> dict:
    """``{"working": [...], "absent": [...]}`` for ``day`` in ``structure_id``.

    Each entry: ``id``, ``display_name``, ``role_label`` and, for who works, ``hours``
    (« 9 h – 12 h 30, 13 h 30 – 17 h 30 »). Checked with ``agenda.availability.read`` (no
    personal data of a person accompanied: not audited, like the free-slot search).
    """
    access.require("agenda.availability.read", structure_id=structure_id)
    members = {
        uid: m for uid, m in members_by_id(access, structure_id).items() if m["role"] in TEAM_ROLES
    }
    hours = storage_availability.working_hours(access.db, list(members))
    start, end = day_bounds(day)
    off: dict[int, list[tuple]] = {}
    for a in storage_availability.absences(access.db, list(members), iso(start), iso(end)):
        off.setdefault(a["user_id"], []).append(
            (parse_iso(a["start_utc"]), parse_iso(a["end_utc"]))
        )
    working, absent = [], []
    for uid, member in sorted(members.items(), key=lambda kv: kv[1]["display_name"]):
        slots = [(s, e) for w, s, e in (hours.get(uid) or DEFAULT_WEEK) if w == day.weekday()]
        if not slots:
            continue
        entry = {
            "id": uid,
            "display_name": member["display_name"],
            "role_label": ROLES.get(member["role"], member["role"]),
        }
        if _covered(day, slots, off.get(uid, [])):
            absent.append(entry)
            continue
        entry["hours"] = ", ".join(f"{_hhmm(s)} – {_hhmm(e)}" for s, e in slots)
        working.append(entry)
    return {"working": working, "absent": absent}


def _covered(day: date, slots: list[tuple[str, str]], absences: list[tuple]) -> bool:
    """Whether the absences cover every working slot of the day."""
    for s, e in slots:
        begin, finish = _wall(day, s), _wall(day, e)  # a night shift may end at « 24:00 »
        if not any(a_start <= begin and a_end >= finish for a_start, a_end in absences):
            return False
    return True

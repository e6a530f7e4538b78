"""What the teleconsultation's forms need: the request form's context (kept across the doctor
search) and the choice of a day for the slots."""

from __future__ import annotations

from datetime import date, timedelta

from virage.sdk import accounts
from virage_teleconsultation import service

#: How far ahead a day may be chosen for the session.
DAYS_AHEAD = 28
_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
_MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def day_label(day: date, today: date) -> str:
    if day == today:
        return "aujourd'hui"
    if day == today + timedelta(days=1):
        return "demain"
    first = "1er" if day.day == 1 else str(day.day)
    return f"{_WEEKDAYS[day.weekday()]} {first} {_MONTHS[day.month - 1]}"


def day_choices(today: date, chosen: date, count: int = 10) -> list[dict]:
    """The next ``count`` days (today included; week-ends too: a remote permanence may run then,
    the doctor's working hours say which have slots) and the chosen one."""
    days: list[date] = []
    day = today
    while len(days) < count and day < today + timedelta(days=DAYS_AHEAD):
        days.append(day)
        day += timedelta(days=1)
    if chosen not in days:
        days.append(chosen)
        days.sort()
    return [
        {"iso": d.isoformat(), "label": day_label(d, today), "current": d == chosen} for d in days
    ]


def new_form_context(access, person: dict, q: str, values: dict) -> dict:
    doctors = service.doctors(access, q)
    chosen = str(values.get("doctor") or "")
    return {
        "person": person,
        "doctors": doctors,
        "q": q,
        "members": accounts.members_of(access.db, person["structure_id"]),
        "me": int(values["accompanying"])
        if str(values.get("accompanying") or "").isdigit()
        else access.actor.user_id,
        "values": values,
        "doctor_id": chosen,
    }

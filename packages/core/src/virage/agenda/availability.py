"""Availability of professionals: working hours, absences, and the search of free slots."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from virage.accounts.context import AccessContext
from virage.agenda import (
    people_lookups,
    storage_appointments,
    storage_availability,
)
from virage.agenda.common import local_str
from virage.agenda.kinds import ABSENCE_KINDS, registry
from virage.agenda.people import (
    check_professionals,
    members_by_id,
)
from virage.agenda.reading import professionals_for
from virage.agenda.series import ensure_materialised
from virage.agenda.slots import DEFAULT_WEEK, SlotQuery
from virage.agenda.slots import free_slots as compute_free_slots
from virage.agenda.timeutil import (
    MAX_DURATION,
    day_bounds,
    iso,
    parse_iso,
    to_utc,
    when,
)
from virage.db import transaction, utcnow
from virage.errors import InvalidInput, NotFound
from virage.plugins import PluginHost

MAX_SEARCH_DAYS = 62


def _require_about_user(access: AccessContext, structure_id: int, user_id: int, perm: str) -> dict:
    members = members_by_id(access, structure_id)
    access.require(perm, structure_id=structure_id, target=f"user:{user_id}")
    if user_id not in members:
        raise NotFound("Ce professionnel n'appartient pas à cette structure.")
    return members[user_id]


def get_working_hours(access: AccessContext, structure_id: int, user_id: int) -> dict:
    actor = access.require_login()
    if actor.user_id != user_id or actor.role_in(structure_id) is None:
        _require_about_user(access, structure_id, user_id, "agenda.availability.read")
    slots = storage_availability.working_hours(access.db, [user_id])[user_id]
    return {
        "user_id": user_id,
        "declared": bool(slots),
        "slots": [{"weekday": w, "start": s, "end": e} for w, s, e in (slots or DEFAULT_WEEK)],
    }


def set_working_hours(
    access: AccessContext, structure_id: int, user_id: int, slots: list[dict]
) -> dict:
    _require_about_user(access, structure_id, user_id, "agenda.availability.manage")
    clean: list[tuple[int, str, str]] = []
    for slot in slots:
        weekday, start, end = int(slot["weekday"]), slot["start"], slot["end"]
        for value in (start, end):
            hh, mm = value.split(":")
            if not (0 <= int(hh) <= 24 and 0 <= int(mm) <= 59) or (int(hh) == 24 and int(mm)):
                raise InvalidInput(f"Heure impossible : {value}.")
        if not 0 <= weekday <= 6:
            raise InvalidInput("Jour de la semaine : 0 (lundi) à 6 (dimanche).")
        if end <= start:
            raise InvalidInput(f"Plage {start}–{end} : la fin doit être après le début.")
        clean.append((weekday, start, end))
    clean.sort()
    for (w1, _s1, e1), (w2, s2, _e2) in itertools.pairwise(clean):
        if w1 == w2 and s2 < e1:
            raise InvalidInput("Deux plages horaires du même jour se chevauchent.")
    with transaction(access.db):
        storage_availability.replace_working_hours(access.db, user_id, clean, access.actor.user_id)
    return get_working_hours(access, structure_id, user_id)


def _absence_bounds(start: date | datetime, end: date | datetime) -> tuple[datetime, datetime]:
    s = to_utc(start) if isinstance(start, datetime) else day_bounds(start)[0]
    e = to_utc(end) if isinstance(end, datetime) else day_bounds(end)[1]
    if e <= s:
        raise InvalidInput("La fin de l'absence doit être après son début.")
    if e - s > timedelta(days=400):
        raise InvalidInput("Une absence dure au plus 400 jours : découpez-la.")
    return s, e


def add_absence(
    access: AccessContext,
    structure_id: int,
    user_id: int,
    kind: str,
    start: date | datetime,
    end: date | datetime,
) -> dict:
    """Record an absence (leave, training, or "absence" — never a medical reason)."""
    _require_about_user(access, structure_id, user_id, "agenda.availability.manage")
    if kind not in ABSENCE_KINDS:
        raise InvalidInput(f"Type d'absence : {', '.join(ABSENCE_KINDS)}.")
    s, e = _absence_bounds(start, end)
    absence_id = storage_availability.insert_absence(
        access.db, user_id, kind, iso(s), iso(e), access.actor.user_id
    )
    return describe_absence(storage_availability.get_absence(access.db, absence_id))


def describe_absence(row: dict) -> dict:
    return {
        "id": row["id"],
        "user_id": row["user_id"],
        "kind": row["kind"],
        "kind_label": ABSENCE_KINDS.get(row["kind"], row["kind"]),
        "start": row["start_utc"],
        "end": row["end_utc"],
        "when": when(row["start_utc"], row["end_utc"]),
    }


def list_absences(access: AccessContext, structure_id: int, user_id: int) -> list[dict]:
    actor = access.require_login()
    if actor.user_id != user_id or actor.role_in(structure_id) is None:
        _require_about_user(access, structure_id, user_id, "agenda.availability.read")
    since = iso(utcnow() - timedelta(days=31))
    return [
        describe_absence(r)
        for r in storage_availability.absences_of_user(access.db, user_id, since)
    ]


def delete_absence(access: AccessContext, structure_id: int, absence_id: int) -> int:
    """Delete an absence; returns the professional it was of."""
    absence = storage_availability.get_absence(access.db, absence_id)
    if absence is None:
        raise NotFound("Cette absence n'existe pas.")
    _require_about_user(access, structure_id, absence["user_id"], "agenda.availability.manage")
    storage_availability.delete_absence(access.db, absence_id)
    return absence["user_id"]


def search_free_slots(
    access: AccessContext,
    plugins: PluginHost,
    structure_id: int,
    *,
    first_day: date,
    last_day: date,
    day_start: time,
    day_end: time,
    duration_minutes: int,
    professional_ids: Sequence[int] | None = None,
    team_id: int | None = None,
    mode: str = "any",
    step_minutes: int = 15,
    limit: int | None = 20,
) -> list[dict]:
    """ "The first 30-minute slots next week when Mme X or anyone in the team is free, 9:00–12:00".

    Professionals are tried in the order given (Mme X first); ``mode="all"`` asks for slots when
    all of them are free together (a meeting).
    """
    access.require("agenda.availability.read", structure_id=structure_id)
    if last_day < first_day:
        raise InvalidInput("La date de fin de recherche doit suivre la date de début.")
    if (last_day - first_day).days >= MAX_SEARCH_DAYS:
        raise InvalidInput(f"Cherchez sur {MAX_SEARCH_DAYS} jours au plus.")
    if day_end <= day_start:
        raise InvalidInput("L'heure de fin de la plage doit suivre l'heure de début.")
    if not 5 <= duration_minutes <= 12 * 60:
        raise InvalidInput("Durée du créneau : de 5 minutes à 12 heures.")
    if not 5 <= step_minutes <= 240:
        raise InvalidInput("Pas de recherche : de 5 à 240 minutes.")
    if mode not in ("any", "all"):
        raise InvalidInput("Mode : « any » (l'un d'eux) ou « all » (tous ensemble).")
    if professional_ids:
        ids = check_professionals(access, structure_id, professional_ids)
        if team_id is not None:
            ids += [
                p["id"]
                for p in professionals_for(access, structure_id, team_id=team_id)
                if p["id"] not in ids
            ]
    else:
        ids = [p["id"] for p in professionals_for(access, structure_id, team_id=team_id)]
    if not ids:
        raise InvalidInput("Aucun professionnel à consulter : choisissez-en au moins un.")
    db = access.db
    kinds = registry(plugins)
    start = day_bounds(first_day)[0]
    end = day_bounds(last_day)[1]
    ensure_materialised(db, kinds, end)
    busy: dict[int, list] = defaultdict(list)
    for uid, _aid, s, e in storage_appointments.busy_intervals(
        db, ids, iso(start), iso(end), iso(start - MAX_DURATION)
    ):
        busy[uid].append((parse_iso(s), parse_iso(e)))
    absences: dict[int, list] = defaultdict(list)
    for a in storage_availability.absences(db, ids, iso(start), iso(end)):
        absences[a["user_id"]].append((parse_iso(a["start_utc"]), parse_iso(a["end_utc"])))
    hours = storage_availability.working_hours(db, ids)
    hours = {uid: (slots or DEFAULT_WEEK) for uid, slots in hours.items()}
    query = SlotQuery(
        professionals=tuple(ids),
        first_day=first_day,
        last_day=last_day,
        day_start=day_start,
        day_end=day_end,
        duration=timedelta(minutes=duration_minutes),
        step=timedelta(minutes=step_minutes),
        mode=mode,  # type: ignore[arg-type]
        limit=limit,
        not_before=utcnow(),
    )
    names = people_lookups.user_names(db, ids)
    return [
        {
            "start": iso(slot.start),
            "end": iso(slot.end),
            "start_local": local_str(iso(slot.start)),
            "end_local": local_str(iso(slot.end)),
            "when": when(iso(slot.start), iso(slot.end)),
            "professionals": [{"id": u, "display_name": names[u]} for u in slot.professionals],
        }
        for slot in compute_free_slots(query, hours, busy, absences)
    ]

"""The agenda's use cases, shared by the API, the web pages, the CLI and the calendar feeds.

Every function takes an :class:`AccessContext`: the access check (and its audit entry) comes first,
then the storage calls. Nothing here writes SQL.

Recurring series are stored as an iCalendar rule (wall-clock ``DTSTART`` in Europe/Paris, ``RRULE``,
``EXDATE``) and materialised: each occurrence is a row, so views are index range scans. Editing:

- **one occurrence** changes that row only (it becomes an exception of the series);
- **this and following** ends the series before the occurrence and starts a new one from it;
- **the whole series** changes the series and every occurrence still to come; past occurrences
  are history and stay as they were.

In both series-wide cases, occurrences already recorded as done or missed (or checked in) are
never rewritten, occurrences cancelled one by one stay cancelled, and other one-off changes of the
rewritten occurrences are replaced (their number is reported).
"""

from __future__ import annotations

import bisect
import itertools
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from virage.access import PersonRef
from virage.accounts import storage as accounts_storage
from virage.accounts.context import PERSON_NOT_FOUND, AccessContext
from virage.agenda import storage
from virage.agenda.kinds import PLACES, STATUSES, AppointmentKind, get_kind, registry
from virage.agenda.rules import MAX_COUNT as MAX_OCCURRENCES
from virage.agenda.slots import DEFAULT_WEEK, SlotQuery
from virage.agenda.slots import free_slots as compute_free_slots
from virage.agenda.timeutil import (
    MAX_DURATION,
    PARIS,
    day_bounds,
    describe_rule,
    expand,
    hhmm,
    is_open_ended,
    iso,
    local_naive,
    normalise_rule,
    parse_iso,
    rule_count,
    shift_weekdays,
    to_local,
    to_utc,
    when,
    with_count,
    with_until,
)
from virage.db import transaction, utcnow, utcnow_iso
from virage.errors import Conflict, Forbidden, InvalidInput, NotFound
from virage.french import plural
from virage.plugins import PluginHost

log = logging.getLogger("virage.agenda")

#: How far ahead the occurrences of an open-ended series are materialised when it is created.
HORIZON = timedelta(days=370)
#: When a view reaches past the materialised horizon, extend it this much further.
EXTEND_CHUNK = timedelta(days=92)
#: Span of a bounded series (COUNT or UNTIL), and how far ahead views develop open-ended ones.
BOUNDED_SPAN = timedelta(days=10 * 366)
#: Occurrences in these statuses happened: series edits never rewrite them.
PROTECTED = frozenset({"done", "missed"})
MAX_SEARCH_DAYS = 62

APPOINTMENT_NOT_FOUND = "Ce rendez-vous n'existe pas ou ne vous est pas accessible."
ABSENCE_KINDS = {"leave": "Congé", "training": "Formation", "absence": "Absence"}
TRANSITIONS = {
    "planned": {"confirmed", "done", "missed"},
    "confirmed": {"planned", "done", "missed"},
    "done": {"missed"},
    "missed": {"done"},
    "cancelled": {"planned", "confirmed"},
}


# =========================================================================== helpers


def initials(given_names: str | None, family_name: str | None) -> str:
    """``Jeanne Marie`` ``Durand`` → ``J. D.``"""
    first = (given_names or "").strip()[:1].upper()
    last = (family_name or "").strip()[:1].upper()
    return " ".join(f"{c}." for c in (first, last) if c) or "?"


def _blocks(kinds: dict[str, AppointmentKind], kind_name: str, status: str) -> bool:
    kind = kinds.get(kind_name)
    return status != "cancelled" and (kind is None or kind.blocks)


def _members(access: AccessContext, structure_id: int) -> dict[int, dict]:
    return {m["id"]: m for m in accounts_storage.members_of(access.db, structure_id)}


def _check_professionals(
    access: AccessContext, structure_id: int, user_ids: Iterable[int]
) -> list[int]:
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        raise InvalidInput("Choisissez au moins un professionnel.")
    members = _members(access, structure_id)
    unknown = [uid for uid in ids if uid not in members]
    if unknown:
        raise InvalidInput(
            "Ces professionnels n'appartiennent pas à la structure (ou leur compte est "
            f"désactivé) : n° {', '.join(map(str, unknown))}."
        )
    return ids


def _person_refs(
    access: AccessContext, person_ids: Iterable[int]
) -> dict[int, tuple[dict, PersonRef]]:
    """Batch-load what the access model needs to decide about several persons."""
    ids = {pid for pid in person_ids if pid is not None}
    if not ids:
        return {}
    db = access.db
    basics = storage.person_basics(db, ids)
    teams = storage.care_teams(db, basics)
    emergencies = storage.emergency_users(db, basics, utcnow_iso())
    return {
        pid: (
            row,
            PersonRef(
                id=pid,
                structure_id=row["structure_id"],
                care_team=frozenset(teams.get(pid, ())),
                emergency_users=frozenset(emergencies.get(pid, ())),
            ),
        )
        for pid, row in basics.items()
    }


class _Deciders:
    """Display decisions for one view, computed once per person and per structure."""

    def __init__(self, access: AccessContext, person_ids: Iterable[int]) -> None:
        self.access = access
        self.refs = _person_refs(access, person_ids)
        self._identity: dict[int, bool] = {}
        self._agenda: dict[int, bool] = {}

    def identity(self, person_id: int) -> bool:
        if person_id not in self._identity:
            ref = self.refs.get(person_id)
            self._identity[person_id] = bool(ref) and self.access.allowed(
                "persons.identity.read", person=ref[1]
            )
        return self._identity[person_id]

    def agenda(self, structure_id: int) -> bool:
        if structure_id not in self._agenda:
            self._agenda[structure_id] = self.access.allowed(
                "agenda.read", structure_id=structure_id
            )
        return self._agenda[structure_id]

    def person(self, person_id: int | None) -> dict | None:
        if person_id is None or person_id not in self.refs:
            return None
        row = self.refs[person_id][0]
        if self.identity(person_id):
            return {
                "id": person_id,
                "display": f"{row['given_names']} {row['family_name'].upper()}",
                "identity": True,
                "address": row["address"],
                "postcode": row["postcode"],
                "city": row["city"],
                "phone": row["phone"],
            }
        return {
            "id": person_id,
            "display": initials(row["given_names"], row["family_name"]),
            "identity": False,
            "address": None,
            "postcode": None,
            "city": row["city"],
            "phone": None,
        }


def _local_str(value: str) -> str:
    return local_naive(value).isoformat(timespec="minutes")


def _summary(row: dict, professional_ids: Sequence[int], occurrences: int = 1) -> dict[str, Any]:
    """What the ``on_appointment_*`` hooks receive: no care notes."""
    return {
        "id": row.get("id"),
        "series_id": row.get("series_id"),
        "structure_id": row["structure_id"],
        "kind": row["kind"],
        "title": row["title"],
        "start": row.get("start_utc"),
        "end": row.get("end_utc"),
        "professional_ids": list(professional_ids),
        "person_id": row.get("person_id"),
        "place": row["place"],
        "status": row.get("status", "planned"),
        "occurrences": occurrences,
    }


def _emit(plugins: PluginHost | None, hook: str, access: AccessContext, **kwargs: Any) -> None:
    if plugins is not None:
        plugins.call(hook, db=access.db, actor=access.actor, **kwargs)


# =========================================================================== materialisation


def _occurrence_end(start_local: datetime, minutes: int) -> datetime:
    """Wall-clock end (a night round 21:00–7:00 stays so across a change of time)."""
    start = to_utc(start_local)
    end = to_utc(start_local + timedelta(minutes=minutes))
    return end if end > start else start + timedelta(minutes=minutes)


def _day_keys(starts_local: Sequence[datetime]) -> list[tuple[date, int]]:
    """(local date, rank within that date) of sorted occurrence starts: the identity of an
    occurrence when a series is rewritten with another time of day."""
    keys, counter = [], defaultdict(int)
    for start in starts_local:
        keys.append((start.date(), counter[start.date()]))
        counter[start.date()] += 1
    return keys


def _series_dtstart(series: dict) -> datetime:
    return datetime.fromisoformat(series["dtstart_local"])


def _series_exdates(series: dict) -> list[datetime]:
    return [datetime.fromisoformat(x) for x in series["exdates"]]


def _expand_series(series: dict, from_utc: datetime, until_utc: datetime) -> list[datetime]:
    return expand(
        _series_dtstart(series), series["rrule"], _series_exdates(series), from_utc, until_utc
    )


def _build_rows(
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
    next_id = storage.next_appointment_id(db)
    rows, attendees = [], []
    for start_local, key in zip(starts_local, _day_keys(starts_local), strict=True):
        if key in skip:
            continue
        start = iso(to_utc(start_local))
        end = iso(_occurrence_end(start_local, series["duration_minutes"]))
        status = "cancelled" if key in cancelled else series["status"]
        row = {
            "id": next_id,
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
        busy = int(_blocks(kinds, series["kind"], status))
        attendees.extend((next_id, uid, start, end, busy) for uid in series["professional_ids"])
        next_id += 1
    return rows, attendees


def ensure_materialised(db, kinds: dict[str, AppointmentKind], until: datetime) -> int:
    """Extend open-ended series so that occurrences exist at least up to ``until`` (at most
    ``BOUNDED_SPAN`` from now). Cheap when nothing is needed (one indexed query). Returns the
    number of rows added."""
    until = min(until, utcnow() + BOUNDED_SPAN)
    until_iso = iso(until)
    if not storage.any_series_to_extend(db, until_iso):
        return 0
    added = 0
    with transaction(db):
        for series in storage.series_to_extend(db, until_iso):
            target = until + EXTEND_CHUNK
            starts = _expand_series(series, parse_iso(series["materialised_until"]), target)
            rows, attendees = _build_rows(db, kinds, series, series["id"], starts)
            storage.insert_appointments(db, rows, attendees)
            storage.update_series(db, series["id"], {"materialised_until": iso(target)})
            added += len(rows)
    return added


def _horizon(start: datetime, rule: str) -> datetime:
    if is_open_ended(rule):
        return max(utcnow(), start) + HORIZON
    return start + BOUNDED_SPAN


def _plan_series(series: dict, from_utc: datetime) -> tuple[list[datetime], datetime]:
    """The occurrence starts of a series from ``from_utc``, and the materialised horizon."""
    until = _horizon(to_utc(_series_dtstart(series)), series["rrule"])
    starts = _expand_series(series, from_utc, until)
    if not is_open_ended(series["rrule"]) and len(starts) > MAX_OCCURRENCES:
        raise InvalidInput(
            f"Cette répétition produit {len(starts)} rendez-vous : {MAX_OCCURRENCES} au plus. "
            "Indiquez une date de fin plus proche."
        )
    return starts, until


def _rewrite_plan(
    source_rows: list[dict], keep_before: str | None = None
) -> tuple[set, dict, list[int], int]:
    """What happens to the existing occurrences when a series is rewritten.

    Occurrences done, missed or checked in, and those scheduled before ``keep_before`` (already
    past) are kept, and the new series skips their day and rank. Returns (keys to skip,
    cancelled keys → reason, ids to delete, one-off changes replaced).
    """
    locals_ = [local_naive(r["recurrence_id"]) for r in source_rows]
    keys = _day_keys(locals_)
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


# =========================================================================== conflicts


def _conflicts(
    access: AccessContext,
    user_ids: Sequence[int],
    intervals: Sequence[tuple[datetime, datetime]],
    *,
    exclude_ids: Iterable[int] = (),
    exclude_series: Iterable[int] = (),
    limit: int = 5,
) -> tuple[list[dict], int]:
    """Clashes of ``intervals`` with the busy time and absences of professionals.

    Returns (up to ``limit`` clashes described for a person, total number of clashes).
    """
    if not intervals or not user_ids:
        return [], 0
    db = access.db
    intervals = sorted(intervals)
    lo, hi = intervals[0][0], max(e for _, e in intervals)
    busy_rows = storage.busy_intervals(db, user_ids, iso(lo), iso(hi), iso(lo - MAX_DURATION))
    exclude_ids = set(exclude_ids)
    exclude_series = set(exclude_series)
    if exclude_series:
        briefs = storage.appointments_brief(db, [r[1] for r in busy_rows])
        exclude_ids |= {
            aid
            for aid, b in briefs.items()
            if b.get("series_id") in exclude_series and aid not in exclude_ids
        }
    per_user: dict[int, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    for uid, aid, start, end in busy_rows:
        if aid not in exclude_ids:
            per_user[uid].append((parse_iso(start), parse_iso(end), aid))
    away: dict[int, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    for absence in storage.absences(db, user_ids, iso(lo), iso(hi)):
        away[absence["user_id"]].append(
            (parse_iso(absence["start_utc"]), parse_iso(absence["end_utc"]), absence["id"])
        )
    found: list[tuple[int, datetime, datetime, str, int]] = []
    for uid in user_ids:
        busy = sorted(per_user.get(uid, []))
        starts = [b[0] for b in busy]
        seen: set[tuple[str, int]] = set()
        for start, end in intervals:
            # busy time lasts at most MAX_DURATION: only those starting in that span can overlap
            i = bisect.bisect_left(starts, start - MAX_DURATION)
            j = bisect.bisect_left(starts, end)
            for b_start, b_end, ref in busy[i:j]:
                if b_end > start and ("appointment", ref) not in seen:
                    seen.add(("appointment", ref))
                    found.append((uid, b_start, b_end, "appointment", ref))
            for a_start, a_end, ref in away.get(uid, []):
                if a_start < end and a_end > start and ("absence", ref) not in seen:
                    seen.add(("absence", ref))
                    found.append((uid, a_start, a_end, "absence", ref))
    total = len(found)
    found.sort(key=lambda f: f[1])
    return _describe_clashes(access, found[:limit]), total


def _describe_clashes(access: AccessContext, found: list) -> list[dict]:
    db = access.db
    names = storage.user_names(db, [f[0] for f in found])
    briefs = storage.appointments_brief(db, [f[4] for f in found if f[3] == "appointment"])
    absences = {f[4]: storage.get_absence(db, f[4]) for f in found if f[3] == "absence"}
    out = []
    for uid, start, end, what, ref in found:
        name = names.get(uid, f"n° {uid}")
        if what == "absence":
            kind = ABSENCE_KINDS.get(absences[ref]["kind"], "absence").lower()
            text = f"{name} est absent·e ({kind}) {when(iso(start), iso(end))}."
            out.append(
                {
                    "champ": name,
                    "message": text,
                    "professional_id": uid,
                    "motif": "absence",
                    "rendez_vous": None,
                    "debut": iso(start),
                    "fin": iso(end),
                }
            )
            continue
        brief = briefs.get(ref, {})
        if brief and access.allowed("agenda.read", structure_id=brief["structure_id"]):
            text = (
                f"{name} est déjà occupé·e {when(iso(start), iso(end))} : "
                f"« {brief['title']} » (rendez-vous n° {ref})."
            )
            title, rid = brief["title"], ref
        else:
            text = (
                f"{name} est déjà occupé·e {when(iso(start), iso(end))} "
                "(rendez-vous d'une autre structure)."
            )
            title, rid = None, None
        out.append(
            {
                "champ": name,
                "message": text,
                "professional_id": uid,
                "motif": "rendez-vous",
                "rendez_vous": rid,
                "intitule": title,
                "debut": iso(start),
                "fin": iso(end),
            }
        )
    return out


def _check_conflicts(
    access: AccessContext,
    structure_id: int,
    user_ids: Sequence[int],
    intervals: Sequence[tuple[datetime, datetime]],
    force: bool,
    *,
    exclude_ids: Iterable[int] = (),
    exclude_series: Iterable[int] = (),
) -> bool:
    """Raise ``Conflict`` (409) naming the clashes, unless forced by a role allowed to.

    Returns True when the booking was forced over a conflict.
    """
    clashes, total = _conflicts(
        access, user_ids, intervals, exclude_ids=exclude_ids, exclude_series=exclude_series
    )
    if not clashes:
        return False
    if force:
        access.require(
            "agenda.force",
            structure_id=structure_id,
            action="agenda.force",
            details={"conflits": total},
        )
        access.audit(
            "agenda.forced",
            structure_id=structure_id,
            details={"conflits": total, "premier": clashes[0]["message"]},
        )
        return True
    others = total - len(clashes)
    more = f" (et {plural(others, 'autre conflit', 'autres conflits')})" if others > 0 else ""
    can_force = access.allowed("agenda.force", structure_id=structure_id)
    hint = (
        " Choisissez un autre créneau, ou confirmez la réservation malgré le conflit."
        if can_force
        else " Choisissez un autre créneau ou un autre professionnel ; seule la coordination "
        "peut réserver malgré un conflit."
    )
    raise Conflict(f"Créneau impossible : {clashes[0]['message']}{more}{hint}", details=clashes)


# =========================================================================== permissions


def _require_write(
    access: AccessContext,
    structure_id: int,
    attendee_ids: Iterable[int],
    *,
    person_id: int | None,
    action: str,
    target: str | None = None,
    details: dict | None = None,
) -> str:
    """``agenda.book``, or ``agenda.book.own`` when the actor is one of the professionals.

    Returns the permission used.
    """
    actor = access.require_login()
    own = actor.user_id in set(attendee_ids)
    perm = "agenda.book"
    if own and not access.allowed("agenda.book", structure_id=structure_id):
        perm = "agenda.book.own"
    access.require(
        perm,
        structure_id=structure_id,
        person_id=person_id,
        action=action,
        target=target,
        details=details,
    )
    return perm


def _check_person(access: AccessContext, structure_id: int, person_id: int, perm: str) -> dict:
    person, _ref = access.load_person(person_id)
    if person["structure_id"] != structure_id:
        if access.actor.role_in(person["structure_id"]) is None:
            raise NotFound(PERSON_NOT_FOUND)
        raise InvalidInput("Cette personne est suivie par une autre structure que ce rendez-vous.")
    if person["status"] == "closed":
        raise Conflict("Le dossier de cette personne est clos : plus de nouveau rendez-vous.")
    if perm == "agenda.book.own":
        # A field worker books only for the persons they may know.
        access.require("persons.identity.read", person_id=person_id, action="agenda.person.pick")
    return person


def _require_notes_write(access: AccessContext, structure_id: int, person_id: int | None) -> None:
    if person_id is not None:
        access.require("agenda.notes.write", person_id=person_id, action="agenda.notes.write")
    else:
        access.require("agenda.notes.write", structure_id=structure_id, action="agenda.notes.write")


def _can_read_notes(access: AccessContext, structure_id: int, ref: PersonRef | None) -> bool:
    if ref is not None:
        return access.allowed("agenda.notes.read", person=ref)
    return access.allowed("agenda.notes.read", structure_id=structure_id)


# =========================================================================== booking


def _times(
    kind: AppointmentKind,
    start: datetime,
    end: datetime | None,
    minutes: int | None,
) -> tuple[datetime, datetime]:
    start_utc = to_utc(start)
    if end is not None:
        end_utc = to_utc(end)
    else:
        end_utc = _occurrence_end(local_naive(start_utc), minutes or kind.default_minutes)
    if end_utc <= start_utc:
        raise InvalidInput("La fin du rendez-vous doit être après son début.")
    if end_utc - start_utc > MAX_DURATION:
        raise InvalidInput("Un rendez-vous dure au plus sept jours.")
    return start_utc.replace(second=0, microsecond=0), end_utc.replace(second=0, microsecond=0)


def _place(kind: AppointmentKind, place: str | None, person_id: int | None) -> str:
    place = place or kind.default_place
    if place not in PLACES:
        raise InvalidInput(f"Lieu inconnu « {place} » : {', '.join(PLACES)}.")
    if place == "home" and person_id is None:
        raise InvalidInput("Un rendez-vous au domicile demande de choisir la personne accompagnée.")
    return place


def book(
    access: AccessContext,
    plugins: PluginHost,
    structure_id: int,
    data: dict[str, Any],
    *,
    notify: bool = True,
) -> dict:
    """Book an appointment (or a recurring series); return it as the actor may see it.

    ``data`` has the fields of :class:`virage.agenda.models.AppointmentCreate`; ``notify=False``
    skips the ``on_appointment_created`` hook (a simulated import).
    """
    actor = access.require_login()
    db = access.db
    kinds = registry(plugins)
    kind = get_kind(kinds, data["kind"])
    pros = _check_professionals(access, structure_id, data["professional_ids"])
    person_id = data.get("person_id")
    if kind.person == "required" and person_id is None:
        raise InvalidInput(f"Un rendez-vous « {kind.label} » demande une personne accompagnée.")
    if kind.person == "none" and person_id is not None:
        raise InvalidInput(f"Un rendez-vous « {kind.label} » ne concerne pas une personne.")
    perm = _require_write(access, structure_id, pros, person_id=person_id, action="agenda.book")
    if person_id is not None:
        _check_person(access, structure_id, person_id, perm)
    if data.get("notes"):
        _require_notes_write(access, structure_id, person_id)
    start, end = _times(kind, data["start"], data.get("end"), data.get("duration_minutes"))
    place = _place(kind, data.get("place"), person_id)
    values = {
        "structure_id": structure_id,
        "kind": kind.name,
        "title": (data.get("title") or "").strip() or kind.label,
        "person_id": person_id,
        "place": place,
        "place_detail": (data.get("place_detail") or "").strip() or None,
        "notes": data.get("notes") or "",
        "to_bring": data.get("to_bring") or "",
        "status": data.get("status") or "planned",
        "created_by": actor.user_id,
        "updated_by": actor.user_id,
        "ical_uid": data.get("ical_uid"),
    }
    recurrence = data.get("recurrence")
    if recurrence:
        return _book_series(
            access, plugins, kinds, values, pros, start, end, recurrence, data, notify
        )
    with transaction(db):
        forced = kind.blocks and _check_conflicts(
            access, structure_id, pros, [(start, end)], data.get("force", False)
        )
        row = {
            **values,
            "id": storage.next_appointment_id(db),
            "series_id": None,
            "recurrence_id": None,
            "detached": 0,
            "start_utc": iso(start),
            "end_utc": iso(end),
            "cancel_reason": None,
            "forced": int(bool(forced)),
        }
        busy = int(_blocks(kinds, kind.name, row["status"]))
        storage.insert_appointments(
            db, [row], [(row["id"], uid, row["start_utc"], row["end_utc"], busy) for uid in pros]
        )
    if notify:
        _emit(plugins, "on_appointment_created", access, appointment=_summary(row, pros))
    return get(
        access, plugins, row["id"], audit=False, warnings=_warnings(access, pros, start, end)
    )


def _book_series(
    access, plugins, kinds, values, pros, start, end, recurrence, data, notify
) -> dict:
    db = access.db
    dtstart_local = local_naive(start)
    duration = int((end - start).total_seconds() // 60)
    rule = normalise_rule(recurrence["rrule"], dtstart_local)
    exdates = [local_naive(to_utc(d)).isoformat() for d in recurrence.get("exdates") or []]
    series = {
        **values,
        "professional_ids": pros,
        "dtstart_local": dtstart_local.isoformat(),
        "duration_minutes": duration,
        "rrule": rule,
        "exdates": exdates,
        "open_ended": int(is_open_ended(rule)),
    }
    starts, until = _plan_series(series, start)
    if not starts:
        raise InvalidInput("Cette répétition ne produit aucun rendez-vous.")
    kind = kinds[values["kind"]]
    with transaction(db):
        forced = kind.blocks and _check_conflicts(
            access,
            values["structure_id"],
            pros,
            [(to_utc(s), _occurrence_end(s, duration)) for s in starts],
            data.get("force", False),
        )
        series["forced"] = int(bool(forced))
        series["materialised_until"] = iso(until)
        series_id = storage.insert_series(db, series)
        rows, attendees = _build_rows(
            db, kinds, series, series_id, starts, actor_id=values["created_by"]
        )
        storage.insert_appointments(db, rows, attendees)
    first = rows[0]
    _emit(
        plugins if notify else None,
        "on_appointment_created",
        access,
        appointment=_summary({**first, "series_id": series_id}, pros, len(rows)),
    )
    return get(
        access, plugins, first["id"], audit=False, warnings=_warnings(access, pros, start, end)
    )


def _warnings(
    access: AccessContext, pros: Sequence[int], start: datetime, end: datetime
) -> list[str]:
    """Non-blocking remarks: booked outside declared working hours."""
    hours = storage.working_hours(access.db, pros)
    names = storage.user_names(access.db, pros)
    out = []
    local_start, local_end = to_local(start), to_local(end)
    for uid in pros:
        pattern = hours.get(uid) or []
        if not pattern:
            continue
        inside = any(
            w == local_start.weekday()
            and s <= local_start.strftime("%H:%M")
            and (local_end.date() == local_start.date() and local_end.strftime("%H:%M") <= e)
            for w, s, e in pattern
        )
        if not inside:
            out.append(f"{names.get(uid)} ne travaille pas sur ce créneau d'après ses horaires.")
    return out


# =========================================================================== reading


def _load(access: AccessContext, appointment_id: int) -> dict:
    actor = access.require_login()
    row = storage.get_appointment(access.db, appointment_id)
    if row is None:
        raise NotFound(APPOINTMENT_NOT_FOUND)
    if actor.role_in(row["structure_id"]) is None:
        # another structure's appointment: refused as unknown, and the attempt is audited
        access.require("agenda.read", structure_id=row["structure_id"])
        raise NotFound(APPOINTMENT_NOT_FOUND)
    return row


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
    row = _load(access, appointment_id)
    sid = row["structure_id"]
    attendees = storage.attendees_of(db, [appointment_id])[appointment_id]
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
    deciders = _Deciders(access, [row["person_id"]])
    ref = deciders.refs.get(row["person_id"], (None, None))[1]
    notes = None
    if _can_read_notes(access, sid, ref):
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
    series = storage.get_series(db, row["series_id"]) if row["series_id"] else None
    checkins = storage.checkins_of_appointment(db, appointment_id)
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
        "can_write": _can_write(access, row, attendee_ids),
        "can_write_notes": _can_write_notes(access, sid, ref),
        "is_attendee": own,
        "detached": bool(row["detached"]),
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


def _can_write(access: AccessContext, row: dict, attendee_ids: set[int]) -> bool:
    sid = row["structure_id"]
    if access.allowed("agenda.book", structure_id=sid):
        return True
    return access.actor.user_id in attendee_ids and access.allowed(
        "agenda.book.own", structure_id=sid
    )


def _can_write_notes(access: AccessContext, structure_id: int, ref: PersonRef | None) -> bool:
    if ref is not None:
        return access.allowed("agenda.notes.write", person=ref)
    return access.allowed("agenda.notes.write", structure_id=structure_id)


def my_day(access: AccessContext, plugins: PluginHost, day: date) -> list[dict]:
    """ "Ma journée": the actor's own appointments of one day, ordered by time, phone-ready."""
    actor = access.require_login()
    db = access.db
    kinds = registry(plugins)
    start, end = day_bounds(day)
    ensure_materialised(db, kinds, end)
    rows = storage.day_of_user(db, actor.user_id, iso(start), iso(end), iso(start - MAX_DURATION))
    rows = [r for r in rows if actor.role_in(r["structure_id"]) is not None]
    deciders = _Deciders(access, [r["person_id"] for r in rows])
    colleagues = storage.attendees_of(db, [r["id"] for r in rows])
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
    members = _members(access, structure_id)
    if team_id is not None:
        team = storage.get_team(access.db, team_id)
        if team is None or team["structure_id"] != structure_id:
            raise NotFound("Cette équipe n'existe pas dans cette structure.")
        ids = [uid for uid in team["member_ids"] if uid in members]
    elif user_ids:
        ids = _check_professionals(access, structure_id, user_ids)
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
    pairs = storage.window_of_users(
        db, [p["id"] for p in pros], iso(start), iso(end), iso(start - MAX_DURATION)
    )
    deciders = _Deciders(
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
                "start_local": _local_str(row["start_utc"]),
                "end_local": _local_str(row["end_utc"]),
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
    rows = storage.window_of_person(db, person_id, iso(start), iso(end), limit)
    attendees = storage.attendees_of(db, [r["id"] for r in rows])
    deciders = _Deciders(access, [person_id])
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
        _check_professionals(access, structure_id, [professional_id])
        pairs = storage.window_of_users(
            db, [professional_id], iso(start), iso(end), iso(start - MAX_DURATION)
        )
        rows = [r for _, r in pairs if r["structure_id"] == structure_id]
    else:
        rows = storage.window_of_structure(db, structure_id, iso(start), iso(end), limit)
    attendees = storage.attendees_of(db, [r["id"] for r in rows])
    deciders = _Deciders(access, [r["person_id"] for r in rows])
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


# =========================================================================== editing


def update(
    access: AccessContext,
    plugins: PluginHost,
    appointment_id: int,
    changes: dict[str, Any],
    scope: str = "one",
) -> dict:
    """Move or change an appointment: this occurrence, this and the following, or the series."""
    actor = access.require_login()
    db = access.db
    kinds = registry(plugins)
    row = _load(access, appointment_id)
    sid = row["structure_id"]
    old_pros = storage.attendee_ids(db, appointment_id)
    force = bool(changes.pop("force", False))
    _require_write(
        access,
        sid,
        old_pros,
        person_id=row["person_id"],
        action="agenda.update",
        target=f"appointment:{appointment_id}",
        details={"champs": sorted(changes), "portee": scope},
    )
    if row["status"] == "cancelled" and scope == "one":
        raise Conflict("Ce rendez-vous est annulé : rétablissez-le avant de le modifier.")
    if "notes" in changes:
        _require_notes_write(access, sid, row["person_id"])
    if "kind" in changes and changes["kind"] is not None:
        new_kind = get_kind(kinds, changes["kind"])
        if new_kind.person == "required" and row["person_id"] is None:
            raise InvalidInput(f"Un rendez-vous « {new_kind.label} » demande une personne.")
    pros = (
        _check_professionals(access, sid, changes["professional_ids"])
        if changes.get("professional_ids")
        else old_pros
    )
    if scope != "one" and row["series_id"] is None:
        scope = "one"
    previous = _summary(row, old_pros)
    if scope == "one":
        result = _update_one(access, kinds, row, changes, pros, force)
    else:
        result = _update_series(access, kinds, row, changes, pros, force, scope)
    _emit(
        plugins,
        "on_appointment_updated",
        access,
        appointment=result,
        previous=previous,
        scope=scope,
    )
    log.debug("appointment %s updated by %s (%s)", appointment_id, actor.username, scope)
    target_id = result.get("id") or appointment_id
    return get(access, plugins, target_id, audit=False)


def _new_times(row: dict, kind: AppointmentKind, changes: dict) -> tuple[datetime, datetime]:
    old_start, old_end = parse_iso(row["start_utc"]), parse_iso(row["end_utc"])
    start = to_utc(changes["start"]) if changes.get("start") else old_start
    if changes.get("end"):
        end = to_utc(changes["end"])
    elif changes.get("duration_minutes"):
        end = _occurrence_end(local_naive(start), changes["duration_minutes"])
    else:
        end = start + (old_end - old_start)
    return _times(kind, start, end, None)


def _update_one(access, kinds, row, changes, pros, force) -> dict:
    db = access.db
    kind_name = changes.get("kind") or row["kind"]
    kind = kinds.get(kind_name) or AppointmentKind(kind_name, kind_name)
    start, end = _new_times(row, kind, changes)
    values: dict[str, Any] = {
        k: changes[k]
        for k in ("title", "place_detail", "notes", "to_bring", "kind")
        if k in changes and changes[k] is not None
    }
    if changes.get("place"):
        values["place"] = _place(kind, changes["place"], row["person_id"])
    values.update(
        start_utc=iso(start), end_utc=iso(end), updated_by=access.actor.user_id, detached=1
    )
    moved = (iso(start), iso(end)) != (row["start_utc"], row["end_utc"])
    with transaction(db):
        recheck = moved or set(pros) != set(storage.attendee_ids(db, row["id"]))
        if (
            recheck
            and _blocks(kinds, kind_name, row["status"])
            and _check_conflicts(
                access, row["structure_id"], pros, [(start, end)], force, exclude_ids=[row["id"]]
            )
        ):
            values["forced"] = 1
        storage.update_appointment(db, row["id"], values)
        storage.set_attendees(
            db,
            row["id"],
            pros,
            values["start_utc"],
            values["end_utc"],
            _blocks(kinds, kind_name, row["status"]),
        )
    return _summary({**row, **values}, pros)


def _update_series(access, kinds, row, changes, pros, force, scope) -> dict:
    """ "This and following" (split) or "the whole series" (from the next occurrence on)."""
    db = access.db
    actor = access.actor
    series = storage.get_series(db, row["series_id"])
    if series["cancelled_at"]:
        raise Conflict("Cette série est annulée : elle ne peut plus être modifiée.")
    recurrence = parse_iso(row["recurrence_id"])
    rec_local = local_naive(recurrence)
    kind_name = changes.get("kind") or series["kind"]
    kind = kinds.get(kind_name) or AppointmentKind(kind_name, kind_name)

    # The new start of this occurrence, as a wall-clock shift applied to the series.
    new_local = local_naive(to_utc(changes["start"])) if changes.get("start") else rec_local
    delta = new_local - rec_local
    if changes.get("end"):
        duration = int((to_utc(changes["end"]) - to_utc(new_local)).total_seconds() // 60)
    elif changes.get("duration_minutes"):
        duration = changes["duration_minutes"]
    else:
        duration = series["duration_minutes"]
    if duration <= 0:
        raise InvalidInput("La fin du rendez-vous doit être après son début.")
    if timedelta(minutes=duration) > MAX_DURATION:
        raise InvalidInput("Un rendez-vous dure au plus sept jours.")

    template = {
        **series,
        "kind": kind_name,
        "professional_ids": pros,
        "duration_minutes": duration,
        "updated_by": actor.user_id,
    }
    for key in ("title", "place_detail", "notes", "to_bring"):
        if key in changes and changes[key] is not None:
            template[key] = changes[key]
    if changes.get("place"):
        template["place"] = _place(kind, changes["place"], series["person_id"])

    if changes.get("rrule"):
        base_rule = changes["rrule"]
    else:
        base_rule = shift_weekdays(series["rrule"], delta.days) if delta.days else series["rrule"]

    now = utcnow()
    if scope == "following":
        cut = recurrence
        new_dtstart = rec_local + delta
        rule = base_rule
        count = rule_count(series["rrule"])
        if count is not None and not changes.get("rrule"):
            before = storage.count_series_before(db, series["id"], row["recurrence_id"])
            rule = with_count(rule, max(1, count - before))
        source_series = series["id"]
    else:  # the whole series, from the next occurrence still to come
        cut = now.replace(microsecond=0)
        new_dtstart = _series_dtstart(series) + delta
        rule = base_rule
        source_series = series["id"]
    rule = normalise_rule(rule, new_dtstart)
    template.update(
        dtstart_local=new_dtstart.isoformat(),
        rrule=rule,
        open_ended=int(is_open_ended(rule)),
        exdates=[(datetime.fromisoformat(x) + delta).isoformat() for x in series["exdates"]],
    )
    if scope == "following":
        new_from, rows_from, keep_before = to_utc(new_dtstart), cut, None
    else:
        # from the start of today (Paris): today's occurrences already past are kept, and the
        # rewritten series does not add a second one on the same day
        new_from = rows_from = day_bounds(local_naive(cut).date())[0]
        keep_before = iso(cut)
    starts, until = _plan_series(template, new_from)

    with transaction(db):
        source_rows = storage.series_rows_from(db, source_series, iso(rows_from))
        skip, cancelled, delete, replaced = _rewrite_plan(source_rows, keep_before)
        keys = _day_keys(starts)
        kept = [
            s for s, k in zip(starts, keys, strict=True) if k not in skip and k not in cancelled
        ]
        forced = False
        if kind.blocks:
            forced = _check_conflicts(
                access,
                series["structure_id"],
                pros,
                [(to_utc(s), _occurrence_end(s, duration)) for s in kept],
                force,
                exclude_series=[series["id"]],
            )
        storage.delete_appointments(db, delete)
        template["materialised_until"] = iso(until)
        template["forced"] = int(bool(forced) or bool(series["forced"]))
        if scope == "following":
            # the old series ends just before this occurrence (its history stays with it)
            storage.update_series(
                db,
                series["id"],
                {
                    "rrule": with_until(series["rrule"], local_naive(cut) - timedelta(seconds=1)),
                    "open_ended": 0,
                    "updated_by": actor.user_id,
                },
            )
            template["parent_id"] = series["id"]
            template["created_by"] = actor.user_id
            target_series = storage.insert_series(db, template)
        else:
            storage.update_series(db, series["id"], template)
            target_series = series["id"]
        rows, attendees = _build_rows(
            db,
            kinds,
            template,
            target_series,
            starts,
            skip=skip,
            cancelled=cancelled,
            actor_id=actor.user_id,
        )
        storage.insert_appointments(db, rows, attendees)
    # the occurrence to show next: the one edited (same day), else the first rewritten one
    same_day = [r for r in rows if local_naive(r["recurrence_id"]).date() == new_local.date()]
    first = (same_day or rows or [{**row, "series_id": target_series}])[0]
    summary = _summary({**first, "series_id": target_series}, pros, len(rows))
    summary["replaced_changes"] = replaced
    return summary


# =========================================================================== cancelling & status


def cancel(
    access: AccessContext,
    plugins: PluginHost,
    appointment_id: int,
    reason: str,
    scope: str = "one",
) -> dict:
    """Cancel one occurrence, the whole series or this and the following: the occurrences are
    kept, with their reason, and a cancelled series can be restored (see ``series_state``)."""
    actor = access.require_login()
    db = access.db
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise InvalidInput("Indiquez le motif de l'annulation (au moins 3 caractères).")
    row = _load(access, appointment_id)
    pros = storage.attendee_ids(db, appointment_id)
    _require_write(
        access,
        row["structure_id"],
        pros,
        person_id=row["person_id"],
        action="agenda.cancel",
        target=f"appointment:{appointment_id}",
        details={"motif": reason, "portee": scope},
    )
    if row["series_id"] is None or scope == "one":
        if row["status"] == "cancelled":
            raise Conflict("Ce rendez-vous est déjà annulé.")
        if row["status"] in PROTECTED:
            raise Conflict(
                "Ce rendez-vous a déjà eu lieu (fait ou non réalisé) : il ne peut pas être annulé."
            )
        with transaction(db):
            storage.update_appointment(
                db,
                appointment_id,
                {
                    "status": "cancelled",
                    "cancel_reason": reason,
                    "detached": 1,
                    "with_series": 0,
                    "updated_by": actor.user_id,
                },
            )
            storage.set_attendees(db, appointment_id, pros, row["start_utc"], row["end_utc"], False)
        summary = _summary({**row, "status": "cancelled"}, pros)
        _emit(
            plugins,
            "on_appointment_cancelled",
            access,
            appointment=summary,
            reason=reason,
            scope="one",
        )
        return {
            "appointment": get(access, plugins, appointment_id, audit=False),
            "cancelled_occurrences": 1,
            "series_id": row["series_id"],
        }

    # the whole series or its tail: occurrences kept, cancelled and restorable (series_state)
    from virage.agenda.series_state import cancel_series

    return cancel_series(access, plugins, row, pros, reason, scope)


def set_status(
    access: AccessContext,
    plugins: PluginHost,
    appointment_id: int,
    status: str,
    force: bool = False,
) -> dict:
    """Confirm, mark done or missed, or reinstate a cancelled occurrence."""
    actor = access.require_login()
    db = access.db
    kinds = registry(plugins)
    row = _load(access, appointment_id)
    pros = storage.attendee_ids(db, appointment_id)
    _require_write(
        access,
        row["structure_id"],
        pros,
        person_id=row["person_id"],
        action="agenda.status",
        target=f"appointment:{appointment_id}",
        details={"statut": status},
    )
    if status == row["status"]:
        return get(access, plugins, appointment_id, audit=False)
    if status not in TRANSITIONS.get(row["status"], set()):
        raise Conflict(
            f"Un rendez-vous « {STATUSES[row['status']].lower()} » ne peut pas passer à "
            f"« {STATUSES.get(status, status).lower()} »."
        )
    if status in PROTECTED and parse_iso(row["start_utc"]) > utcnow() + timedelta(hours=1):
        raise Conflict(
            "Ce rendez-vous n'a pas encore commencé : il ne peut pas être marqué fait ou non réalisé."
        )
    values: dict[str, Any] = {
        "status": status,
        "updated_by": actor.user_id,
        "detached": 1,
        "with_series": 0,
    }
    with transaction(db):
        if row["status"] == "cancelled":
            values["cancel_reason"] = None
            if _blocks(kinds, row["kind"], status) and _check_conflicts(
                access,
                row["structure_id"],
                pros,
                [(parse_iso(row["start_utc"]), parse_iso(row["end_utc"]))],
                force,
                exclude_ids=[appointment_id],
            ):
                values["forced"] = 1
        storage.update_appointment(db, appointment_id, values)
        storage.set_attendees(
            db,
            appointment_id,
            pros,
            row["start_utc"],
            row["end_utc"],
            _blocks(kinds, row["kind"], status),
        )
    _emit(
        plugins,
        "on_appointment_updated",
        access,
        appointment=_summary({**row, **values}, pros),
        previous=_summary(row, pros),
        scope="one",
    )
    return get(access, plugins, appointment_id, audit=False)


def checkin(access: AccessContext, plugins: PluginHost, appointment_id: int, action: str) -> dict:
    """The worker records, by their own action, arriving at or leaving a visit (never a place).

    ``action`` is ``"in"`` or ``"out"``. Leaving marks the visit done.
    """
    actor = access.require_login()
    db = access.db
    row = _load(access, appointment_id)
    if actor.user_id not in storage.attendee_ids(db, appointment_id):
        raise Forbidden("Seuls les professionnels de ce rendez-vous peuvent pointer leur arrivée.")
    if row["status"] == "cancelled":
        raise Conflict("Ce rendez-vous est annulé.")
    now = utcnow_iso()
    current = storage.get_checkin(db, appointment_id, actor.user_id)
    target = f"appointment:{appointment_id}"
    if action == "in":
        if current and current["checked_in_at"]:
            raise Conflict(
                f"Votre arrivée est déjà enregistrée à {hhmm(current['checked_in_at'])}."
            )
        with transaction(db):
            storage.check_in(db, appointment_id, actor.user_id, now)
            access.audit(
                "agenda.checkin",
                structure_id=row["structure_id"],
                person_id=row["person_id"],
                target=target,
            )
    elif action == "out":
        if not current or not current["checked_in_at"]:
            raise Conflict("Enregistrez d'abord votre arrivée.")
        if current["checked_out_at"]:
            raise Conflict(f"Votre départ est déjà enregistré à {hhmm(current['checked_out_at'])}.")
        with transaction(db):
            storage.check_out(db, appointment_id, actor.user_id, now)
            if row["status"] in ("planned", "confirmed"):
                storage.update_appointment(
                    db,
                    appointment_id,
                    {"status": "done", "detached": 1, "updated_by": actor.user_id},
                )
            access.audit(
                "agenda.checkout",
                structure_id=row["structure_id"],
                person_id=row["person_id"],
                target=target,
            )
    else:
        raise InvalidInput("Action de pointage inconnue : « in » ou « out ».")
    return get(access, plugins, appointment_id, audit=False)


# =========================================================================== availability


def _require_about_user(access: AccessContext, structure_id: int, user_id: int, perm: str) -> dict:
    members = _members(access, structure_id)
    access.require(perm, structure_id=structure_id, target=f"user:{user_id}")
    if user_id not in members:
        raise NotFound("Ce professionnel n'appartient pas à cette structure.")
    return members[user_id]


def get_working_hours(access: AccessContext, structure_id: int, user_id: int) -> dict:
    actor = access.require_login()
    if actor.user_id != user_id or actor.role_in(structure_id) is None:
        _require_about_user(access, structure_id, user_id, "agenda.availability.read")
    slots = storage.working_hours(access.db, [user_id])[user_id]
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
        storage.replace_working_hours(access.db, user_id, clean, access.actor.user_id)
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
    absence_id = storage.insert_absence(
        access.db, user_id, kind, iso(s), iso(e), access.actor.user_id
    )
    return _absence(storage.get_absence(access.db, absence_id))


def _absence(row: dict) -> dict:
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
    return [_absence(r) for r in storage.absences_of_user(access.db, user_id, since)]


def delete_absence(access: AccessContext, structure_id: int, absence_id: int) -> None:
    absence = storage.get_absence(access.db, absence_id)
    if absence is None:
        raise NotFound("Cette absence n'existe pas.")
    _require_about_user(access, structure_id, absence["user_id"], "agenda.availability.manage")
    storage.delete_absence(access.db, absence_id)


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
        ids = _check_professionals(access, structure_id, professional_ids)
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
    for uid, _aid, s, e in storage.busy_intervals(
        db, ids, iso(start), iso(end), iso(start - MAX_DURATION)
    ):
        busy[uid].append((parse_iso(s), parse_iso(e)))
    absences: dict[int, list] = defaultdict(list)
    for a in storage.absences(db, ids, iso(start), iso(end)):
        absences[a["user_id"]].append((parse_iso(a["start_utc"]), parse_iso(a["end_utc"])))
    hours = storage.working_hours(db, ids)
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
    names = storage.user_names(db, ids)
    return [
        {
            "start": iso(slot.start),
            "end": iso(slot.end),
            "start_local": _local_str(iso(slot.start)),
            "end_local": _local_str(iso(slot.end)),
            "when": when(iso(slot.start), iso(slot.end)),
            "professionals": [{"id": u, "display_name": names[u]} for u in slot.professionals],
        }
        for slot in compute_free_slots(query, hours, busy, absences)
    ]


# =========================================================================== teams


def list_teams(access: AccessContext, structure_id: int) -> list[dict]:
    access.require("agenda.availability.read", structure_id=structure_id)
    return storage.teams_of_structure(access.db, structure_id)


def save_team(
    access: AccessContext,
    structure_id: int,
    name: str,
    member_ids: Sequence[int],
    team_id: int | None = None,
) -> dict:
    access.require("agenda.teams.manage", structure_id=structure_id)
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Donnez un nom à l'équipe (par exemple « Secteur nord »).")
    members = _check_professionals(access, structure_id, member_ids) if member_ids else []
    db = access.db
    existing = storage.team_by_name(db, structure_id, name)
    with transaction(db):
        if team_id is None:
            if existing:
                raise Conflict(f"L'équipe « {name} » existe déjà.")
            team_id = storage.create_team(db, structure_id, name)
        else:
            team = storage.get_team(db, team_id)
            if team is None or team["structure_id"] != structure_id:
                raise NotFound("Cette équipe n'existe pas dans cette structure.")
            if existing and existing["id"] != team_id:
                raise Conflict(f"L'équipe « {name} » existe déjà.")
        storage.set_team_members(db, team_id, members)
    return storage.get_team(db, team_id)


def delete_team(access: AccessContext, structure_id: int, team_id: int) -> None:
    access.require("agenda.teams.manage", structure_id=structure_id)
    team = storage.get_team(access.db, team_id)
    if team is None or team["structure_id"] != structure_id:
        raise NotFound("Cette équipe n'existe pas dans cette structure.")
    storage.delete_team(access.db, team_id)


# =========================================================================== settings & records


PRIVACY = {
    "none": "Aucune information sur la personne (seulement le type de rendez-vous)",
    "initials": "Initiales et commune de la personne",
    "name": "Nom complet et commune de la personne",
}


def set_calendar_privacy(access: AccessContext, structure_id: int, value: str) -> None:
    access.require("agenda.settings.manage", structure_id=structure_id)
    if value not in PRIVACY:
        raise InvalidInput(f"Réglage inconnu « {value} » : {', '.join(PRIVACY)}.")
    storage.set_structure_privacy(access.db, structure_id, value)
    access.audit("agenda.settings.privacy", structure_id=structure_id, details={"valeur": value})


def worker_records(db, user_id: int) -> dict[str, Any]:
    """What the agenda records about a worker (shown on /moi/enregistrements)."""
    return {
        "checkins": storage.checkins_of_user(db, user_id),
        "hours": storage.working_hours(db, [user_id])[user_id],
        "absences": [_absence(r) for r in storage.absences_of_user(db, user_id)],
        "feeds": storage.feeds_of_user(db, user_id),
    }


def kinds_list(plugins: PluginHost) -> list[AppointmentKind]:
    return list(registry(plugins).values())


# =========================================================================== seeding (demo, benchmark)


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
    starts, until = _plan_series(series, to_utc(dtstart_local))
    with transaction(db):
        series["materialised_until"] = iso(until)
        series_id = storage.insert_series(db, series)
        rows, attendees = _build_rows(db, kinds, series, series_id, starts, actor_id=created_by)
        storage.insert_appointments(db, rows, attendees)
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
    end = _occurrence_end(start_local, duration_minutes)
    with transaction(db):
        appointment_id = storage.next_appointment_id(db)
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
        busy = int(_blocks(kinds, kind, status))
        storage.insert_appointments(
            db,
            [row],
            [
                (appointment_id, uid, row["start_utc"], row["end_utc"], busy)
                for uid in professional_ids
            ],
        )
    return appointment_id


# =========================================================================== for other domains


def visits_of_day(db, user_id: int, person_id: int, day: date | None = None) -> list[dict]:
    """A worker's appointments with a person on a day (id, label), latest first.

    For the transmissions domain, which links a transmission to the visit it comes from: the
    caller has already checked its own access to the person.
    """
    day = day or datetime.now(PARIS).date()
    start, end = day_bounds(day)
    rows = storage.day_of_user(db, user_id, iso(start), iso(end), iso(start - MAX_DURATION))
    out = []
    for row in reversed(rows):
        if row["person_id"] == person_id and row["status"] != "cancelled":
            out.append(
                {
                    "id": row["id"],
                    "label": f"{row['title']} de {hhmm(row['start_utc'])} à {hhmm(row['end_utc'])}",
                    "start": row["start_utc"],
                }
            )
    return out


def appointment_person(db, appointment_id: int) -> int | None:
    """The person an appointment concerns (``None`` if none, or if it does not exist)."""
    row = storage.get_appointment(db, appointment_id)
    return row["person_id"] if row else None

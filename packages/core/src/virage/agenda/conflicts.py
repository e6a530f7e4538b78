"""Conflicts: a professional already busy (another appointment that blocks time) or away
(absence) over the time booked; refused with 409 unless forced by a role allowed to.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from virage.accounts.context import AccessContext
from virage.agenda import (
    people_lookups,
    storage_appointments,
    storage_availability,
)
from virage.agenda.kinds import ABSENCE_KINDS
from virage.agenda.timeutil import (
    MAX_DURATION,
    iso,
    parse_iso,
    when,
)
from virage.errors import Conflict
from virage.french import plural


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
    busy_rows = storage_appointments.busy_intervals(
        db, user_ids, iso(lo), iso(hi), iso(lo - MAX_DURATION)
    )
    exclude_ids = set(exclude_ids)
    exclude_series = set(exclude_series)
    if exclude_series:
        briefs = storage_appointments.appointments_brief(db, [r[1] for r in busy_rows])
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
    for absence in storage_availability.absences(db, user_ids, iso(lo), iso(hi)):
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
    names = people_lookups.user_names(db, [f[0] for f in found])
    briefs = storage_appointments.appointments_brief(
        db, [f[4] for f in found if f[3] == "appointment"]
    )
    absences = {
        f[4]: storage_availability.get_absence(db, f[4]) for f in found if f[3] == "absence"
    }
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


def check_conflicts(
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

    Returns True when the booking was forced over a conflict. Runs inside the transaction that
    writes the booking: the professionals' busy time is locked until it ends, so that two
    bookings checked at the same moment cannot both pass (double booking).
    """
    storage_appointments.lock_busy_time(access.db, user_ids)
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

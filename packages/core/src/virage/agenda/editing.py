"""Editing an appointment: this occurrence, this and the following, or the whole series.

- **one occurrence** changes that row only (it becomes an exception of the series);
- **this and following** ends the series before the occurrence and starts a new one from it;
- **the whole series** changes the series and every occurrence still to come; past occurrences
  are history and stay as they were.

In both series-wide cases, occurrences already recorded as done or missed (or checked in) are
never rewritten, occurrences cancelled one by one stay cancelled, and other one-off changes of the
rewritten occurrences are replaced (their number is reported).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from virage.accounts.context import AccessContext
from virage.agenda import (
    storage_appointments,
    storage_series,
)
from virage.agenda.booking import (
    appointment_times,
    check_place,
)
from virage.agenda.checks import (
    load_for_change,
    require_notes_write,
)
from virage.agenda.common import (
    blocks,
    emit,
    hook_summary,
    log,
)
from virage.agenda.conflicts import check_conflicts
from virage.agenda.kinds import AppointmentKind, get_kind, registry
from virage.agenda.people import check_professionals
from virage.agenda.reading import get
from virage.agenda.series import (
    build_rows,
    day_keys,
    occurrence_end,
    plan_series,
    rewrite_plan,
    series_dtstart,
)
from virage.agenda.timeutil import (
    MAX_DURATION,
    day_bounds,
    is_open_ended,
    iso,
    local_naive,
    normalise_rule,
    parse_iso,
    rule_count,
    shift_weekdays,
    to_utc,
    with_count,
    with_until,
)
from virage.db import transaction, utcnow
from virage.errors import Conflict, InvalidInput
from virage.plugins import PluginHost


def update(
    access: AccessContext,
    plugins: PluginHost,
    appointment_id: int,
    changes: dict[str, Any],
    scope: str = "one",
) -> dict:
    """Move or change an appointment: this occurrence, this and the following, or the series."""
    actor = access.require_login()
    kinds = registry(plugins)
    force = bool(changes.pop("force", False))
    row, old_pros = load_for_change(
        access,
        appointment_id,
        action="agenda.update",
        details={"champs": sorted(changes), "portee": scope},
    )
    sid = row["structure_id"]
    if row["status"] == "cancelled" and scope == "one":
        raise Conflict("Ce rendez-vous est annulé : rétablissez-le avant de le modifier.")
    if "notes" in changes:
        require_notes_write(access, sid, row["person_id"])
    if "kind" in changes and changes["kind"] is not None:
        new_kind = get_kind(kinds, changes["kind"])
        if new_kind.person == "required" and row["person_id"] is None:
            raise InvalidInput(f"Un rendez-vous « {new_kind.label} » demande une personne.")
    pros = (
        check_professionals(access, sid, changes["professional_ids"])
        if changes.get("professional_ids")
        else old_pros
    )
    if scope != "one" and row["series_id"] is None:
        scope = "one"
    previous = hook_summary(row, old_pros)
    if scope == "one":
        result = _update_one(access, kinds, row, changes, pros, force)
    else:
        result = _update_series(access, kinds, row, changes, pros, force, scope)
    emit(
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
        end = occurrence_end(local_naive(start), changes["duration_minutes"])
    else:
        end = start + (old_end - old_start)
    return appointment_times(kind, start, end, None)


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
        values["place"] = check_place(kind, changes["place"], row["person_id"])
    values.update(
        start_utc=iso(start), end_utc=iso(end), updated_by=access.actor.user_id, detached=1
    )
    moved = (iso(start), iso(end)) != (row["start_utc"], row["end_utc"])
    with transaction(db):
        recheck = moved or set(pros) != set(storage_appointments.attendee_ids(db, row["id"]))
        if (
            recheck
            and blocks(kinds, kind_name, row["status"])
            and check_conflicts(
                access, row["structure_id"], pros, [(start, end)], force, exclude_ids=[row["id"]]
            )
        ):
            values["forced"] = 1
        storage_appointments.update_appointment(db, row["id"], values)
        storage_appointments.set_attendees(
            db,
            row["id"],
            pros,
            values["start_utc"],
            values["end_utc"],
            blocks(kinds, kind_name, row["status"]),
        )
    return hook_summary({**row, **values}, pros)


def _update_series(access, kinds, row, changes, pros, force, scope) -> dict:
    """ "This and following" (split) or "the whole series" (from the next occurrence on)."""
    db = access.db
    actor = access.actor
    series = storage_series.get_series(db, row["series_id"])
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
        template["place"] = check_place(kind, changes["place"], series["person_id"])

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
            before = storage_series.count_series_before(db, series["id"], row["recurrence_id"])
            rule = with_count(rule, max(1, count - before))
        source_series = series["id"]
    else:  # the whole series, from the next occurrence still to come
        cut = now.replace(microsecond=0)
        new_dtstart = series_dtstart(series) + delta
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
    starts, until = plan_series(template, new_from)

    with transaction(db):
        storage_series.lock_series(db, source_series)
        source_rows = storage_series.series_rows_from(db, source_series, iso(rows_from))
        skip, cancelled, delete, replaced = rewrite_plan(source_rows, keep_before)
        keys = day_keys(starts)
        kept = [
            s for s, k in zip(starts, keys, strict=True) if k not in skip and k not in cancelled
        ]
        forced = False
        if kind.blocks:
            forced = check_conflicts(
                access,
                series["structure_id"],
                pros,
                [(to_utc(s), occurrence_end(s, duration)) for s in kept],
                force,
                exclude_series=[series["id"]],
            )
        storage_appointments.delete_appointments(db, delete)
        template["materialised_until"] = iso(until)
        template["forced"] = int(bool(forced) or bool(series["forced"]))
        if scope == "following":
            # the old series ends just before this occurrence (its history stays with it)
            storage_series.update_series(
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
            target_series = storage_series.insert_series(db, template)
        else:
            storage_series.update_series(db, series["id"], template)
            target_series = series["id"]
        rows, attendees = build_rows(
            db,
            kinds,
            template,
            target_series,
            starts,
            skip=skip,
            cancelled=cancelled,
            actor_id=actor.user_id,
        )
        storage_appointments.insert_appointments(db, rows, attendees)
    # the occurrence to show next: the one edited (same day), else the first rewritten one
    same_day = [r for r in rows if local_naive(r["recurrence_id"]).date() == new_local.date()]
    first = (same_day or rows or [{**row, "series_id": target_series}])[0]
    summary = hook_summary({**first, "series_id": target_series}, pros, len(rows))
    summary["replaced_changes"] = replaced
    return summary

"""Cancelling and restoring a whole series (or its tail), with its occurrences kept visible.

The user guide (docs/guides/agenda.md, « Déplacer, annuler ») promises that a cancelled
appointment stays visible, struck through, with its reason, and can be restored. For a series:

- **the whole series**: every occurrence still to come (not done, missed, checked in, nor
  already cancelled one by one) becomes ``cancelled`` with the reason, marked ``with_series``;
  the series is marked cancelled (it is no longer extended nor editable). Past occurrences are
  history and stay as they were.
- **this and following**: the series is split at the occurrence (as an edit « celui-ci et les
  suivants » does): the first part keeps its history, the tail becomes a series of its own,
  cancelled as above. At the first occurrence, it is the whole series.
- **restoring** a cancelled series puts back, as planned, the occurrences still to come that
  were cancelled with it — never those cancelled one by one — after the same conflict check as
  a booking (409, or recorded as forced by whoever may force).

The occurrences stay rows of the agenda, so the pages show them struck through and the calendar
feed carries them as ``STATUS:CANCELLED``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from virage.accounts.context import AccessContext
from virage.agenda import storage_series
from virage.agenda.checks import load_for_change
from virage.agenda.common import PROTECTED, blocks, emit, hook_summary
from virage.agenda.conflicts import check_conflicts
from virage.agenda.kinds import registry
from virage.agenda.reading import get
from virage.agenda.timeutil import iso, local_naive, parse_iso, rule_count, with_count, with_until
from virage.db import transaction, utcnow, utcnow_iso
from virage.errors import Conflict
from virage.plugins import PluginHost


def _split_tail(access: AccessContext, series: dict, row: dict) -> int:
    """End ``series`` just before ``row`` and move its occurrences from there on to a new series
    (its ``parent_id`` is the old one). Returns the new series id. Runs inside a transaction."""
    db = access.db
    cut = parse_iso(row["recurrence_id"])
    rule = series["rrule"]
    count = rule_count(rule)
    if count is not None:
        before = storage_series.count_series_before(db, series["id"], row["recurrence_id"])
        rule = with_count(rule, max(1, count - before))
    tail = {
        **series,
        "dtstart_local": local_naive(cut).isoformat(),
        "rrule": rule,
        "parent_id": series["id"],
        "created_by": access.actor.user_id,
        "updated_by": access.actor.user_id,
    }
    tail.pop("id", None)
    tail_id = storage_series.insert_series(db, tail)
    ids = [r["id"] for r in storage_series.series_rows_from(db, series["id"], row["recurrence_id"])]
    storage_series.move_rows(db, ids, tail_id)
    storage_series.update_series(
        db,
        series["id"],
        {
            "rrule": with_until(series["rrule"], local_naive(cut) - timedelta(seconds=1)),
            "open_ended": 0,
            "updated_by": access.actor.user_id,
        },
    )
    return tail_id


def cancel_series(
    access: AccessContext,
    plugins: PluginHost | None,
    row: dict,
    pros: list[int],
    reason: str,
    scope: str,
) -> dict:
    """``scope`` is ``"series"`` or ``"following"``; the access check and its audit entry are
    done by the caller (:func:`virage.agenda.status.cancel`)."""
    db = access.db
    series = storage_series.get_series(db, row["series_id"])
    if series["cancelled_at"]:
        raise Conflict("Cette série est déjà annulée.")
    now = utcnow().replace(microsecond=0)
    with transaction(db):
        storage_series.lock_series(db, series["id"])
        if scope == "following" and storage_series.count_series_before(
            db, series["id"], row["recurrence_id"]
        ):
            target = _split_tail(access, series, row)
            cut = row["recurrence_id"]
        else:
            target = series["id"]
            cut = row["recurrence_id"] if scope == "following" else iso(now)
        rows = storage_series.rows_from(db, target, cut)
        ids = [
            r["id"]
            for r in rows
            if r["status"] not in PROTECTED and not r["checked"] and r["status"] != "cancelled"
        ]
        storage_series.cancel_with_series(db, ids, reason, access.actor.user_id)
        storage_series.update_series(
            db,
            target,
            {
                "cancel_reason": reason,
                "cancelled_at": utcnow_iso(),
                "updated_by": access.actor.user_id,
            },
        )
    summary = hook_summary({**row, "status": "cancelled", "series_id": target}, pros, len(ids))
    emit(
        plugins, "on_appointment_cancelled", access, appointment=summary, reason=reason, scope=scope
    )
    return {
        "appointment": get(access, plugins, row["id"], audit=False),
        "cancelled_occurrences": len(ids),
        "series_id": target,
    }


def restore_series(
    access: AccessContext, plugins: PluginHost, appointment_id: int, force: bool = False
) -> dict:
    """Restore the cancelled series of an occurrence: its occurrences still to come that were
    cancelled with it become planned again (those cancelled one by one stay cancelled)."""
    access.require_login()
    db = access.db
    kinds = registry(plugins)
    row, pros = load_for_change(
        access,
        appointment_id,
        action="agenda.status",
        details={"statut": "planned", "portee": "series"},
    )
    series = storage_series.get_series(db, row["series_id"]) if row["series_id"] else None
    if series is None or not series["cancelled_at"]:
        raise Conflict("Ce rendez-vous ne fait pas partie d'une série annulée.")
    now = iso(utcnow().replace(microsecond=0))
    rows = [r for r in storage_series.rows_from(db, series["id"], now) if r["with_series"]]
    rows = [r for r in rows if r["status"] == "cancelled" and r["start_utc"] >= now]
    status = series["status"] if series["status"] in ("planned", "confirmed") else "planned"
    busy = blocks(kinds, series["kind"], status)
    with transaction(db):
        storage_series.lock_series(db, series["id"])
        forced = False
        if busy and rows:
            forced = check_conflicts(
                access,
                series["structure_id"],
                series["professional_ids"],
                [(parse_iso(r["start_utc"]), parse_iso(r["end_utc"])) for r in rows],
                force,
                exclude_ids=[r["id"] for r in rows],
            )
        storage_series.restore_rows(db, rows, status, access.actor.user_id, forced, busy)
        changes: dict[str, Any] = {
            "cancel_reason": None,
            "cancelled_at": None,
            "updated_by": access.actor.user_id,
        }
        if forced:
            changes["forced"] = 1
        storage_series.update_series(db, series["id"], changes)
    summary = hook_summary({**row, "status": status}, pros, len(rows))
    emit(
        plugins,
        "on_appointment_updated",
        access,
        appointment=summary,
        previous=hook_summary(row, pros),
        scope="series",
    )
    return {
        "appointment": get(access, plugins, appointment_id, audit=False),
        "restored_occurrences": len(rows),
        "series_id": series["id"],
    }

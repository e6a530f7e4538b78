"""Cancelling an appointment (or its series), changing its status, and the worker's own
check-in and check-out.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from virage.accounts.context import AccessContext
from virage.agenda import storage_appointments
from virage.agenda.checks import load_appointment, load_for_change
from virage.agenda.common import (
    PROTECTED,
    TRANSITIONS,
    blocks,
    emit,
    hook_summary,
)
from virage.agenda.conflicts import check_conflicts
from virage.agenda.kinds import STATUSES, registry
from virage.agenda.reading import get
from virage.agenda.series_state import cancel_series
from virage.agenda.timeutil import (
    hhmm,
    parse_iso,
)
from virage.db import transaction, utcnow, utcnow_iso
from virage.errors import Conflict, Forbidden, InvalidInput
from virage.plugins import PluginHost


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
    row, pros = load_for_change(
        access, appointment_id, action="agenda.cancel", details={"motif": reason, "portee": scope}
    )
    if row["series_id"] is None or scope == "one":
        if row["status"] == "cancelled":
            raise Conflict("Ce rendez-vous est déjà annulé.")
        if row["status"] in PROTECTED:
            raise Conflict(
                "Ce rendez-vous a déjà eu lieu (fait ou non réalisé) : il ne peut pas être annulé."
            )
        with transaction(db):
            storage_appointments.update_appointment(
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
            storage_appointments.set_attendees(
                db, appointment_id, pros, row["start_utc"], row["end_utc"], False
            )
        summary = hook_summary({**row, "status": "cancelled"}, pros)
        emit(
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
    row, pros = load_for_change(
        access, appointment_id, action="agenda.status", details={"statut": status}
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
            if blocks(kinds, row["kind"], status) and check_conflicts(
                access,
                row["structure_id"],
                pros,
                [(parse_iso(row["start_utc"]), parse_iso(row["end_utc"]))],
                force,
                exclude_ids=[appointment_id],
            ):
                values["forced"] = 1
        storage_appointments.update_appointment(db, appointment_id, values)
        storage_appointments.set_attendees(
            db,
            appointment_id,
            pros,
            row["start_utc"],
            row["end_utc"],
            blocks(kinds, row["kind"], status),
        )
    emit(
        plugins,
        "on_appointment_updated",
        access,
        appointment=hook_summary({**row, **values}, pros),
        previous=hook_summary(row, pros),
        scope="one",
    )
    return get(access, plugins, appointment_id, audit=False)


def checkin(
    access: AccessContext,
    plugins: PluginHost,
    appointment_id: int,
    action: str,
    at: str | None = None,
) -> dict:
    """The worker records, by their own action, arriving at or leaving a visit (never a place).

    ``action`` is ``"in"`` or ``"out"``. Leaving marks the visit done. ``at`` is the moment the
    worker tapped, when it was recorded offline and sent later (checked by the caller,
    :mod:`.sync`); the audit entry says so.
    """
    actor = access.require_login()
    db = access.db
    row = load_appointment(access, appointment_id)
    if actor.user_id not in storage_appointments.attendee_ids(db, appointment_id):
        raise Forbidden("Seuls les professionnels de ce rendez-vous peuvent pointer leur arrivée.")
    if row["status"] == "cancelled":
        raise Conflict("Ce rendez-vous est annulé.")
    now = at or utcnow_iso()
    details = {"heure_sur_l_appareil": at} if at else None
    current = storage_appointments.get_checkin(db, appointment_id, actor.user_id)
    target = f"appointment:{appointment_id}"
    if action == "in":
        if current and current["checked_in_at"]:
            raise Conflict(
                f"Votre arrivée est déjà enregistrée à {hhmm(current['checked_in_at'])}."
            )
        with transaction(db):
            if not storage_appointments.check_in(db, appointment_id, actor.user_id, now):
                raise Conflict("Votre arrivée est déjà enregistrée.")
            access.audit(
                "agenda.checkin",
                structure_id=row["structure_id"],
                person_id=row["person_id"],
                target=target,
                details=details,
            )
    elif action == "out":
        if not current or not current["checked_in_at"]:
            raise Conflict("Enregistrez d'abord votre arrivée.")
        if current["checked_out_at"]:
            raise Conflict(f"Votre départ est déjà enregistré à {hhmm(current['checked_out_at'])}.")
        with transaction(db):
            if not storage_appointments.check_out(db, appointment_id, actor.user_id, now):
                raise Conflict("Votre départ est déjà enregistré.")
            if row["status"] in ("planned", "confirmed"):
                storage_appointments.update_appointment(
                    db,
                    appointment_id,
                    {"status": "done", "detached": 1, "updated_by": actor.user_id},
                )
            access.audit(
                "agenda.checkout",
                structure_id=row["structure_id"],
                person_id=row["person_id"],
                target=target,
                details=details,
            )
    else:
        raise InvalidInput("Action de pointage inconnue : « in » ou « out ».")
    return get(access, plugins, appointment_id, audit=False)

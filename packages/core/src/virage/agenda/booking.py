"""Booking an appointment, or a recurring series (materialised at once up to its horizon)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from virage.accounts.context import AccessContext
from virage.agenda import (
    people_lookups,
    storage_appointments,
    storage_availability,
    storage_imports,
    storage_series,
)
from virage.agenda.checks import (
    check_person,
    require_notes_write,
    require_write,
)
from virage.agenda.common import (
    blocks,
    emit,
    hook_summary,
)
from virage.agenda.conflicts import check_conflicts
from virage.agenda.kinds import PLACES, AppointmentKind, get_kind, registry
from virage.agenda.people import check_professionals
from virage.agenda.reading import get
from virage.agenda.series import (
    build_rows,
    occurrence_end,
    plan_series,
)
from virage.agenda.settings_section import require_in_use
from virage.agenda.timeutil import (
    MAX_DURATION,
    is_open_ended,
    iso,
    local_naive,
    normalise_rule,
    to_local,
    to_utc,
)
from virage.db import transaction
from virage.errors import InvalidInput
from virage.plugins import PluginHost


def appointment_times(
    kind: AppointmentKind,
    start: datetime,
    end: datetime | None,
    minutes: int | None,
) -> tuple[datetime, datetime]:
    start_utc = to_utc(start)
    if end is not None:
        end_utc = to_utc(end)
    else:
        end_utc = occurrence_end(local_naive(start_utc), minutes or kind.default_minutes)
    if end_utc <= start_utc:
        raise InvalidInput("La fin du rendez-vous doit être après son début.")
    if end_utc - start_utc > MAX_DURATION:
        raise InvalidInput("Un rendez-vous dure au plus sept jours.")
    return start_utc.replace(second=0, microsecond=0), end_utc.replace(second=0, microsecond=0)


def check_place(kind: AppointmentKind, place: str | None, person_id: int | None) -> str:
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
    require_in_use(db, structure_id, kind)
    pros = check_professionals(access, structure_id, data["professional_ids"])
    person_id = data.get("person_id")
    if kind.person == "required" and person_id is None:
        raise InvalidInput(f"Un rendez-vous « {kind.label} » demande une personne accompagnée.")
    if kind.person == "none" and person_id is not None:
        raise InvalidInput(f"Un rendez-vous « {kind.label} » ne concerne pas une personne.")
    perm = require_write(access, structure_id, pros, person_id=person_id, action="agenda.book")
    if person_id is not None:
        check_person(access, structure_id, person_id, perm)
    if data.get("notes"):
        require_notes_write(access, structure_id, person_id)
    start, end = appointment_times(
        kind, data["start"], data.get("end"), data.get("duration_minutes")
    )
    place = check_place(kind, data.get("place"), person_id)
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
        forced = kind.blocks and check_conflicts(
            access, structure_id, pros, [(start, end)], data.get("force", False)
        )
        (appointment_id,) = storage_appointments.new_appointment_ids(db, 1)
        row = {
            **values,
            "id": appointment_id,
            "series_id": None,
            "recurrence_id": None,
            "detached": 0,
            "start_utc": iso(start),
            "end_utc": iso(end),
            "cancel_reason": None,
            "forced": int(bool(forced)),
        }
        busy = int(blocks(kinds, kind.name, row["status"]))
        storage_appointments.insert_appointments(
            db, [row], [(row["id"], uid, row["start_utc"], row["end_utc"], busy) for uid in pros]
        )
        _claim_uid(db, values, appointment_id=row["id"])
    if notify:
        emit(plugins, "on_appointment_created", access, appointment=hook_summary(row, pros))
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
    starts, until = plan_series(series, start)
    if not starts:
        raise InvalidInput("Cette répétition ne produit aucun rendez-vous.")
    kind = kinds[values["kind"]]
    with transaction(db):
        forced = kind.blocks and check_conflicts(
            access,
            values["structure_id"],
            pros,
            [(to_utc(s), occurrence_end(s, duration)) for s in starts],
            data.get("force", False),
        )
        series["forced"] = int(bool(forced))
        series["materialised_until"] = iso(until)
        series_id = storage_series.insert_series(db, series)
        rows, attendees = build_rows(
            db, kinds, series, series_id, starts, actor_id=values["created_by"]
        )
        storage_appointments.insert_appointments(db, rows, attendees)
        _claim_uid(db, values, series_id=series_id)
    first = rows[0]
    emit(
        plugins if notify else None,
        "on_appointment_created",
        access,
        appointment=hook_summary({**first, "series_id": series_id}, pros, len(rows)),
    )
    return get(
        access, plugins, first["id"], audit=False, warnings=_warnings(access, pros, start, end)
    )


def _claim_uid(db, values: dict, **created: int) -> None:
    """An imported event's UID is claimed with what it created, in the same transaction: a second
    import of the same event (again, or at the same moment) is refused by the database."""
    uid = values.get("ical_uid")
    if uid and not storage_imports.claim_uid(db, values["structure_id"], uid, **created):
        raise InvalidInput("déjà importé (même identifiant UID).")


def _warnings(
    access: AccessContext, pros: Sequence[int], start: datetime, end: datetime
) -> list[str]:
    """Non-blocking remarks: booked outside declared working hours."""
    hours = storage_availability.working_hours(access.db, pros)
    names = people_lookups.user_names(access.db, pros)
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

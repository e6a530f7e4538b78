"""A person's arrival at the reception, as a reception device records it (a kiosk plugin).

No worker acts: the device proved itself (its own credential) and the person proved her
appointment (a signed convocation, or a code and her birth date) — the caller checks both before
calling :func:`mark_arrived`. The agenda stores the moment (``agenda_appointments.arrived_at``),
shows it on the appointment, and writes the audit entry in the device's name.
"""

from __future__ import annotations

from datetime import date

from virage.agenda import storage_arrivals
from virage.agenda.storage_arrivals import ARRIVAL_FIELDS
from virage.agenda.timeutil import day_bounds, iso
from virage.audit import service as audit
from virage.db import Database, transaction, utcnow_iso
from virage.errors import Conflict, NotFound

_NOT_FOUND = "Ce rendez-vous est introuvable aujourd'hui : présentez-vous à l'accueil."
_ALREADY = "Votre arrivée est déjà enregistrée : présentez-vous à l'accueil."


def appointment_for_arrival(
    db: Database, appointment_id: int, *, structure_id: int, day: date
) -> dict | None:
    """The appointment ``appointment_id`` of ``structure_id`` starting on ``day`` (Paris), not
    cancelled, with :data:`ARRIVAL_FIELDS` only; ``None`` otherwise. Checks no access and audits
    nothing: call it after your own checks."""
    start, end = day_bounds(day)
    return storage_arrivals.of_day(db, appointment_id, structure_id, iso(start), iso(end))


def mark_arrived(
    db: Database, appointment_id: int, *, structure_id: int, day: date, by: str
) -> dict:
    """Record that the person of an appointment of today has arrived; ``by`` names the device in
    the audit trail (« Borne d'accueil « Hall » »). Returns :data:`ARRIVAL_FIELDS`.

    Raises ``NotFound`` (no such appointment of this structure that day, or cancelled) and
    ``Conflict`` (arrival already recorded).
    """
    row = appointment_for_arrival(db, appointment_id, structure_id=structure_id, day=day)
    if row is None:
        raise NotFound(_NOT_FOUND)
    if row["arrived_at"]:
        raise Conflict(_ALREADY)
    now = utcnow_iso()
    with transaction(db):
        if not storage_arrivals.set_arrived(db, appointment_id, now):
            raise Conflict(_ALREADY)
        audit.record(
            db,
            None,
            "agenda.arrival",
            structure_id=structure_id,
            person_id=row["person_id"],
            target=f"appointment:{appointment_id}",
            actor_label=by,
        )
    return {**row, "arrived_at": now}


__all__ = ["ARRIVAL_FIELDS", "appointment_for_arrival", "mark_arrived"]

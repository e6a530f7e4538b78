"""The agenda's access checks shared by its use cases: who may write an appointment, its care
notes, and loading an appointment of one's own structures.
"""

from __future__ import annotations

from collections.abc import Iterable

from virage.access import PersonRef
from virage.accounts.context import PERSON_NOT_FOUND, AccessContext
from virage.agenda import storage_appointments
from virage.agenda.common import APPOINTMENT_NOT_FOUND
from virage.errors import Conflict, InvalidInput, NotFound


def require_write(
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


def check_person(access: AccessContext, structure_id: int, person_id: int, perm: str) -> dict:
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


def require_notes_write(access: AccessContext, structure_id: int, person_id: int | None) -> None:
    if person_id is not None:
        access.require("agenda.notes.write", person_id=person_id, action="agenda.notes.write")
    else:
        access.require("agenda.notes.write", structure_id=structure_id, action="agenda.notes.write")


def can_read_notes(access: AccessContext, structure_id: int, ref: PersonRef | None) -> bool:
    if ref is not None:
        return access.allowed("agenda.notes.read", person=ref)
    return access.allowed("agenda.notes.read", structure_id=structure_id)


def load_appointment(access: AccessContext, appointment_id: int) -> dict:
    actor = access.require_login()
    row = storage_appointments.get_appointment(access.db, appointment_id)
    if row is None:
        raise NotFound(APPOINTMENT_NOT_FOUND)
    if actor.role_in(row["structure_id"]) is None:
        # another structure's appointment: refused as unknown, and the attempt is audited
        access.require("agenda.read", structure_id=row["structure_id"])
        raise NotFound(APPOINTMENT_NOT_FOUND)
    return row


def load_for_change(
    access: AccessContext, appointment_id: int, *, action: str, details: dict
) -> tuple[dict, list[int]]:
    """The appointment and its professionals' ids, once the actor may change it (``require_write``:
    checked and audited under ``action`` with ``details``)."""
    row = load_appointment(access, appointment_id)
    pros = storage_appointments.attendee_ids(access.db, appointment_id)
    require_write(
        access,
        row["structure_id"],
        pros,
        person_id=row["person_id"],
        action=action,
        target=f"appointment:{appointment_id}",
        details=details,
    )
    return row, pros


def can_write(access: AccessContext, row: dict, attendee_ids: set[int]) -> bool:
    sid = row["structure_id"]
    if access.allowed("agenda.book", structure_id=sid):
        return True
    return access.actor.user_id in attendee_ids and access.allowed(
        "agenda.book.own", structure_id=sid
    )


def can_write_notes(access: AccessContext, structure_id: int, ref: PersonRef | None) -> bool:
    if ref is not None:
        return access.allowed("agenda.notes.write", person=ref)
    return access.allowed("agenda.notes.write", structure_id=structure_id)

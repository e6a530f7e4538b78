"""Which resident occupies which room: set by the director or the coordinator, audited.

The board never uses it (it shows rooms only); closing a fall does, to lead the person who
closed it — if she is in the resident's care team — to the resident's fall transmission.
"""

from __future__ import annotations

from virage.sdk import AccessContext, InvalidInput, NotFound, accounts, transaction
from virage_alerts import clock, quality_storage

ROOMS = "alerts.rooms"


def _name(person: dict) -> str:
    return f"{person['given_names']} {person['family_name'].upper()}"


def listing(access: AccessContext, structure_id: int) -> dict:
    """The rooms of the devices, who occupies each, and the residents to choose from."""
    access.require(ROOMS, structure_id=structure_id, action="alerts.rooms.read")
    db = access.db
    taken = quality_storage.rooms_of(db, structure_id)
    residents = accounts.persons(db, structure_id, status="active")
    names = {p["id"]: _name(p) for p in residents}
    rooms = [
        {
            "room": r["room"],
            "unit": r["unit"],
            "person_id": taken.get(r["room"]),
            "person": names.get(taken.get(r["room"]), ""),
        }
        for r in quality_storage.device_rooms(db, structure_id)
    ]
    choices = sorted(({"id": k, "name": v} for k, v in names.items()), key=lambda c: c["name"])
    return {"rooms": rooms, "residents": choices}


def assign(access: AccessContext, structure_id: int, room: str, person_raw: str) -> None:
    """Set (or clear, with an empty ``person_raw``) the resident of ``room``."""
    actor = access.require_login()
    access.require(ROOMS, structure_id=structure_id, action="alerts.room.assign")
    db = access.db
    known = {r["room"] for r in quality_storage.device_rooms(db, structure_id)}
    if room not in known:
        raise NotFound("Cette chambre n'a pas de capteur dans cette structure.")
    person_id = None
    raw = (person_raw or "").strip()
    if raw:
        if not raw.isdigit() or len(raw) > 12:
            raise InvalidInput("Choisissez la personne dans la liste, ou « personne ».")
        found = accounts.person(db, int(raw))
        if found is None or found["structure_id"] != structure_id or found["status"] != "active":
            raise InvalidInput(
                "Cette personne n'est pas accompagnée par la structure : choisissez-la dans la "
                "liste."
            )
        person_id = found["id"]
    with transaction(db):
        quality_storage.set_room(db, structure_id, room, person_id, actor.user_id, clock.now_iso())
        access.audit(
            "alerts.room.assigned",
            structure_id=structure_id,
            person_id=person_id,
            target=f"alerts_room:{room}",
            details={"chambre": room, "occupee": person_id is not None},
        )

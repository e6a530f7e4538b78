"""What a kiosk does for a person: arrival with a convocation (QR code or short code and birth
date), a ticket without appointment, and what the screens may show.

A kiosk's answers never hold a name, a reason, nor the time of an appointment: only a ticket
number and where to go. Refusals say the same thing whatever went wrong (unknown code, wrong
birth date, another day, another structure), so that the kiosk teaches nothing to who guesses.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NoReturn

from virage.sdk import Conflict, Database, InvalidInput, NotFound, accounts, agenda, transaction
from virage_kiosk import clock, devices, indicators, storage
from virage_kiosk.tokens import clean_code, read_token

#: Two kiosks taking a number at the same moment: the later one tries again this many times.
NUMBER_TRIES = 3
#: Tickets and convocation codes are kept this long (the arrival itself stays in the agenda).
KEEP_DAYS = 31
REFUSED = "Nous ne trouvons pas ce rendez-vous aujourd'hui. Présentez-vous à l'accueil."


def _refuse(db: Database, device: dict, reason: str, person_id: int | None = None) -> NoReturn:
    """Count the failure (the person's journal shows a wrong birth date tried on her code)."""
    devices.count_failure(db, device, reason, person_id)
    raise InvalidInput(REFUSED)


def with_token(db: Database, device: dict, secret_key: str, text: str) -> dict:
    """Arrival by the convocation's QR code (a scanner types the token)."""
    devices.check_guessing(db, device)
    convocation = read_token(secret_key, text)
    if convocation is None:
        _refuse(db, device, "convocation illisible ou fausse")
    if convocation.structure_id != device["structure_id"]:
        _refuse(db, device, "convocation d'une autre structure")
    if convocation.day != clock.today():
        _refuse(db, device, "convocation d'un autre jour")
    return _arrive(db, device, convocation.appointment_id)


def with_code(db: Database, device: dict, code: str, birth: str) -> dict:
    """Arrival by the short code of the convocation and the person's birth date."""
    devices.check_guessing(db, device)
    try:
        born = date.fromisoformat((birth or "").strip())
    except ValueError:
        raise InvalidInput(
            "Date de naissance : écrivez le jour, le mois et l'année en chiffres."
        ) from None
    today = clock.today()
    found = storage.convocation_by_code(
        db, device["structure_id"], today.isoformat(), clean_code(code)
    )
    if found is None:
        _refuse(db, device, "code inconnu")
    facts = agenda.appointment_for_arrival(
        db, found["appointment_id"], structure_id=device["structure_id"], day=today
    )
    person = accounts.person(db, facts["person_id"]) if facts and facts["person_id"] else None
    if person is None or str(person.get("birth_date") or "")[:10] != born.isoformat():
        _refuse(db, device, "date de naissance différente", person["id"] if person else None)
    return _arrive(db, device, found["appointment_id"])


def _arrive(db: Database, device: dict, appointment_id: int) -> dict:
    today = clock.today()
    existing = storage.ticket_of_appointment(db, appointment_id, today.isoformat())
    if existing is not None:
        # Scanned twice: the same ticket again, nothing new recorded.
        devices.record(
            db,
            device,
            "kiosk.checkin.again",
            person_id=existing["person_id"],
            target=f"kiosk_ticket:{existing['id']}",
        )
        return existing
    try:
        facts = agenda.mark_arrived(
            db,
            appointment_id,
            structure_id=device["structure_id"],
            day=today,
            by=devices.label(device),
        )
    except (NotFound, Conflict):
        _refuse(db, device, "rendez-vous introuvable, annulé ou déjà arrivé")
    return _ticket(db, device, device["place_id"], None, facts["id"], facts["person_id"])


def walk_in(db: Database, device: dict, service_id: int) -> dict:
    """A ticket for a service, without appointment: « identité non vérifiée » at the desk."""
    service = storage.service(db, device["structure_id"], service_id)
    if service is None:
        raise InvalidInput("Choisissez un service dans la liste.")
    return _ticket(db, device, service["place_id"] or device["place_id"], service_id, None, None)


def _ticket(db, device, place_id, service_id, appointment_id, person_id) -> dict:
    sid, day = device["structure_id"], clock.today().isoformat()
    values = {
        "structure_id": sid,
        "day": day,
        "device_id": device["id"],
        "place_id": place_id,
        "service_id": service_id,
        "appointment_id": appointment_id,
        "person_id": person_id,
    }
    for attempt in range(NUMBER_TRIES):
        try:
            with transaction(db):
                forget = (clock.today() - timedelta(days=KEEP_DAYS)).isoformat()
                indicators.keep_months_before(db, sid, forget)  # the month's figures outlive it
                storage.forget_before(db, sid, forget)
                number = storage.next_number(db, sid, day)
                ticket_id = storage.add_ticket(
                    db, {**values, "number": number, "created_at": clock.now_iso()}
                )
                devices.record(
                    db,
                    device,
                    "kiosk.checkin" if appointment_id else "kiosk.walkin",
                    person_id=person_id,
                    target=f"kiosk_ticket:{ticket_id}",
                    details={"ticket": number},
                )
            return storage.ticket(db, sid, ticket_id)
        except db.IntegrityError:
            # another kiosk took this number at the same moment: take the next one
            if attempt == NUMBER_TRIES - 1:
                raise Conflict("La borne est très demandée : présentez-vous à l'accueil.") from None
    raise AssertionError("unreachable")


def shown(db: Database, device: dict, ticket_id: int) -> dict:
    """A ticket as the kiosk shows it: its number and where to go, nothing else. Only the
    device that printed it, that day."""
    row = storage.ticket(db, device["structure_id"], ticket_id)
    if row is None or row["device_id"] != device["id"] or row["day"] != clock.today().isoformat():
        raise NotFound("Ce ticket n'est plus affiché. Présentez-vous à l'accueil.")
    return {"id": row["id"], "number": number_text(row["number"]), **where(db, row)}


def where(db: Database, row: dict) -> dict:
    found = storage.place(db, row["structure_id"], row["place_id"])
    if found is None:
        return {"place": "", "floor": "", "room": ""}
    return {"place": found["label"], "floor": found["floor"], "room": found["room"]}


def number_text(number: int) -> str:
    return f"{number:03d}"


def screen(db: Database, device: dict) -> list[dict]:
    """The waiting-room screen: the numbers last called and their desk, nothing else."""
    rows = storage.called(db, device["structure_id"], clock.today().isoformat())
    return [{"number": number_text(r["number"]), "desk": r["desk"]} for r in rows]

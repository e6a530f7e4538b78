"""The desk's side: the queue of the day (with names: the desk only), calling the next ticket,
checking a walk-in's identity, the convocation of an appointment, and the configuration."""

from __future__ import annotations

import re

import segno
from markupsafe import Markup

from virage.sdk import (
    AccessContext,
    InvalidInput,
    NotFound,
    PluginHost,
    accounts,
    agenda,
    day_bounds,
    parse_iso,
    time_text,
    to_local,
    transaction,
)
from virage_kiosk import clock, storage
from virage_kiosk.arrivals import number_text, where
from virage_kiosk.tokens import convocation_token, new_code

_HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def _minutes_since(at: str) -> int:
    return max(0, int((clock.now() - parse_iso(at)).total_seconds() // 60))


def queue(access: AccessContext, structure_id: int) -> list[dict]:
    """The day's tickets, waiting ones in order; each person named is a read, audited."""
    access.require("kiosk.desk", structure_id=structure_id, action="kiosk.queue.read")
    db = access.db
    out = []
    for row in storage.queue(db, structure_id, clock.today().isoformat()):
        entry = {
            "id": row["id"],
            "number": number_text(row["number"]),
            "status": row["status"],
            "desk": row["desk"],
            "waited": _minutes_since(row["created_at"]),
            "verified": bool(row["appointment_id"] or row["verified_by"]),
            "person": None,
            "appointment": None,
            "service": None,
            **where(db, row),
        }
        if row["service_id"]:
            found = storage.service(db, structure_id, row["service_id"])
            entry["service"] = found["label"] if found else "Service retiré"
        if row["appointment_id"]:
            facts = agenda.appointment_for_arrival(
                db, row["appointment_id"], structure_id=structure_id, day=clock.today()
            )
            entry["appointment"] = time_text(facts["start_utc"]) if facts else "annulé"
        if row["person_id"]:
            person = accounts.person(db, row["person_id"])
            if person:
                entry["person"] = f"{person['given_names']} {person['family_name'].upper()}"
                access.audit(
                    "kiosk.queue.person",
                    structure_id=structure_id,
                    person_id=row["person_id"],
                    target=f"kiosk_ticket:{row['id']}",
                )
        out.append(entry)
    return out


def call_next(access: AccessContext, structure_id: int, desk: str) -> dict | None:
    """Call the first waiting ticket to ``desk`` (« Guichet 2 »); ``None`` when nobody waits."""
    actor = access.require_login()
    access.require("kiosk.desk", structure_id=structure_id, action="kiosk.queue.call")
    desk = (desk or "").strip()[:30] or "Accueil"
    db = access.db
    with transaction(db):
        row = storage.first_waiting(db, structure_id, clock.today().isoformat())
        if row is None:
            return None
        changes = {
            "status": "called",
            "desk": desk,
            "called_at": clock.now_iso(),
            "called_by": actor.user_id,
        }
        if not storage.update_ticket(db, row["id"], changes, "waiting"):
            return None
        access.audit(
            "kiosk.ticket.called",
            structure_id=structure_id,
            person_id=row["person_id"],
            target=f"kiosk_ticket:{row['id']}",
        )
    return {"number": number_text(row["number"]), "desk": desk}


def set_ticket(access: AccessContext, structure_id: int, ticket_id: int, step: str) -> None:
    """``verified`` (a walk-in's identity checked by a person at the desk) or ``done``."""
    actor = access.require_login()
    access.require("kiosk.desk", structure_id=structure_id, action=f"kiosk.ticket.{step}")
    db = access.db
    row = storage.ticket(db, structure_id, ticket_id)
    if row is None:
        raise NotFound("Ce ticket est introuvable.")
    with transaction(db):
        if step == "verified":
            storage.update_ticket(db, ticket_id, {"verified_by": actor.user_id}, row["status"])
        elif step == "done":
            storage.update_ticket(db, ticket_id, {"status": "done"}, row["status"])
        else:
            raise InvalidInput("Action inconnue sur un ticket.")


def convocation(
    access: AccessContext, plugins: PluginHost, appointment_id: int, secret_key: str
) -> dict:
    """The printable convocation of an appointment: its day and time, its short code and the QR
    code of its signed token (valid that day, at this structure's kiosks only)."""
    appointment = agenda.get(access, plugins, appointment_id)  # checks agenda.read, audits
    sid = appointment["structure_id"]
    access.require("kiosk.convocation", structure_id=sid, action="kiosk.convocation")
    if not appointment.get("person"):
        raise InvalidInput("Ce rendez-vous n'a pas de personne : pas de convocation à imprimer.")
    if appointment["status"] == "cancelled":
        raise InvalidInput("Ce rendez-vous est annulé : pas de convocation à imprimer.")
    day = to_local(appointment["start"]).date()
    db = access.db
    with transaction(db):
        found = storage.convocation(db, appointment_id, day.isoformat())
        if found is None:
            code = new_code()
            while storage.convocation_by_code(db, sid, day.isoformat(), code) is not None:
                code = new_code()
            storage.add_convocation(db, sid, appointment_id, day.isoformat(), code)
        else:
            code = found["code"]
    token = convocation_token(secret_key, sid, appointment_id, day)
    qr = segno.make(token, error="m")
    svg = qr.svg_inline(scale=6, title="Code à présenter à la borne d'accueil")
    return {
        "qr_svg": svg,
        "appointment": appointment,
        "day": day,
        "code": f"{code[:3]} {code[3:]}",
        "token": token,
        "qr": Markup(svg),
    }


def appointments_of_day(
    access: AccessContext, plugins: PluginHost, structure_id: int, day
) -> list[dict]:
    """The structure's appointments of ``day`` with a person, for printing their convocations
    (the agenda checks ``agenda.read`` and audits the listing)."""
    access.require("kiosk.convocation", structure_id=structure_id, action="kiosk.convocation.list")
    start, end = day_bounds(day)
    rows = agenda.structure_window(access, plugins, structure_id, start, end)
    return [
        {"id": r["id"], "time": r["start_hhmm"], "person": r["person"]["display"]}
        for r in rows
        if r.get("person") and r["status"] != "cancelled"
    ]


# --------------------------------------------------------------------------- configuration


def configuration(access: AccessContext, structure_id: int) -> dict:
    access.require("kiosk.manage", structure_id=structure_id, action="kiosk.settings.read")
    db = access.db
    return {
        "places": storage.places(db, structure_id),
        "services": storage.services(db, structure_id),
        "settings": storage.settings(db, structure_id),
    }


def configure(access: AccessContext, structure_id: int, form: dict) -> None:
    """One change from the settings page: ``what`` names it (place, service, remove…, texts)."""
    access.require("kiosk.manage", structure_id=structure_id, action="kiosk.settings.write")
    db = access.db
    what = form.get("what", "")
    with transaction(db):
        if what == "place":
            label = _text(form, "label", "Nom du lieu", 2, 60)
            storage.add_place(
                db,
                structure_id,
                label,
                _text(form, "floor", "Étage", 0, 40),
                _text(form, "room", "Salle", 0, 40),
            )
        elif what == "service":
            place_id = _int_or_none(form.get("place_id"))
            if place_id is not None and storage.place(db, structure_id, place_id) is None:
                raise InvalidInput("Lieu du service : choisissez un lieu de la liste.")
            storage.add_service(
                db,
                structure_id,
                _text(form, "label", "Nom du service", 2, 60),
                _text(form, "label_en", "Nom en anglais", 0, 60),
                place_id,
            )
        elif what in ("remove_place", "remove_service"):
            table = "kiosk_places" if what == "remove_place" else "kiosk_services"
            if not storage.deactivate(db, table, structure_id, _int_or_none(form.get("id")) or 0):
                raise NotFound("Introuvable dans cette structure.")
        elif what == "texts":
            opens, closes = form.get("opens", ""), form.get("closes", "")
            if not (_HHMM.fullmatch(opens) and _HHMM.fullmatch(closes)) or opens >= closes:
                raise InvalidInput("Horaires : ouverture avant fermeture, au format 08:30.")
            storage.save_settings(
                db,
                structure_id,
                {
                    "opens": opens,
                    "closes": closes,
                    "welcome_fr": _text(form, "welcome_fr", "Texte d'accueil", 0, 200),
                    "welcome_en": _text(form, "welcome_en", "Texte d'accueil en anglais", 0, 200),
                },
            )
        else:
            raise InvalidInput("Réglage inconnu.")
        access.audit("kiosk.settings.changed", structure_id=structure_id, details={"quoi": what})


def _text(form: dict, key: str, label: str, low: int, high: int) -> str:
    value = (form.get(key) or "").strip()
    if not low <= len(value) <= high:
        raise InvalidInput(f"{label} : entre {low} et {high} caractères.")
    return value


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        raise InvalidInput("Choisissez dans la liste.") from None

"""The convocation in a calendar file (``.ics``): the appointment's day and time, the short code
and, attached, the picture of the code the kiosk reads — for the person to keep on her phone."""

from __future__ import annotations

import base64

from icalendar import Calendar, Event, vBinary

from virage.sdk import day_text, parse_iso


def convocation_ics(convocation: dict) -> bytes:
    appointment = convocation["appointment"]
    event = Event()
    event.add("uid", f"kiosk-convocation-{appointment['id']}@virage")
    event.add("dtstamp", parse_iso(appointment["start"]))
    event.add("dtstart", parse_iso(appointment["start"]))
    event.add("dtend", parse_iso(appointment["end"]))
    event.add("summary", "Rendez-vous")
    event.add(
        "description",
        "En arrivant, montrez le code carré joint à la borne d'accueil, ou tapez le code "
        f"{convocation['code']} puis votre date de naissance. "
        f"Valable le {day_text(convocation['day'])} seulement.",
    )
    picture = vBinary(base64.b64encode(convocation["qr_svg"].encode()).decode())
    picture.params["FMTTYPE"] = "image/svg+xml"
    event.add("attach", picture)
    calendar = Calendar()
    calendar.add("prodid", "-//Virage//Borne d'accueil//FR")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return calendar.to_ical()

"""The « Répétition » part of the booking form: plain choices turned into an iCalendar RRULE on
the server. The raw RRULE stays available to coordinators only, under « Avancé »."""

from __future__ import annotations

from datetime import date

from virage.agenda.timeutil import WEEKDAYS_FR
from virage.agenda.web_forms import form_date, form_int
from virage.errors import InvalidInput

DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
MAX_COUNT = 3000

#: The plain choices (stored value → label; the weekly one names the day when it is known).
REPETITIONS = {
    "": "Ne se répète pas",
    "daily": "Chaque jour",
    "weekdays": "Du lundi au vendredi",
    "weekly": "Chaque semaine, le même jour",
    "biweekly": "Tous les 15 jours",
    "monthly": "Chaque mois, le même jour du mois",
}


def repetition_choices(day_iso: str | None) -> dict[str, str]:
    """The choices, with « Chaque semaine le mardi » when the date of the first one is known."""
    choices = dict(REPETITIONS)
    try:
        day = date.fromisoformat(day_iso or "")
    except ValueError:
        return choices
    choices["weekly"] = f"Chaque semaine le {WEEKDAYS_FR[day.weekday()]}"
    choices["biweekly"] = f"Tous les 15 jours, le {WEEKDAYS_FR[day.weekday()]}"
    choices["monthly"] = f"Chaque mois, le {day.day if day.day > 1 else '1er'}"
    return choices


def rrule_from_form(form, start_day: date, *, advanced_allowed: bool) -> str | None:
    """The RRULE of the form's choices, or ``None`` for a single appointment.

    ``advanced_allowed``: whether the raw « Règle iCalendar » field may be used (coordination).
    """
    raw = (form.get("rrule") or "").strip()
    if raw:
        if not advanced_allowed:
            raise InvalidInput("La règle iCalendar est réservée à la coordination.")
        return raw
    choice = form.get("repetition", "")
    if not choice:
        return None
    day_code = DAY_CODES[start_day.weekday()]
    rules = {
        "daily": "FREQ=DAILY",
        "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "weekly": f"FREQ=WEEKLY;BYDAY={day_code}",
        "biweekly": f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day_code}",
        "monthly": f"FREQ=MONTHLY;BYMONTHDAY={start_day.day}",
    }
    if choice not in rules:
        raise InvalidInput("Répétition inconnue.")
    rule = rules[choice]
    until = (form.get("jusqu_au") or "").strip()
    count = form_int(form.get("nombre"), "nombre de fois", MAX_COUNT)
    if until and count:
        raise InvalidInput("Indiquez soit une date de fin, soit un nombre de fois, pas les deux.")
    if until:
        end_day = form_date(until, "jusqu'au")
        if end_day < start_day:
            raise InvalidInput(
                "La date de fin de la répétition doit suivre le premier rendez-vous."
            )
        rule += f";UNTIL={end_day.strftime('%Y%m%d')}"
    elif count:
        rule += f";COUNT={count}"
    return rule

"""French as people write it: real plurals instead of « créneau(x) libre(s) », dates in words
(« 18 novembre 1929 », « 9 h 42 ») on Paris's clock instead of ISO dates and « UTC », « né » or
« née » when the sex is known. Templates get these as filters (see ``virage.web.templating``).
"""

from __future__ import annotations

from collections.abc import Sized
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

#: Month names, January first (``MONTHS[d.month - 1]``).
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
#: Day names, Monday first (``WEEKDAYS[d.weekday()]``).
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def plural(count: int | Sized, singular: str, plural_form: str | None = None) -> str:
    """« 1 créneau libre », « 3 créneaux libres », « 0 créneau libre ».

    In French, 0 and 1 take the singular. ``plural_form`` defaults to each word of ``singular``
    followed by « s »; give it for irregular plurals (« créneaux libres », « suivis en cours »).
    ``count`` may be a collection: its length is used.
    """
    n = count if isinstance(count, int) else len(count)
    if -1 <= n <= 1:
        return f"{n} {singular}"
    return f"{n} {plural_form or ' '.join(w + 's' for w in singular.split(' '))}"


# --------------------------------------------------------------------------- dates and times
#: Where a reader of Virage lives: every instant is shown on Paris's clock, without naming it.
PARIS = ZoneInfo("Europe/Paris")


def _parse(value: str | date | datetime | None) -> date | datetime | None:
    """A calendar date, or an aware instant (a stored naive timestamp is UTC); None if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def day_text(value: str | date | datetime | None) -> str:
    """``"2026-12-01"`` or an instant → « 1er décembre 2026 » (the day in Paris); ``""`` if empty.

    A value that is no date at all is returned as it is (better than nothing on a page).
    """
    parsed = _parse(value)
    if parsed is None:
        return "" if value in (None, "") else str(value)
    if isinstance(parsed, datetime):
        parsed = parsed.astimezone(PARIS).date()
    first = "1er" if parsed.day == 1 else str(parsed.day)
    return f"{first} {MONTHS[parsed.month - 1]} {parsed.year}"


def time_text(value: str | datetime | None) -> str:
    """An instant → « 9 h 42 » on Paris's clock; ``""`` if empty."""
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        return ""
    local = parsed.astimezone(PARIS)
    return f"{local.hour} h {local.minute:02d}"


def moment_text(value: str | datetime | None) -> str:
    """An instant → « 24 novembre 2026 à 14 h 05 » (Paris); a plain date → « 24 novembre 2026 »."""
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        return day_text(value)
    return f"{day_text(parsed)} à {time_text(parsed)}"


def born(sex: str | None) -> str:
    """« née », « né », or « né·e » when the sex is not known (or indeterminate)."""
    return {"F": "née", "M": "né"}.get((sex or "").upper(), "né·e")

"""Times and recurrence rules of the agenda.

- Instants are stored in UTC as ISO 8601 strings (``2026-03-29T06:00:00+00:00``) and shown in
  Europe/Paris.
- A recurring series is described as in iCalendar: a wall-clock ``DTSTART`` in Europe/Paris, an
  ``RRULE`` and ``EXDATE``s. Occurrences are expanded in local time and only then converted to UTC,
  so that "every day at 8:00" stays at 8:00 in Paris on both sides of a daylight-saving change.
- A wall-clock time that does not exist (2:30 on the night clocks go forward) is shifted forward by
  the gap (3:30); an ambiguous one (2:30 on the night clocks go back) is the first of the two.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from virage.agenda import rules
from virage.agenda.limits import DATE_RANGE, check_moment
from virage.errors import InvalidInput
from virage.french import MONTHS as FRENCH_MONTHS

log = logging.getLogger("virage.agenda")

PARIS = ZoneInfo("Europe/Paris")

#: Longest accepted appointment (an on-call week); bounds overlap searches.
MAX_DURATION = timedelta(days=7)

WEEKDAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS_FR = FRENCH_MONTHS

# --------------------------------------------------------------------------- instants


def iso(dt: datetime) -> str:
    """An aware datetime as stored: UTC, second precision."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: convert local times with to_utc() first")
    return dt.astimezone(UTC).replace(microsecond=0).isoformat()


def parse_iso(value: str) -> datetime:
    """A stored UTC string back to an aware datetime."""
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def to_utc(local: datetime) -> datetime:
    """A Paris wall-clock time (naive) or an aware datetime, in UTC.

    A non-existent wall-clock time (spring gap) is normalised forward, as iCalendar requires.
    Inputs are checked against :mod:`virage.agenda.limits` at the edges; a date that would still
    overflow here is refused the same way (``InvalidInput``, never ``OverflowError``).
    """
    try:
        if local.tzinfo is not None:
            return local.astimezone(UTC)
        return local.replace(tzinfo=PARIS).astimezone(UTC)
    except OverflowError:
        raise InvalidInput(f"Date impossible : {DATE_RANGE}") from None


def to_local(dt: datetime | str) -> datetime:
    """An instant (aware datetime or stored string) in Europe/Paris."""
    if isinstance(dt, str):
        dt = parse_iso(dt)
    elif dt.tzinfo is PARIS:
        return dt
    try:
        return dt.astimezone(PARIS)
    except OverflowError:
        raise InvalidInput(f"Date impossible : {DATE_RANGE}") from None


def local_naive(dt: datetime | str) -> datetime:
    """An instant as a naive Paris wall-clock time (what iCalendar calls a local time)."""
    return to_local(dt).replace(tzinfo=None)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants at which a Paris calendar day starts and ends (23, 24 or 25 hours)."""
    start = to_utc(datetime.combine(day, time(0, 0)))
    end = to_utc(datetime.combine(day + timedelta(days=1), time(0, 0)))
    return start, end


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def today_paris() -> date:
    return datetime.now(PARIS).date()


def hhmm(dt: datetime | str) -> str:
    """``8 h 05`` style, in Paris time."""
    local = to_local(dt)
    return f"{local.hour} h {local.minute:02d}"


def long_date(day: date | datetime) -> str:
    """``lundi 30 mars 2026``."""
    if isinstance(day, datetime):
        day = to_local(day).date()
    first = "1er" if day.day == 1 else str(day.day)
    return f"{WEEKDAYS_FR[day.weekday()]} {first} {MONTHS_FR[day.month - 1]} {day.year}"


def when(start: str | datetime, end: str | datetime) -> str:
    """``lundi 30 mars 2026 de 8 h 00 à 8 h 30`` (or over two days)."""
    s, e = to_local(start), to_local(end)
    if s.date() == e.date() or (e - s <= timedelta(hours=24) and e.time() == time(0, 0)):
        return f"{long_date(s.date())} de {hhmm(s)} à {hhmm(e)}"
    return f"du {long_date(s.date())} {hhmm(s)} au {long_date(e.date())} {hhmm(e)}"


def parse_local_datetime(value: str | datetime, field: str = "date") -> datetime:
    """A datetime from a form or the API: with an offset it is an instant; without, Paris time."""
    if isinstance(value, datetime):
        dt = value
    else:
        text = (value or "").strip()
        try:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput(
                f"{field} : date et heure attendues au format AAAA-MM-JJTHH:MM (heure de Paris)."
            ) from None
    return to_utc(check_moment(dt, field))


def parse_hhmm(value: str, field: str = "heure") -> time:
    match = re.fullmatch(r"\s*(\d{1,2})\s*(?:[:h]\s*(\d{2})?)?\s*", value or "")
    if not match:
        raise InvalidInput(f"{field} : heure attendue au format HH:MM (par exemple 09:00).")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour == 24 and minute == 0:
        return time(23, 59, 59)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise InvalidInput(f"{field} : heure impossible ({value}).")
    return time(hour, minute)


# --------------------------------------------------------------------------- recurrence rules

_parts = rules.parse
#: No expansion returns more occurrences than this (a ten-year daily series has 3,660).
MAX_EXPANSION = 4000


def _join(parts: list[tuple[str, str]]) -> str:
    return ";".join(f"{k}={v}" for k, v in parts)


def normalise_rule(rule: str, dtstart_local: datetime) -> str:
    """Check an RRULE and return it in the form stored (UNTIL in Paris wall-clock time).

    Raises ``InvalidInput`` with a French message for rules Virage does not accept (see
    :mod:`virage.agenda.rules`: nothing is expanded before the rule is known to be safe).
    """
    return rules.normalise(rule, dtstart_local)


def build_rule(rule: str, dtstart_local: datetime) -> rrule:
    return rrulestr(rule, dtstart=dtstart_local)


def is_open_ended(rule: str) -> bool:
    keys = {k for k, _ in _parts(rule)}
    return not ({"UNTIL", "COUNT"} & keys)


def with_until(rule: str, until_local: datetime) -> str:
    """The same rule, stopping at ``until_local`` (inclusive); replaces COUNT or UNTIL."""
    parts = [(k, v) for k, v in _parts(rule) if k not in ("UNTIL", "COUNT")]
    parts.append(("UNTIL", until_local.strftime("%Y%m%dT%H%M%S")))
    return _join(parts)


def with_count(rule: str, count: int) -> str:
    parts = [(k, v) for k, v in _parts(rule) if k not in ("UNTIL", "COUNT")]
    parts.append(("COUNT", str(count)))
    return _join(parts)


def rule_count(rule: str) -> int | None:
    value = dict(_parts(rule)).get("COUNT")
    return int(value) if value else None


def shift_weekdays(rule: str, days: int) -> str:
    """Move BYDAY weekdays by ``days`` (a series moved from Monday to Tuesday)."""
    if days % 7 == 0:
        return rule
    codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    out = []
    for key, value in _parts(rule):
        if key == "BYDAY":
            shifted = []
            for item in value.split(","):
                match = re.fullmatch(r"([+-]?\d*)([A-Z]{2})", item)
                if not match or match.group(2) not in codes:
                    raise InvalidInput(f"BYDAY={value} : jour inconnu.")
                prefix, code = match.groups()
                shifted.append(prefix + codes[(codes.index(code) + days) % 7])
            value = ",".join(shifted)
        out.append((key, value))
    return _join(out)


def describe_rule(rule: str) -> str:
    """A short French description of common rules (the RRULE itself otherwise)."""
    parts = dict(_parts(rule))
    freq = parts.get("FREQ")
    names = {
        "MO": "lundi",
        "TU": "mardi",
        "WE": "mercredi",
        "TH": "jeudi",
        "FR": "vendredi",
        "SA": "samedi",
        "SU": "dimanche",
    }
    interval = int(parts.get("INTERVAL", "1"))
    if freq == "DAILY":
        text = "tous les jours" if interval == 1 else f"tous les {interval} jours"
    elif freq == "WEEKLY":
        days = [names.get(d[-2:], d) for d in parts.get("BYDAY", "").split(",") if d]
        every = "chaque semaine" if interval == 1 else f"toutes les {interval} semaines"
        if days == ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]:
            text = "du lundi au vendredi" + ("" if interval == 1 else f", {every}")
        elif days:
            text = f"{every}, le " + ", ".join(days)
        else:
            text = every
    elif freq == "MONTHLY":
        text = "chaque mois" if interval == 1 else f"tous les {interval} mois"
    elif freq == "YEARLY":
        text = "chaque année"
    else:
        return rule
    if "UNTIL" in parts:
        until = datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%S")
        text += f", jusqu'au {long_date(until.date())}"
    elif "COUNT" in parts:
        text += f", {parts['COUNT']} fois"
    return text


def expand(
    dtstart_local: datetime,
    rule: str,
    exdates: list[datetime],
    from_utc: datetime,
    until_utc: datetime,
    limit: int = MAX_EXPANSION,
) -> list[datetime]:
    """Wall-clock starts of the occurrences whose start falls in ``[from_utc, until_utc)``.

    At most ``limit`` occurrences. A stored rule that is not safe to expand (stored before the
    checks of :mod:`virage.agenda.rules`) expands to nothing, with a warning in the log.
    """
    if not rules.is_safe(rule, dtstart_local):
        log.warning("recurrence rule not expanded (refused by the checks): %s", rule[:80])
        return []
    built = build_rule(rule, dtstart_local)
    margin = timedelta(days=1)
    lo = local_naive(from_utc) - margin
    hi = local_naive(until_utc) + margin
    skip = set(exdates)
    out: list[datetime] = []
    for occurrence in built.xafter(lo, inc=True):
        if occurrence > hi or len(out) >= limit:
            break
        if occurrence not in skip and from_utc <= to_utc(occurrence) < until_utc:
            out.append(occurrence)
    return out

"""The recurrence rules (RRULE) the agenda accepts, checked before anything is expanded.

``dateutil`` expands a rule period after period (day, week, month or year) and only stops on an
occurrence: a rule that produces none — ``INTERVAL=0``, the 30th of February, "every 7 days on
Mondays" from a Tuesday — keeps it busy until the year 9999, or forever. So every rule is read here
part by part, against the subset of RFC 5545 that care appointments and calendar applications
use, and for which it can be shown *without expanding* that an occurrence comes at least every few
periods:

- ``FREQ`` daily, weekly, monthly or yearly; ``INTERVAL`` from 1 to ``MAX_INTERVAL``;
- ``COUNT`` at most ``MAX_COUNT``; ``UNTIL`` within ``MAX_SPAN_YEARS`` of the start;
- ``BYDAY`` (with a rank only when monthly or yearly), ``BYMONTHDAY`` (monthly, yearly),
  ``BYMONTH`` (with a daily or weekly rule only when ``INTERVAL=1``), ``BYSETPOS`` (monthly or
  yearly, with plain weekdays), ``WKST``;
- no ``BYHOUR``/``BYMINUTE``/``BYSECOND`` (the time is the series' start: one occurrence a day at
  most), no ``BYYEARDAY``/``BYWEEKNO``.

February counts 28 days here (a rule that only falls on the 29th is refused), so that every rule
accepted produces an occurrence within a few periods, for ever.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from virage.agenda.limits import DATE_RANGE, excerpt, in_range
from virage.errors import InvalidInput
from virage.french import MONTHS as FRENCH_MONTHS

PARIS = ZoneInfo("Europe/Paris")
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
MAX_INTERVAL = {"DAILY": 365, "WEEKLY": 52, "MONTHLY": 12, "YEARLY": 10}
#: Most occurrences of a bounded series, and longest span of one.
MAX_COUNT = 3000
MAX_SPAN_YEARS = 10
MAX_RULE_LENGTH = 300
#: A rule must produce an occurrence within this span after its start.
FIRST_WITHIN = timedelta(days=3 * 366)
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTH_NAMES = FRENCH_MONTHS
#: Days every month has, every year (February: 28).
SURE_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_PART = re.compile(r"^([A-Z]+)=([A-Z0-9,+\-]+)$")
_NUMBER = re.compile(r"[+-]?\d{1,6}")
_WEEKDAY = re.compile(r"([+-]?\d{1,3})?(MO|TU|WE|TH|FR|SA|SU)")
TIME_PARTS = {"BYHOUR", "BYMINUTE", "BYSECOND"}
KNOWN = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"}


@dataclass
class Rule:
    """The parts of a rule, read and range-checked (not yet checked as a whole)."""

    freq: str
    interval: int = 1
    count: int | None = None
    until: str | None = None
    byday: list[tuple[int, int]] = field(default_factory=list)  # (rank or 0, weekday)
    bymonthday: list[int] = field(default_factory=list)
    bymonth: list[int] = field(default_factory=list)
    bysetpos: list[int] = field(default_factory=list)


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(f"Règle de répétition refusée. {message[:1].upper()}{message[1:]}")


def parse(rule: str) -> list[tuple[str, str]]:
    """The ``KEY=VALUE`` parts of a rule, upper-cased (``RRULE:`` prefix allowed)."""
    text = (rule or "").strip()
    if len(text) > MAX_RULE_LENGTH:
        raise _refuse(f"elle dépasse {MAX_RULE_LENGTH} caractères.")
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    out = []
    for part in filter(None, text.upper().split(";")):
        if not _PART.match(part):
            raise InvalidInput(
                f"Règle de répétition illisible près de « {excerpt(part, 40)} » (format RRULE)."
            )
        key, value = part.split("=", 1)
        out.append((key, value))
    return out


def _numbers(key: str, value: str, high: int, *, from_end: bool = True) -> list[int]:
    """A list of distinct numbers from 1 to ``high`` (or −1 to −``high``, counted from the end)."""
    items = value.split(",")
    if len(items) != len(set(items)) or not all(_NUMBER.fullmatch(i) for i in items):
        raise _refuse(f"{key}={excerpt(value, 40)} : liste de nombres distincts attendue.")
    numbers = [int(i) for i in items]
    for n in numbers:
        if not 1 <= abs(n) <= high or (n < 0 and not from_end):
            end = f" (ou de -1 à -{high} en partant de la fin)" if from_end else ""
            raise _refuse(f"{key}={n} : valeurs de 1 à {high}{end}.")
    return numbers


def _one_number(key: str, value: str, high: int) -> int:
    if not _NUMBER.fullmatch(value) or not 1 <= int(value) <= high:
        raise _refuse(f"{key}={excerpt(value, 20)} : nombre de 1 à {high} attendu.")
    return int(value)


def read(parts: list[tuple[str, str]]) -> Rule:
    """Each part checked on its own: names, formats, ranges, lengths of lists."""
    keys = [k for k, _ in parts]
    if not parts or "FREQ" not in keys:
        raise InvalidInput("La règle de répétition doit indiquer une fréquence (FREQ=DAILY…).")
    if len(set(keys)) != len(keys):
        raise InvalidInput("La règle de répétition répète un même paramètre.")
    if "DTSTART" in keys:
        raise InvalidInput("DTSTART ne fait pas partie de la règle : indiquez le début à part.")
    if TIME_PARTS & set(keys):
        raise _refuse(
            "l'heure des rendez-vous est celle du début de la série (BYHOUR, BYMINUTE et "
            "BYSECOND ne sont pas acceptés). Pour deux passages par jour, créez deux séries."
        )
    unknown = [k for k in keys if k not in KNOWN]
    if unknown:
        raise _refuse(
            f"paramètre {excerpt(unknown[0], 20)} non accepté (seuls FREQ, INTERVAL, COUNT, "
            "UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS et WKST le sont)."
        )
    values = dict(parts)
    freq = values["FREQ"]
    if freq not in FREQUENCIES:
        raise InvalidInput(
            "Fréquence de répétition non acceptée : quotidienne, hebdomadaire, mensuelle ou "
            "annuelle seulement (FREQ=DAILY, WEEKLY, MONTHLY ou YEARLY)."
        )
    if "UNTIL" in values and "COUNT" in values:
        raise InvalidInput("La règle ne peut pas avoir à la fois UNTIL et COUNT.")
    rule = Rule(freq, until=values.get("UNTIL"))
    if "INTERVAL" in values:
        rule.interval = _one_number("INTERVAL", values["INTERVAL"], MAX_INTERVAL[freq])
    if "COUNT" in values:
        rule.count = _one_number("COUNT", values["COUNT"], MAX_COUNT)
    if "WKST" in values and values["WKST"] not in DAY_CODES:
        raise _refuse(f"WKST={excerpt(values['WKST'], 20)} : jour attendu (MO, TU… SU).")
    if "BYMONTH" in values:
        rule.bymonth = _numbers("BYMONTH", values["BYMONTH"], 12, from_end=False)
    if "BYMONTHDAY" in values:
        rule.bymonthday = _numbers("BYMONTHDAY", values["BYMONTHDAY"], 31)
    if "BYSETPOS" in values:
        rule.bysetpos = _numbers("BYSETPOS", values["BYSETPOS"], 366)
    if "BYDAY" in values:
        items = values["BYDAY"].split(",")
        matches = [_WEEKDAY.fullmatch(i) for i in items]
        if (
            not all(matches)
            or len(set(items)) != len(items)
            or any(m.group(1) is not None and int(m.group(1)) == 0 for m in matches if m)
        ):
            raise _refuse(
                f"BYDAY={excerpt(values['BYDAY'], 40)} : jours distincts attendus (MO, TU… SU, "
                "précédés d'un rang pour une règle mensuelle : 1MO, -1FR)."
            )
        rule.byday = [(int(m.group(1) or 0), DAY_CODES.index(m.group(2))) for m in matches]
    return rule


def _check_ranks(rule: Rule) -> None:
    ranks = [abs(n) for n, _ in rule.byday if n]
    if not ranks:
        return
    if rule.freq in ("DAILY", "WEEKLY"):
        raise _refuse("un rang dans BYDAY (2MO, -1FR) ne va qu'avec FREQ=MONTHLY ou YEARLY.")
    if len(ranks) != len(rule.byday):  # dateutil would keep only the days matching both
        raise _refuse("BYDAY mêle des jours avec rang (2MO) et sans rang (FR) : choisissez.")
    if rule.bymonthday:
        raise _refuse("un rang dans BYDAY (2MO) ne se combine pas avec BYMONTHDAY.")
    yearly_rank = rule.freq == "YEARLY" and not rule.bymonth
    high = 52 if yearly_rank else 5
    if max(ranks) > high:
        where = "dans l'année" if yearly_rank else "dans le mois"
        raise _refuse(f"rang de BYDAY de 1 à {high} {where} (ou de -1 à -{high}).")


def _months_visited(rule: Rule, start: datetime) -> list[int]:
    """The months (1–12) in which a monthly or yearly rule can fall."""
    if rule.freq == "MONTHLY":
        visited = {(start.month - 1 + k * rule.interval) % 12 + 1 for k in range(12)}
        months = sorted(visited & set(rule.bymonth)) if rule.bymonth else sorted(visited)
    elif rule.bymonth:
        months = sorted(rule.bymonth)
    elif rule.byday or rule.bymonthday:
        months = list(range(1, 13))
    else:
        months = [start.month]
    if not months:
        raise _refuse(
            "elle ne tombe jamais dans les mois choisis (BYMONTH) avec cet intervalle : "
            "elle ne produit aucune date."
        )
    return months


def _check_produces(rule: Rule, start: datetime) -> None:
    """Refuse the rules that produce no occurrence, or only rarely (proof without expanding)."""
    weekdays = {d for _, d in rule.byday}
    if rule.freq in ("DAILY", "WEEKLY"):
        if rule.bymonthday or rule.bysetpos:
            raise _refuse(
                "BYMONTHDAY et BYSETPOS vont avec une répétition mensuelle ou annuelle "
                "(FREQ=MONTHLY ou YEARLY)."
            )
        if rule.bymonth and rule.interval != 1:
            raise _refuse("BYMONTH avec une répétition quotidienne ou hebdomadaire : INTERVAL=1.")
        if (
            rule.freq == "DAILY"
            and weekdays
            and rule.interval % 7 == 0
            and start.weekday() not in weekdays
        ):
            raise _refuse(
                f"tous les {rule.interval} jours à partir d'un {DAY_NAMES[start.weekday()]}, "
                "elle ne tombe jamais les jours choisis (BYDAY) : elle ne produit aucune date."
            )
        return
    months = _months_visited(rule, start)
    monthdays = rule.bymonthday or ([] if rule.byday else [start.day])
    if monthdays and not any(abs(d) <= SURE_DAYS[m - 1] for m in months for d in monthdays):
        if 2 in months and any(abs(d) == 29 for d in monthdays):
            raise _refuse(
                "le 29 février n'existe pas chaque année : choisissez le 28 février ou le 1er mars."
            )
        names = ", ".join(MONTH_NAMES[m - 1] for m in months[:3]) + ("…" if len(months) > 3 else "")
        raise _refuse(
            f"le jour du mois demandé n'existe pas en {names} : elle ne produit aucune date. "
            "Choisissez un autre jour (BYMONTHDAY=-1 pour le dernier jour du mois)."
        )
    ranks = [abs(n) for n, _ in rule.byday if n]
    if ranks and min(ranks) == 5 and months == [2] and len(rule.byday) == len(ranks):
        raise _refuse("un cinquième jour de la semaine n'existe pas chaque année en février.")
    if rule.bysetpos:
        if not rule.byday or ranks or rule.bymonthday:
            raise _refuse("BYSETPOS va avec une liste de jours sans rang (BYDAY=MO,TU,WE,TH,FR).")
        # occurrences in one period, at least: 4 of each weekday a month, 52 a year
        if rule.freq == "MONTHLY":
            least = 4 * len(weekdays)
        elif rule.bymonth:
            least = 4 * len(weekdays) * len(months)
        else:
            least = 52 * len(weekdays)
        if max(abs(p) for p in rule.bysetpos) > least:
            raise _refuse(f"BYSETPOS de 1 à {least} ici (ou de -1 à -{least}).")


def _until_local(value: str, start: datetime) -> str:
    """UNTIL as a Paris wall-clock time (a date: that whole day), within the accepted span."""
    try:
        if re.fullmatch(r"\d{8}", value):
            until = datetime.strptime(value, "%Y%m%d").replace(hour=23, minute=59, second=59)
        elif re.fullmatch(r"\d{8}T\d{6}Z", value):
            until = datetime.strptime(value, "%Y%m%dT%H%M%SZ")
        elif re.fullmatch(r"\d{8}T\d{6}", value):
            until = datetime.strptime(value, "%Y%m%dT%H%M%S")
        else:
            raise ValueError(value)
    except ValueError:
        raise InvalidInput(
            f"UNTIL={excerpt(value, 20)} : date de fin de répétition impossible."
        ) from None
    if not in_range(until):
        raise InvalidInput(f"UNTIL : {DATE_RANGE}")
    if value.endswith("Z"):
        until = until.replace(tzinfo=UTC).astimezone(PARIS).replace(tzinfo=None)
    if until < start:
        raise _refuse("la date de fin de répétition (UNTIL) précède le début de la série.")
    if until > _span_end(start):
        raise _refuse(
            f"la date de fin de répétition est à plus de {MAX_SPAN_YEARS} ans du début : "
            "rapprochez-la, ou retirez UNTIL pour une série sans fin."
        )
    return until.strftime("%Y%m%dT%H%M%S")


def _span_end(start: datetime) -> datetime:
    return start + timedelta(days=MAX_SPAN_YEARS * 366)


def check(rule: str, start: datetime) -> tuple[list[tuple[str, str]], Rule]:
    """Every static check (no expansion): raises ``InvalidInput`` with a French message."""
    parts = parse(rule)
    read_rule = read(parts)
    _check_ranks(read_rule)
    _check_produces(read_rule, start)
    return parts, read_rule


def is_safe(rule: str, start: datetime) -> bool:
    """Whether a stored rule may be expanded (rules stored before these checks existed)."""
    try:
        check(rule, start)
    except InvalidInput:
        return False
    return True


def normalise(rule: str, start: datetime) -> str:
    """Check a rule for a series starting at ``start`` (Paris wall-clock time); return it as stored.

    Stored form: upper case, ``UNTIL`` in Paris wall-clock time. Raises ``InvalidInput``.
    """
    if not in_range(start):
        raise InvalidInput(f"Début de la série : {DATE_RANGE}")
    parts, read_rule = check(rule, start)
    parts = [(k, _until_local(v, start) if k == "UNTIL" else v) for k, v in parts]
    text = ";".join(f"{k}={v}" for k, v in parts)
    try:
        built = rrulestr(text, dtstart=start)
    except (ValueError, TypeError):
        raise InvalidInput(
            f"Règle de répétition illisible (« {excerpt(text, 60)} ») : vérifiez FREQ, INTERVAL, "
            "COUNT, UNTIL et BYDAY (format iCalendar RRULE)."
        ) from None
    # Safe to expand now: an occurrence comes at least every few periods.
    first = built.after(start, inc=True)
    if first is None or first > start + FIRST_WITHIN:
        raise InvalidInput(
            "Cette règle de répétition ne produit aucune date dans les trois ans qui suivent le début."
        )
    if read_rule.count is not None and built.after(_span_end(start)) is not None:
        raise _refuse(
            f"ses {read_rule.count} rendez-vous s'étendraient sur plus de {MAX_SPAN_YEARS} ans : "
            "réduisez COUNT."
        )
    return text

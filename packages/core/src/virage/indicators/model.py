"""What an indicator is, which dimensions it may have, and the periods it is computed over.

An indicator is computed per structure and per calendar month (Paris time). Its ``compute``
function receives the database, the structure and the month's UTC bounds, and returns
:class:`Cell` values: a category (a kind of visit, a state, a reason…, ``""`` when there is
none), a value, and the number of persons behind it (``base``) that decides whether the cell is
shown. Dimensions are an allow-list: nothing is ever grouped by worker or by person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from virage.agenda.timeutil import iso, to_utc
from virage.errors import InvalidInput
from virage.french import MONTHS

#: The only dimensions an indicator may have. Never « professionnel », « auteur », « personne ».
ALLOWED_DIMENSIONS = frozenset({"mois", "type", "état", "motif", "catégorie", "unité", "liste"})

#: Longest period shown or exported at once (five years of months).
MAX_MONTHS = 60


@dataclass(frozen=True)
class Cell:
    """One value of one month. ``base`` is the number of distinct persons behind it."""

    category: str
    value: float
    base: int


@dataclass(frozen=True)
class Indicator:
    """An indicator that the core or a plugin declares (hook ``register_indicators``).

    :param key: stable code, ``"<domaine>.<nom>"`` (``"orientation.demandes"``).
    :param label: French label shown on the dashboard and in exports.
    :param unit: French unit (« visites », « heures », « jours »).
    :param compute: ``compute(db, structure_id, start_utc, end_utc)`` → list of :class:`Cell`
        for one month; SQL stays in the owner's storage module.
    :param dimensions: ``("mois",)`` or ``("mois", "type")``…, from :data:`ALLOWED_DIMENSIONS`.
    :param additive: ``True`` for counts (rows and months add up to published totals, so secondary
        suppression applies); ``False`` for rates, averages and medians (no totals published).
    :param description: one French sentence saying how it is computed.
    """

    key: str
    label: str
    unit: str
    compute: Callable[..., Sequence[Cell]] = field(repr=False, compare=False)
    dimensions: tuple[str, ...] = ("mois",)
    additive: bool = True
    description: str = ""

    def problems(self) -> list[str]:
        wrong = [d for d in self.dimensions if d not in ALLOWED_DIMENSIONS]
        out = []
        if wrong:
            out.append(f"dimensions interdites : {', '.join(wrong)} (jamais par professionnel)")
        if not re.fullmatch(r"[a-z_]+\.[a-z_.]+", self.key):
            out.append(f"clé invalide : {self.key!r}")
        return out


_QUARTER = re.compile(r"(\d{4})-T([1-4])")
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_YEAR = re.compile(r"(\d{4})")


def month_list(first: str, last: str) -> list[str]:
    """``["2026-01", …, "2026-03"]`` from two ``YYYY-MM`` (bounded by :data:`MAX_MONTHS`)."""
    a, b = _month(first), _month(last)
    if b < a:
        raise InvalidInput("La fin de la période est avant son début.")
    out, (y, m) = [], a
    while (y, m) <= b:
        out.append(f"{y:04d}-{m:02d}")
        if len(out) > MAX_MONTHS:
            raise InvalidInput(f"Choisissez une période d'au plus {MAX_MONTHS} mois.")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _month(text: str) -> tuple[int, int]:
    match = _MONTH.fullmatch((text or "").strip())
    if not match or not 2000 <= int(match[1]) <= 2100:
        raise InvalidInput("Mois : écrivez-le comme 2026-07 (année, tiret, mois).")
    return int(match[1]), int(match[2])


def period_months(period: str) -> list[str]:
    """Months of a period: ``2026-T3`` (quarter), ``2026-07`` (month) or ``2026`` (year)."""
    text = (period or "").strip()[:10]
    if match := _QUARTER.fullmatch(text):
        year, q = int(match[1]), int(match[2])
        return month_list(f"{year}-{3 * q - 2:02d}", f"{year}-{3 * q:02d}")
    if _MONTH.fullmatch(text):
        return month_list(text, text)
    if (match := _YEAR.fullmatch(text)) and 2000 <= int(match[1]) <= 2100:
        return month_list(f"{text}-01", f"{text}-12")
    raise InvalidInput("Période : écrivez un trimestre (2026-T3), un mois (2026-07) ou une année.")


def month_bounds(month: str) -> tuple[str, str]:
    """The UTC instants (as stored) at which a Paris calendar month starts and ends."""
    y, m = _month(month)
    nxt = (y + 1, 1) if m == 12 else (y, m + 1)
    start = to_utc(datetime.combine(date(y, m, 1), time(0, 0)))
    end = to_utc(datetime.combine(date(*nxt, 1), time(0, 0)))
    return iso(start), iso(end)


def month_text(month: str, *, short: bool = False) -> str:
    """« juillet 2026 » (or « juil. 26 » when ``short``)."""
    y, m = _month(month)
    name = MONTHS[m - 1]
    if short:
        return f"{name[:4].rstrip('.')}{'.' if len(name) > 4 else ''} {y % 100:02d}"
    return f"{name} {y}"


def period_text(period: str) -> str:
    """« 3ᵉ trimestre 2026 », « juillet 2026 », « année 2026 »."""
    if match := _QUARTER.fullmatch(period):
        q = int(match[2])
        return f"{q}{'er' if q == 1 else 'e'} trimestre {match[1]}"
    if _MONTH.fullmatch(period):
        return month_text(period)
    return f"année {period}"


def as_dict(indicator: Indicator, source: str) -> dict[str, Any]:
    return {
        "key": indicator.key,
        "label": indicator.label,
        "unit": indicator.unit,
        "dimensions": list(indicator.dimensions),
        "additive": indicator.additive,
        "description": indicator.description,
        "source": source,
    }

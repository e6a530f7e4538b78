"""The kiosk's indicators (hook ``register_indicators``): arrivals at the kiosk per month, with
or without appointment, and the median wait from the ticket to the call at the desk.

**What is measured**: a ticket's ``created_at`` (the person checks in or takes a number) and its
``called_at`` (the desk calls the number): the wait until the call, not until the end of the
conversation at the desk, which nothing records. A ticket never called (the person left, or was
received without being called) has no wait. **Never per worker**: who called a ticket and at
which desk are not read, and a month whose tickets fewer than :data:`MIN_CALLERS` different people
called has no median wait (it would be one or two receptionists' figure; only that count is read).

**The base** of a cell counts the distinct persons of the tickets with an appointment, plus one
for each ticket without appointment: the kiosk does not know who took it (its figure can tell
nothing about a person), and counting it as one keeps a busy month from being hidden.

**Tickets are forgotten after 31 days**: before they are, the month's figures are kept
(:func:`keep_months_before`, called by the kiosk before it forgets), and a kept month is read
from them, not from what is left of its tickets.
"""

from __future__ import annotations

import statistics
from datetime import date, datetime, time

from virage.sdk import PARIS, Database, Indicator, IndicatorCell, iso, parse_iso, to_local, to_utc
from virage_kiosk import indicator_storage

ARRIVALS = "kiosk.arrivees"
WAIT = "kiosk.attente"
WITH, WITHOUT = "Avec rendez-vous", "Sans rendez-vous"


#: Fewest different people behind a median wait (below, the month has none).
MIN_CALLERS = 3


def base(rows: list[dict]) -> int:
    """Distinct persons known, plus one per ticket whose person the kiosk does not know."""
    known = {r["person_id"] for r in rows if r["person_id"] is not None}
    return len(known) + sum(1 for r in rows if r["person_id"] is None)


def _arrivals(rows: list[dict], callers: int) -> list[tuple[str, float, int]]:
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(WITH if row["appointment_id"] else WITHOUT, []).append(row)
    return [(category, len(group), base(group)) for category, group in sorted(groups.items())]


def _wait(rows: list[dict], callers: int) -> list[tuple[str, float, int]]:
    called = [r for r in rows if r["called_at"]]
    if not called or callers < MIN_CALLERS:
        return []
    minutes = [
        max(0.0, (parse_iso(r["called_at"]) - parse_iso(r["created_at"])).total_seconds() / 60)
        for r in called
    ]
    return [("", round(statistics.median(minutes), 1), base(called))]


FIGURES = {ARRIVALS: _arrivals, WAIT: _wait}


def _month_of(start_utc: str) -> str:
    return to_local(parse_iso(start_utc)).strftime("%Y-%m")


def _compute(key: str):
    def compute(db, structure_id, start, end):
        kept = indicator_storage.kept(db, structure_id, _month_of(start), key)
        if kept is not None:
            return [IndicatorCell(r["category"], r["value"], int(r["base"])) for r in kept]
        rows = indicator_storage.tickets_between(db, structure_id, start, end)
        callers = indicator_storage.callers_between(db, structure_id, start, end)
        return [IndicatorCell(*cell) for cell in FIGURES[key](rows, callers)]

    return compute


def _bounds(month: str) -> tuple[str, str]:
    year, number = int(month[:4]), int(month[5:7])
    after = (year + 1, 1) if number == 12 else (year, number + 1)
    first = to_utc(datetime.combine(date(year, number, 1), time(0), tzinfo=PARIS))
    last = to_utc(datetime.combine(date(*after, 1), time(0), tzinfo=PARIS))
    return iso(first), iso(last)


def keep_months_before(db: Database, structure_id: int, day: str) -> int:
    """Keep the figures of every month with tickets before ``day`` (about to be forgotten).

    Such a month is over: tickets are forgotten 31 days after their day, and no month is longer.
    Returns how many months were kept."""
    months = indicator_storage.months_before(db, structure_id, day)
    for month in months:
        rows = indicator_storage.tickets_between(db, structure_id, *_bounds(month))
        callers = indicator_storage.callers_between(db, structure_id, *_bounds(month))
        cells = [(key, *cell) for key, figure in FIGURES.items() for cell in figure(rows, callers)]
        indicator_storage.keep(db, structure_id, month, cells)
    return len(months)


INDICATORS = (
    Indicator(
        ARRIVALS,
        "Arrivées à la borne d'accueil",
        "arrivées",
        _compute(ARRIVALS),
        ("mois", "type"),
        description="Tickets pris à la borne dans le mois, avec rendez-vous (convocation) ou "
        "sans rendez-vous.",
    ),
    Indicator(
        WAIT,
        "Attente jusqu'à l'appel au guichet (médiane)",
        "minutes",
        _compute(WAIT),
        ("mois",),
        additive=False,
        description="Minutes entre le ticket et l'appel du numéro par l'accueil, pour les "
        "tickets du mois qui ont été appelés ; absente quand moins de trois personnes de "
        "l'accueil ont appelé ce mois-là ; jamais par guichet ni par personne de l'accueil.",
    ),
)

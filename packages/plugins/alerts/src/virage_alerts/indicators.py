"""The alerts' indicators (hook ``register_indicators``), per unit of the structure: alerts
raised, falls, share of false alarms, median time to « j'y vais ». The same figures as the quality
page (:mod:`virage_alerts.quality`), by calendar month.

**Never per worker**: the rows are read through :func:`virage_alerts.quality_storage.alerts_between`,
whose columns leave out who took or closed an alert. **Never a resident**: a cell's ``base`` is the
number of distinct rooms behind it (a room stands for its resident: one fall in a unit with one
room concerned would name her), so a cell concerning fewer rooms than the network's threshold is
hidden, like any other.

The time to « j'y vais » is the unit's median over the month, all nights and all the night workers
of the unit together: a month's night team, not a person. A unit whose alerts of the month were
taken by fewer than :data:`MIN_TAKERS` different people gets no median at all (it would be one or
two people's figure); only that count is read, never who.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from virage.sdk import Indicator, IndicatorCell, parse_iso
from virage_alerts import lifecycle, quality_storage


def _by_unit(db, structure_id, start, end) -> dict[str, list[dict]]:
    units: dict[str, list[dict]] = defaultdict(list)
    for row in quality_storage.alerts_between(db, structure_id, start, end):
        units[row["unit"]].append(row)
    return units


def _rooms(rows: list[dict]) -> int:
    return len({r["room"] for r in rows})


def _raised(db, structure_id, start, end):
    return [
        IndicatorCell(unit, len(rows), _rooms(rows))
        for unit, rows in _by_unit(db, structure_id, start, end).items()
    ]


def _falls(db, structure_id, start, end):
    out = []
    for unit, rows in _by_unit(db, structure_id, start, end).items():
        falls = [r for r in rows if r["status"] == "closed" and r["outcome"] in lifecycle.FALLS]
        if falls:
            out.append(IndicatorCell(unit, len(falls), _rooms(falls)))
    return out


def _false_share(db, structure_id, start, end):
    out = []
    for unit, rows in _by_unit(db, structure_id, start, end).items():
        closed = [r for r in rows if r["status"] == "closed"]
        if closed:
            false = sum(1 for r in closed if r["outcome"] == "false_alarm")
            out.append(IndicatorCell(unit, round(100 * false / len(closed), 1), _rooms(closed)))
    return out


def _minutes(row: dict) -> float:
    delta = parse_iso(row["taken_at"]) - parse_iso(row["raised_at"])
    return max(0.0, delta.total_seconds() / 60)


#: Fewest different workers behind a median time (below, the unit's month has none).
MIN_TAKERS = 3


def _to_take(db, structure_id, start, end):
    out = []
    takers = quality_storage.takers_per_unit(db, structure_id, start, end)
    for unit, rows in _by_unit(db, structure_id, start, end).items():
        taken = [r for r in rows if r["taken_at"]]
        if taken and takers.get(unit, 0) >= MIN_TAKERS:
            median = statistics.median(_minutes(r) for r in taken)
            out.append(IndicatorCell(unit, round(median, 1), _rooms(taken)))
    return out


INDICATORS = (
    Indicator(
        "alertes.declenchees",
        "Alertes de nuit déclenchées, par unité",
        "alertes",
        _raised,
        ("mois", "unité"),
        description="Alertes reçues des capteurs dans le mois, par unité ; une cellule compte "
        "les chambres concernées, jamais les personnes qui travaillent.",
    ),
    Indicator(
        "alertes.chutes",
        "Chutes, par unité",
        "chutes",
        _falls,
        ("mois", "unité"),
        description="Alertes du mois terminées « chute avec blessure » ou « chute sans "
        "blessure », par unité.",
    ),
    Indicator(
        "alertes.fausses_alertes",
        "Part des fausses alertes, par unité",
        "%",
        _false_share,
        ("mois", "unité"),
        additive=False,
        description="Alertes du mois terminées « fausse alerte », rapportées aux alertes "
        "terminées de l'unité.",
    ),
    Indicator(
        "alertes.delai_prise_en_charge",
        "Délai jusqu'à « J'y vais » (médiane), par unité",
        "minutes",
        _to_take,
        ("mois", "unité"),
        additive=False,
        description="Médiane du mois, toutes nuits et toute l'équipe de nuit de l'unité "
        "ensemble ; absente quand moins de trois personnes ont pris les alertes de l'unité "
        "ce mois-là : jamais le délai d'une personne qui travaille.",
    ),
)

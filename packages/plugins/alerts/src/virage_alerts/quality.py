"""The structure's quality follow-up: the fall register and the alerts' figures, per unit and for
the night team as a whole, **never per worker** (the queries do not even read who took or closed
an alert: :data:`virage_alerts.quality_storage.QUALITY_COLUMNS`).

A period is chosen in days (Paris), a year at most. A night runs from noon to noon, so that the
alerts of 23 h and of 2 h count for the same night.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime, time, timedelta

from virage.sdk import (
    PARIS,
    AccessContext,
    InvalidInput,
    iso,
    parse_iso,
    plural,
    to_local,
    to_utc,
)
from virage_alerts import clock, escalation, lifecycle, quality_storage

QUALITY = "alerts.quality"
MAX_DAYS = 366
DEFAULT_DAYS = 30
#: Response-time buckets (minutes from the alert to « j'y vais »), upper bounds excluded.
BUCKETS = (
    (1, "moins d'1 minute"),
    (3, "1 à 3 minutes"),
    (5, "3 à 5 minutes"),
    (10, "5 à 10 minutes"),
)
LAST_BUCKET = "10 minutes ou plus"


def period(start_raw: str | None, end_raw: str | None) -> tuple[date, date]:
    """The days chosen (``AAAA-MM-JJ`` from the form's date fields), last 30 days by default."""
    today = to_local(clock.now()).date()
    try:
        end = date.fromisoformat(end_raw) if end_raw else today
        start = (
            date.fromisoformat(start_raw) if start_raw else end - timedelta(days=DEFAULT_DAYS - 1)
        )
    except ValueError as exc:
        raise InvalidInput("Dates de la période : choisissez un jour dans le calendrier.") from exc
    if start > end:
        raise InvalidInput("La période commence après sa fin : inversez les deux dates.")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(f"Une période d'un an au plus ({MAX_DAYS} jours) : réduisez-la.")
    return start, end


def _bounds(start: date, end: date) -> tuple[str, str]:
    first = to_utc(datetime.combine(start, time(0), tzinfo=PARIS))
    last = to_utc(datetime.combine(end + timedelta(days=1), time(0), tzinfo=PARIS))
    return iso(first), iso(last)


def _minutes(frm: str | None, to: str | None) -> float | None:
    if not frm or not to:
        return None
    return max(0.0, (parse_iso(to) - parse_iso(frm)).total_seconds() / 60)


def _duration(minutes: float | None) -> str:
    if minutes is None:
        return "—"
    seconds = round(minutes * 60)
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60:02d} s"


def _night(raised_at: str) -> date:
    """The night an alert belongs to: the evening's day (noon to noon, Paris)."""
    return (to_local(raised_at) - timedelta(hours=12)).date()


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))
    return ordered[rank]


def register(access: AccessContext, structure_id: int, start: date, end: date, action: str):
    """The falls of the period: day, time, room, unit, injury, time to take and to arrive."""
    access.require(QUALITY, structure_id=structure_id, action=action)
    rows = quality_storage.falls_between(access.db, structure_id, *_bounds(start, end))
    out = []
    for r in rows:
        local = to_local(r["raised_at"])
        out.append(
            {
                "day": local.strftime("%d/%m/%Y"),
                "time": f"{local.hour} h {local.minute:02d}",
                "room": r["room"],
                "unit": r["unit"],
                "injury": "oui" if r["outcome"] == "fall_injury" else "non",
                "to_take": _duration(_minutes(r["raised_at"], r["taken_at"])),
                "to_arrive": _duration(_minutes(r["raised_at"], r["on_site_at"])),
            }
        )
    return out


CSV_HEADER = [
    "Date",
    "Heure",
    "Chambre",
    "Unité",
    "Blessure",
    "Délai de prise en charge",
    "Délai d'arrivée sur place",
]
CSV_KEYS = ["day", "time", "room", "unit", "injury", "to_take", "to_arrive"]


def register_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow([r[k] for k in CSV_KEYS])
    return "\ufeff" + buffer.getvalue()


def _figures(rows: list[dict], nights: int) -> dict:
    takes = [m for r in rows if (m := _minutes(r["raised_at"], r["taken_at"])) is not None]
    closed = [r for r in rows if r["status"] == "closed"]
    false = sum(1 for r in closed if r["outcome"] == "false_alarm")
    per_night: dict[date, int] = {}
    for r in rows:
        per_night[_night(r["raised_at"])] = per_night.get(_night(r["raised_at"]), 0) + 1
    counts = [0] * (len(BUCKETS) + 1)
    for m in takes:
        counts[next((i for i, (up, _) in enumerate(BUCKETS) if m < up), len(BUCKETS))] += 1
    labels = [label for _, label in BUCKETS] + [LAST_BUCKET]
    levels = dict.fromkeys(escalation.LEVELS, 0)
    for r in rows:
        if r["taken_at"]:
            levels[r["level"]] = levels.get(r["level"], 0) + 1
    return {
        "alerts": len(rows),
        "alerts_text": plural(len(rows), "alerte"),
        "falls": sum(1 for r in closed if r["outcome"] in lifecycle.FALLS),
        "per_night": f"{len(rows) / nights:.1f}".replace(".", ",") if nights else "0",
        "busiest": max(per_night.values(), default=0),
        "median": _duration(_percentile(takes, 0.5)),
        "p90": _duration(_percentile(takes, 0.9)),
        "buckets": [{"label": lab, "count": c} for lab, c in zip(labels, counts, strict=True)],
        "false_rate": f"{round(100 * false / len(closed))} %" if closed else "—",
        "levels": [{"label": escalation.LEVELS[k], "count": v} for k, v in sorted(levels.items())],
    }


def figures(access: AccessContext, structure_id: int, start: date, end: date) -> dict:
    """The figures of the period, for the night team as a whole and per unit."""
    access.require(QUALITY, structure_id=structure_id, action="alerts.figures.read")
    rows = quality_storage.alerts_between(access.db, structure_id, *_bounds(start, end))
    nights = (end - start).days + 1
    units = sorted({r["unit"] for r in rows})
    return {
        "nights": nights,
        "nights_text": plural(nights, "nuit"),
        "team": _figures(rows, nights),
        "units": [
            {"unit": u, **_figures([r for r in rows if r["unit"] == u], nights)} for u in units
        ],
    }

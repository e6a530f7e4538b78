"""Indicators: which are declared, their monthly aggregates, the published tables of a period,
the network's median and totals.

Aggregates are kept per structure, indicator, month and category (``indicator_monthly``): a month
is computed the first time it is asked for, the current and the previous month are computed again
each time (visits are still being pointed), and « Recalculer » computes the chosen period again.
The sas never trusts the aggregates: it computes its period from the source (:func:`compute`).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, timedelta

from virage import db_scope
from virage.accounts import lookups
from virage.agenda.timeutil import today_paris
from virage.db import Database, transaction, utcnow_iso
from virage.errors import InvalidInput
from virage.indicators import storage
from virage.indicators.model import Cell, Indicator, as_dict, month_bounds, month_list
from virage.indicators.suppression import DEFAULT_THRESHOLD, Table, publish
from virage.plugins import PluginHost

#: A network median is shown only when at least this many structures have a value: with fewer,
#: the median would be another structure's own figure.
MEDIAN_MIN_STRUCTURES = 3
THRESHOLD_RANGE = (5, 50)


def declared(plugins: PluginHost | None) -> list[tuple[str, Indicator]]:
    """Every indicator, with who declares it; one with a forbidden dimension is left out."""
    if plugins is None:
        from virage.indicators.builtin import CORE_INDICATORS

        return [("virage.indicators.plugin", i) for i in CORE_INDICATORS]
    out, seen = [], set()
    for name, indicator in plugins.contributions("register_indicators", Indicator):
        problems = indicator.problems()
        if indicator.key in seen:
            problems.append(f"indicateur {indicator.key} déclaré deux fois")
        if problems:
            plugins.record_failure(name, "register_indicators", "; ".join(problems))
            continue
        seen.add(indicator.key)
        out.append((name, indicator))
    # The core's first (visits, transmissions), then the plugins' in registration order.
    return sorted(out, key=lambda pair: pair[0] != "virage.indicators.plugin")


def threshold(db: Database) -> int:
    value = storage.setting(db, "threshold")
    return int(value) if value and value.isdigit() else DEFAULT_THRESHOLD


def set_threshold(db: Database, value: str) -> int:
    low, high = THRESHOLD_RANGE
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if not low <= number <= high:
        raise InvalidInput(f"Seuil : un nombre entier de {low} à {high} personnes.")
    with transaction(db):
        storage.set_setting(db, "threshold", str(number))
    return number


def default_months(count: int = 12, today: date | None = None) -> list[str]:
    today = today or today_paris()
    last = f"{today.year:04d}-{today.month:02d}"
    first_day = today.replace(day=1)
    for _ in range(count - 1):
        first_day = (first_day - timedelta(days=1)).replace(day=1)
    return month_list(f"{first_day.year:04d}-{first_day.month:02d}", last)


def _compute_month(db, plugins, indicators, structure_id: int, month: str) -> list[tuple]:
    start, end = month_bounds(month)
    rows = []
    for name, indicator in indicators:
        try:
            cells = list(indicator.compute(db, structure_id, start, end) or [])[:500]
        except Exception as exc:
            if plugins is None or name == "virage.indicators.plugin":
                raise
            plugins.record_failure(name, "register_indicators", f"{indicator.key}: {exc}")
            continue
        for cell in cells:
            if isinstance(cell, Cell):
                rows.append((indicator.key, str(cell.category)[:80], cell.value, int(cell.base)))
    return rows


def refresh(
    db: Database,
    plugins: PluginHost | None,
    structure_id: int,
    months: list[str],
    *,
    everything: bool = False,
    recent: bool = True,
) -> int:
    """Compute the months not computed yet (all of them with ``everything``), and, with
    ``recent``, the current and previous months; returns how many months were computed."""
    indicators = declared(plugins)
    todo = (
        set(months)
        if everything
        else set(months) - storage.computed_months(db, structure_id, months)
    )
    if recent:
        todo |= set(default_months(2)) & set(months)
    at = utcnow_iso()
    for month in sorted(todo):
        rows = _compute_month(db, plugins, indicators, structure_id, month)
        try:
            with transaction(db):
                storage.replace_month(db, structure_id, month, rows, at)
        except db.IntegrityError:
            continue  # another request computed the same month at the same time: keep its rows
    return len(todo)


def _tables(indicators, cells_by_key, months, limit) -> list[dict]:
    out = []
    for name, indicator in indicators:
        table = publish(
            months,
            cells_by_key.get(indicator.key, {}),
            threshold=limit,
            additive=indicator.additive,
        )
        out.append({**as_dict(indicator, name), "table": table})
    return out


def tables(db: Database, plugins: PluginHost | None, structure_id: int, months: list[str]):
    """The published tables of a structure over ``months``, from the monthly aggregates."""
    indicators = declared(plugins)
    cells: dict[str, dict[str, list[Cell]]] = defaultdict(lambda: defaultdict(list))
    for row in storage.monthly(db, [structure_id], months[0], months[-1]):
        cells[row["indicator"]][row["month"]].append(
            Cell(row["category"], row["value"], row["base"])
        )
    return _tables(indicators, cells, months, threshold(db))


def compute(db: Database, plugins: PluginHost | None, structure_id: int, months: list[str]):
    """The published tables computed from the source, not the aggregates (the sas)."""
    indicators = declared(plugins)
    cells: dict[str, dict[str, list[Cell]]] = defaultdict(lambda: defaultdict(list))
    for month in months:
        for key, category, value, base in _compute_month(
            db, plugins, indicators, structure_id, month
        ):
            cells[key][month].append(Cell(category, value, base))
    return _tables(indicators, cells, months, threshold(db))


def refresh_network(db: Database, plugins: PluginHost | None, months: list[str]) -> int:
    """Compute, as the system, the months no structure has computed yet (the network's page)."""
    token = db_scope.as_system()
    try:
        return sum(
            refresh(db, plugins, s["id"], months, recent=False) for s in lookups.structures(db)
        )
    finally:
        db_scope.reset(token)


def _network_rows(db: Database, months: list[str]) -> list[dict]:
    """Every structure's aggregates: read as the system, only to compute medians and totals."""
    token = db_scope.as_system()
    try:
        ids = [s["id"] for s in lookups.structures(db)]
        return storage.monthly(db, ids, months[0], months[-1])
    finally:
        db_scope.reset(token)


def medians(db: Database, plugins: PluginHost | None, months: list[str]) -> dict:
    """``{indicator: {month: median}}`` over the structures whose figure is shown (all its cells
    concern at least the threshold), when at least :data:`MEDIAN_MIN_STRUCTURES` have one."""
    limit = threshold(db)
    per: dict[tuple[str, str], dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for row in _network_rows(db, months):
        per[(row["indicator"], row["month"])][row["structure_id"]].append(row)
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for (key, month), by_structure in per.items():
        values = [
            sum(r["value"] for r in rows)
            for rows in by_structure.values()
            if max(r["base"] for r in rows) >= limit
        ]
        if len(values) >= MEDIAN_MIN_STRUCTURES:
            out[key][month] = round(statistics.median(values), 1)
    return out


def network_tables(db: Database, plugins: PluginHost | None, months: list[str]) -> list[dict]:
    """The network's counts (sums over its structures: a person is followed by one structure),
    suppressed like a structure's; rates and averages are given as the median."""
    indicators = [(n, i) for n, i in declared(plugins) if i.additive]
    cells: dict[str, dict[tuple[str, str], list[float]]] = defaultdict(
        lambda: defaultdict(lambda: [0.0, 0])
    )
    for row in _network_rows(db, months):
        acc = cells[row["indicator"]][(row["month"], row["category"])]
        acc[0] += row["value"]
        acc[1] += row["base"]
    by_month: dict[str, dict[str, list[Cell]]] = defaultdict(lambda: defaultdict(list))
    for key, values in cells.items():
        for (month, category), (value, base) in values.items():
            by_month[key][month].append(Cell(category, value, int(base)))
    return _tables(indicators, by_month, months, threshold(db))


def table_rows(entry: dict) -> list[dict]:
    table: Table = entry["table"]
    return table.as_rows()


def structure_ids(db: Database) -> list[int]:
    return [s["id"] for s in lookups.structures(db)]

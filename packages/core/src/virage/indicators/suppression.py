"""Small cells hidden, and hidden again where totals would give them back.

**Primary suppression**: a cell whose value concerns fewer than ``threshold`` distinct persons
(but at least one) is not published. **Secondary suppression**, for additive indicators whose
totals are published: in every line (a row over the months, a column over the categories, the
row totals and the column totals against the grand total) a hidden cell never stands alone — a
second cell of the line is hidden (the smallest visible one), or the line's total when there is
no other, so that « total minus the visible cells » gives back nothing but a sum of at least two
hidden cells. A total is itself hidden when none of its cells reaches the threshold (the persons
behind a row are at least as many as behind its largest cell, and may be no more).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from virage.indicators.model import Cell

DEFAULT_THRESHOLD = 5
Key = tuple[str, str]  # (category, month)


@dataclass
class Table:
    """An indicator's values over a period, as published: ``None`` is a hidden cell."""

    months: list[str]
    categories: list[str]
    values: dict[Key, float | None] = field(default_factory=dict)
    row_totals: dict[str, float | None] = field(default_factory=dict)
    col_totals: dict[str, float | None] = field(default_factory=dict)
    grand_total: float | None = None
    hidden: int = 0

    def as_rows(self) -> list[dict]:
        return [
            {
                "category": c,
                "values": {m: self.values.get((c, m)) for m in self.months},
                "total": self.row_totals.get(c),
            }
            for c in self.categories
        ]


def _round(value: float) -> float:
    return round(value, 1) if value != int(value) else int(value)


def publish(
    months: list[str],
    cells: Mapping[str, Iterable[Cell]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    additive: bool = True,
) -> Table:
    """The published table of one indicator: ``cells`` maps each month to its cells."""
    raw: dict[Key, Cell] = {}
    for month in months:
        for cell in cells.get(month, ()):
            raw[(cell.category, month)] = cell
    categories = sorted({c for c, _ in raw})
    table = Table(months, categories)
    hidden: set[Key] = {k for k, c in raw.items() if 0 < c.base < threshold}

    def value(k: Key) -> float:
        return raw[k].value if k in raw else 0

    def small(keys: list[Key]) -> bool:
        return max((raw[k].base for k in keys if k in raw), default=0) < threshold and any(
            value(k) for k in keys
        )

    if not additive:
        table.values = {
            (c, m): None if (c, m) in hidden else _round(value((c, m)))
            for c in categories
            for m in months
            if (c, m) in raw
        }
        table.hidden = len(hidden)
        return table

    rows = {c: [(c, m) for m in months] for c in categories}
    cols = {m: [(c, m) for c in categories] for m in months}
    row_total_hidden = {c for c, keys in rows.items() if small(keys)}
    col_total_hidden = {m for m, keys in cols.items() if small(keys)}
    grand_hidden = small(list(raw))
    # Lines: (cells of the line, whether its total is hidden, how to hide the total).
    for _ in range(len(categories) * len(months) + len(categories) + len(months) + 2):
        changed = False
        lines: list[tuple[list, bool, object]] = []
        lines += [(rows[c], c in row_total_hidden, ("row", c, 0)) for c in categories]
        lines += [(cols[m], m in col_total_hidden, ("col", m, 0)) for m in months]
        lines.append(([("row", c, 0) for c in categories], grand_hidden, ("grand", "", 0)))
        lines.append(([("col", m, 0) for m in months], grand_hidden, ("grand", "", 0)))
        for members, total_hidden, total_key in lines:
            if total_hidden:
                continue

            def is_hidden(k) -> bool:
                if len(k) == 3:  # a total
                    return k[1] in (row_total_hidden if k[0] == "row" else col_total_hidden)
                return k in hidden

            def amount(k) -> float:
                if len(k) == 3:
                    return sum(value(x) for x in (rows if k[0] == "row" else cols)[k[1]])
                return value(k)

            masked = [k for k in members if is_hidden(k)]
            if len(masked) != 1:
                continue
            visible = sorted(
                (k for k in members if not is_hidden(k)), key=lambda k: (amount(k) == 0, amount(k))
            )
            if visible:
                target = visible[0]
                if len(target) == 3:
                    (row_total_hidden if target[0] == "row" else col_total_hidden).add(target[1])
                else:
                    hidden.add(target)
            elif total_key[0] == "row":
                row_total_hidden.add(total_key[1])
            elif total_key[0] == "col":
                col_total_hidden.add(total_key[1])
            else:
                grand_hidden = True
            changed = True
            break
        if not changed:
            break
    table.values = {
        (c, m): None if (c, m) in hidden else _round(value((c, m)))
        for c in categories
        for m in months
    }
    table.row_totals = {
        c: None if c in row_total_hidden else _round(sum(value(k) for k in rows[c]))
        for c in categories
    }
    table.col_totals = {
        m: None if m in col_total_hidden else _round(sum(value(k) for k in cols[m])) for m in months
    }
    table.grand_total = None if grand_hidden else _round(sum(value(k) for k in raw))
    table.hidden = len(hidden)
    return table

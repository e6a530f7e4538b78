"""Small cells are hidden, and nothing hidden can be computed back from the totals."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from virage.indicators.model import Cell
from virage.indicators.suppression import publish

MONTHS = ["2026-07", "2026-08", "2026-09"]


def _cells(grid: dict[tuple[str, str], tuple[int, int]]) -> dict:
    out: dict = {}
    for (category, month), (value, base) in grid.items():
        out.setdefault(month, []).append(Cell(category, value, base))
    return out


def _recoverable(table) -> list:
    """Every hidden cell that « total minus the visible cells » gives back, in a row or a column."""
    found = []
    for c in table.categories:
        line = [table.values[(c, m)] for m in MONTHS]
        if table.row_totals[c] is not None and line.count(None) == 1:
            found.append(("row", c))
    for m in MONTHS:
        line = [table.values[(c, m)] for c in table.categories]
        if table.col_totals[m] is not None and line.count(None) == 1:
            found.append(("col", m))
    totals = [table.row_totals[c] for c in table.categories]
    if table.grand_total is not None and totals.count(None) == 1:
        found.append(("grand", "rows"))
    totals = [table.col_totals[m] for m in MONTHS]
    if table.grand_total is not None and totals.count(None) == 1:
        found.append(("grand", "cols"))
    return found


def test_a_small_cell_is_hidden_and_so_is_a_second_one_beside_it():
    grid = {
        ("home_visit", "2026-07"): (40, 12),
        ("home_visit", "2026-08"): (38, 11),
        ("home_visit", "2026-09"): (41, 12),
        ("structure_appointment", "2026-07"): (2, 1),  # one person: hidden
        ("structure_appointment", "2026-08"): (9, 6),
        ("structure_appointment", "2026-09"): (12, 7),
    }
    table = publish(MONTHS, _cells(grid), threshold=5)
    assert table.values[("structure_appointment", "2026-07")] is None
    hidden = [k for k, v in table.values.items() if v is None]
    assert len(hidden) >= 2  # never alone
    assert _recoverable(table) == []
    # the July total cannot be « total minus home visits »: one of them is hidden too
    assert table.col_totals["2026-07"] is None or table.values[("home_visit", "2026-07")] is None


def test_a_total_behind_too_few_persons_is_hidden():
    grid = {("rare", m): (1, 1) for m in MONTHS}  # the same person each month, maybe
    table = publish(MONTHS, _cells(grid), threshold=5)
    assert table.row_totals["rare"] is None and table.grand_total is None


def test_rates_hide_their_small_months_and_publish_no_total():
    grid = {("", "2026-07"): (92.5, 12), ("", "2026-08"): (100.0, 3)}
    table = publish(MONTHS, _cells(grid), threshold=5, additive=False)
    assert table.values[("", "2026-07")] == 92.5
    assert table.values[("", "2026-08")] is None
    assert table.row_totals == {} and table.grand_total is None


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 12)),
        min_size=6,
        max_size=12,
    ),
    st.integers(3, 8),
)
def test_no_grid_lets_a_hidden_cell_be_computed_back(values, threshold):
    categories = [f"c{i}" for i in range(len(values) // 3)]
    grid = {}
    for (c, m), (value, base) in zip(itertools.product(categories, MONTHS), values, strict=False):
        base = min(base, value)  # never more persons than visits
        if value:
            grid[(c, m)] = (value, max(base, 1))
    table = publish(MONTHS, _cells(grid), threshold=threshold)
    for (c, m), (_value, base) in grid.items():
        if base < threshold:
            assert table.values[(c, m)] is None
    assert _recoverable(table) == []

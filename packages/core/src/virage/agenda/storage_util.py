"""Small helpers shared by the agenda's storage modules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def marks(values: Sequence) -> str:
    """``?,?,?``: one placeholder per value."""
    return ",".join("?" * len(values))


def chunks(values: Sequence, size: int = 500) -> Iterable[Sequence]:
    """``values`` in slices of at most ``size`` (SQLite bounds the number of parameters)."""
    for i in range(0, len(values), size):
        yield values[i : i + size]

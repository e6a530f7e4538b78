"""Small helpers shared by the agenda's storage modules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from virage.db import Database

#: Classes of the agenda's PostgreSQL advisory locks (two-key form: class, then an id).
BUSY_TIME_LOCK = 7_240_620
FEED_LOCK = 7_240_621


def marks(values: Sequence) -> str:
    """``?,?,?``: one placeholder per value."""
    return ",".join("?" * len(values))


def chunks(values: Sequence, size: int = 500) -> Iterable[Sequence]:
    """``values`` in slices of at most ``size`` (SQLite bounds the number of parameters)."""
    for i in range(0, len(values), size):
        yield values[i : i + size]


def xact_lock(db: Database, lock_class: int, key: int) -> None:
    """PostgreSQL: hold ``(lock_class, key)`` until the transaction ends (concurrent holders
    wait). SQLite: nothing, its write transaction already holds every other writer."""
    if db.dialect != "postgresql":
        return
    if not db.in_transaction:
        raise RuntimeError("an advisory lock must be taken inside the write transaction")
    db.execute(
        "SELECT pg_advisory_xact_lock(CAST(? AS INTEGER), CAST(? AS INTEGER))",
        [lock_class, int(key) % 2_147_483_647],
    )

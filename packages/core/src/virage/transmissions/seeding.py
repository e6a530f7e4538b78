"""Writing transmissions without a request: demo data, benchmarks, imports run by an administrator.

No access check, no audit entry, no ``on_transmission_created`` hook, no validation beyond the
database's own (its CHECK constraints and integrity triggers still apply: a transmission is
written already past, or within its grace period). A request, a command or a plugin acting for a
user goes through :func:`virage.transmissions.service.create_transmission` instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from virage.db import Database
from virage.transmissions import storage

#: The columns of a row given to :func:`insert_many`, in this order.
INSERT_FIELDS: tuple[str, ...] = storage.INSERT_FIELDS


def insert(db: Database, values: dict[str, Any]) -> int | None:
    """Write one transmission as given; returns its id (``None``: its author had already sent
    this ``client_id``, nothing written).

    :param values: the columns of :data:`INSERT_FIELDS` (``person_id``, ``structure_id``,
        ``author_id``, ``author_label``, ``kind``, ``parent_id``, ``target``, ``category``,
        ``priority``, ``occurred_at``, ``created_at``, ``editable_until`` — UTC ISO 8601 —, the
        DAR parts ``data``, ``actions``, ``results``, ``appointment_id``, ``client_id``,
        ``source``); ``kind``, ``priority``, the DAR parts and ``source`` have defaults.
    """
    return storage.insert(db, values)


def insert_many(db: Database, rows: Iterable[Sequence[Any]]) -> None:
    """Write many transmissions at once: tuples in the order of :data:`INSERT_FIELDS`."""
    storage.insert_many(db, rows)


def acknowledge(db: Database, transmission_id: int, user_id: int, at: str) -> bool:
    """Record that a worker read a transmission at ``at``; ``False`` if already recorded."""
    return storage.acknowledge(db, transmission_id, user_id, at)


def acknowledge_many(db: Database, rows: Iterable[Sequence[Any]]) -> None:
    """Record many acknowledgements: ``(transmission id, user id, at)`` tuples."""
    storage.acknowledge_many(db, rows)


def set_shift(db: Database, user_id: int, at: str) -> None:
    """Set a worker's last « Prendre mon poste » (UTC ISO 8601), the start of "what is new"."""
    storage.set_shift(db, user_id, at)

"""The transmissions' indicators: written and acknowledged per month and category."""

from __future__ import annotations

from virage.db import Database
from virage.transmissions import indicator_storage


def written(db: Database, structure_id: int, start_utc: str, end_utc: str) -> list[dict]:
    return indicator_storage.written_of_month(db, structure_id, start_utc, end_utc)

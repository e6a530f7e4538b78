"""The agenda's indicators (declared to the indicators domain): visits planned and done per kind,
the share done, the hours delivered per person supported. Counts only, by month."""

from __future__ import annotations

from virage.agenda import indicator_storage
from virage.db import Database


def visits(db: Database, structure_id: int, start_utc: str, end_utc: str) -> list[dict]:
    return indicator_storage.visits_of_month(db, structure_id, start_utc, end_utc)


def served(db: Database, structure_id: int, start_utc: str, end_utc: str) -> dict:
    row = indicator_storage.persons_served(db, structure_id, start_utc, end_utc)
    return {"persons": int(row["persons"] or 0), "minutes": float(row["minutes"] or 0)}

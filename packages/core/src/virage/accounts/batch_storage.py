"""Batch reads of the accounts' tables for lists that span many persons or workers (an agenda
week, a timeline across persons): one query per 500 ids instead of one per row.

Other domains reach them through :mod:`virage.accounts.lookups`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from virage.db import Database, fetch_all

CHUNK = 500


def _chunks(ids: Iterable[int]) -> Iterator[Sequence[int]]:
    values = sorted(set(ids))
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def _marks(values: Sequence) -> str:
    return ",".join("?" * len(values))


def user_names(db: Database, user_ids: Iterable[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for chunk in _chunks(user_ids):
        out.update(
            db.execute(
                f"SELECT id, display_name FROM users WHERE id IN ({_marks(chunk)})", list(chunk)
            ).fetchall()
        )
    return out


def person_basics(db: Database, person_ids: Iterable[int]) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for chunk in _chunks(person_ids):
        for r in fetch_all(
            db,
            "SELECT id, structure_id, family_name, given_names, address, postcode, city, phone,"
            f" status FROM persons WHERE id IN ({_marks(chunk)})",
            chunk,
        ):
            out[r["id"]] = r
    return out


def persons(db: Database, person_ids: Iterable[int]) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for chunk in _chunks(person_ids):
        for r in fetch_all(db, f"SELECT * FROM persons WHERE id IN ({_marks(chunk)})", chunk):
            r["contacts"] = json.loads(r["contacts"] or "[]")
            out[r["id"]] = r
    return out


def care_teams(db: Database, person_ids: Iterable[int]) -> dict[int, set[int]]:
    ids = sorted(set(person_ids))
    out: dict[int, set[int]] = {pid: set() for pid in ids}
    for chunk in _chunks(ids):
        for pid, uid in db.execute(
            f"SELECT person_id, user_id FROM care_team WHERE person_id IN ({_marks(chunk)})",
            list(chunk),
        ):
            out[pid].add(uid)
    return out


def emergency_users(db: Database, person_ids: Iterable[int], now_iso: str) -> dict[int, set[int]]:
    ids = sorted(set(person_ids))
    out: dict[int, set[int]] = {pid: set() for pid in ids}
    for chunk in _chunks(ids):
        for pid, uid in db.execute(
            "SELECT person_id, user_id FROM emergency_accesses"
            f" WHERE person_id IN ({_marks(chunk)}) AND expires_at > ?",
            [*chunk, now_iso],
        ):
            out[pid].add(uid)
    return out

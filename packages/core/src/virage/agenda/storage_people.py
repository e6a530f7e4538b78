"""What the agenda's views read in batch about workers and persons (names, addresses,
care teams, emergency accesses) to decide what each actor may see."""

from __future__ import annotations

from collections.abc import Iterable

from virage.agenda.storage_util import chunks as _chunks
from virage.agenda.storage_util import marks as _marks
from virage.db import Database
from virage.db import fetch_all as _rows


def user_names(db: Database, user_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(user_ids))
    out: dict[int, str] = {}
    for chunk in _chunks(ids):
        out.update(
            db.execute(
                f"SELECT id, display_name FROM users WHERE id IN ({_marks(chunk)})", list(chunk)
            ).fetchall()
        )
    return out


def person_basics(db: Database, person_ids: Iterable[int]) -> dict[int, dict]:
    """Identity and address of persons, plus what access decisions need (structure)."""
    ids = sorted(set(person_ids))
    out: dict[int, dict] = {}
    for chunk in _chunks(ids):
        for r in _rows(
            db,
            "SELECT id, structure_id, family_name, given_names, address, postcode, city, phone,"
            f" status FROM persons WHERE id IN ({_marks(chunk)})",
            chunk,
        ):
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

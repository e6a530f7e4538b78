"""Helpers of the indicators tests: visits of a quarter for a few persons, signing in, forms."""

from __future__ import annotations

from datetime import datetime

from tests.accounts.conftest import csrf_from
from virage.accounts import lookups
from virage.agenda import seeding
from virage.agenda.kinds import CORE_KINDS
from virage.db import connect
from virage.sdk.testing import SESSION_COOKIE, signed_in

KINDS = {k.name: k for k in CORE_KINDS}
QUARTER = "2026-T3"


def as_worker(client, world, username: str) -> None:
    client.cookies.clear()
    db = connect(world.settings.db_path)
    try:
        client.cookies.set(SESSION_COOKIE, signed_in(db, username))
    finally:
        db.close()


def post_form(client, page: str, url: str, data: dict | None = None):
    token = csrf_from(client.get(page).text)
    return client.post(url, data={**(data or {}), "_csrf_token": token}, follow_redirects=False)


def new_persons(db, structure_id: int, count: int, prefix: str = "Personne") -> list[int]:
    return [
        lookups.create_person(
            db, structure_id, {"family_name": f"{prefix}{i}", "given_names": "Test"}
        )
        for i in range(count)
    ]


def visit(
    db, world, person_id: int, when: datetime, *, kind="home_visit", status="done", structure="a"
) -> int:
    return seeding.seed_appointment(
        db,
        KINDS,
        structure_id=world.structures[structure],
        kind=kind,
        title="Soins",
        professional_ids=[world.users["nurse_a" if structure == "a" else "nurse_b"]],
        start_local=when,
        duration_minutes=45,
        person_id=person_id,
        status=status,
    )


def seed_quarter(world, persons: int = 7, structure: str = "a") -> list[int]:
    """Each person: a visit done on the 10th of July, August and September 2026 (home visits);
    the first person also a structure appointment in July (a small cell)."""
    db = connect(world.settings.db_path)
    try:
        ids = new_persons(db, world.structures[structure], persons)
        for pid in ids:
            for month in (7, 8, 9):
                visit(db, world, pid, datetime(2026, month, 10, 9, 0), structure=structure)
        visit(
            db,
            world,
            ids[0],
            datetime(2026, 7, 12, 10, 0),
            kind="structure_appointment",
            structure=structure,
        )
        return ids
    finally:
        db.close()

"""Fictitious history for the demo territory's indicators: fifteen months of visits of the
SSIAD and the SAAD (twice a week per person, pointed done), ending before the demo's own weeks,
so that the dashboard has trends and last quarter's export has figures."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from virage.accounts import lookups
from virage.agenda import seeding
from virage.agenda.kinds import CORE_KINDS
from virage.agenda.timeutil import day_bounds, iso, today_paris, week_start
from virage.db import Database

STRUCTURES = (("SSIAD du Val-de-Loue", "paul.infirmier"), ("SAAD Aide et Présence", "karim.aide"))


def create(db: Database, seed: int) -> list[str]:
    rng = random.Random(seed + 24)
    kinds = {k.name: k for k in CORE_KINDS}
    end = week_start(today_paris()) - timedelta(days=14)  # before the demo territory's weeks
    start = date(end.year - 1, end.month, 1) - timedelta(days=92)
    start = start.replace(day=1)
    lines = []
    for name, worker in STRUCTURES:
        structure = lookups.find_structure(db, name)
        user = lookups.user_by_username(db, worker)
        if structure is None or user is None:
            continue
        sid = structure["id"]
        persons = lookups.persons(db, sid, status="active", limit=40)
        count = 0
        for i, person in enumerate(persons):
            # Each person joined at some point; a few only lately (small cells in early months).
            first = start + timedelta(days=rng.choice((0, 0, 0, 30, 120)) + i % 5)
            days = (end - first).days
            if days < 14:
                continue
            _id, made = seeding.seed_series(
                db,
                kinds,
                structure_id=sid,
                kind="home_visit",
                title="Soins à domicile",
                professional_ids=[user["id"]],
                dtstart_local=datetime(first.year, first.month, first.day, 8 + i % 6, 0),
                duration_minutes=rng.choice((30, 45, 60)),
                rrule=f"FREQ=WEEKLY;BYDAY=MO,TH;UNTIL={end.strftime('%Y%m%d')}T235959Z",
                person_id=person["id"],
            )
            count += made
        seeding.mark_done_before(db, sid, iso(day_bounds(start)[0]), iso(day_bounds(end)[1]))
        lines.append(f"Indicateurs : {count} visites d'historique pour {name}")
    return lines

"""The demo territory's night alerts (``virage demo``): four sensors at the EHPAD Les Tilleuls,
enrolled by its director, four residents in their rooms, and three weeks of past nights (falls,
calls, false alarms), so that the fall register and the figures per unit have something to show.

Everything is fictitious and derived from the seed. No alert is left open: ``virage alertes
simuler --capteur N`` raises one for the board (printed with the logins)."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from virage.sdk import Database, accounts, iso, transaction
from virage_alerts import clock, quality_storage, storage

STRUCTURE = "EHPAD Les Tilleuls"
DIRECTOR = "odile.ehpad"
NIGHT_NURSE = "amina.ide"
PARIS = ZoneInfo("Europe/Paris")
#: (room, unit, sensor's name)
SENSORS = (
    ("12", "Les Tilleuls", "Détecteur de chute chambre 12"),
    ("14", "Les Tilleuls", "Appel malade chambre 14"),
    ("21", "Les Glycines", "Détecteur de chute chambre 21"),
    ("23", "Les Glycines", "Appel malade chambre 23"),
)
NIGHTS = 21
#: (kind, outcome, weight): most calls end as « autre », falls are rarer, some are false alarms.
ALERTS = (
    ("fall", "fall_no_injury", 3),
    ("fall", "fall_injury", 1),
    ("fall", "false_alarm", 3),
    ("call", "other", 6),
    ("call", "false_alarm", 1),
)


def create(db: Database, seed: int) -> list[str]:
    structure = accounts.find_structure(db, STRUCTURE)
    director = accounts.user_by_username(db, DIRECTOR)
    nurse = accounts.user_by_username(db, NIGHT_NURSE)
    if structure is None or director is None or nurse is None:
        return []
    sid = structure["id"]
    residents = accounts.persons(db, sid)[: len(SENSORS)]
    rng = random.Random(f"virage-demo-alerts:{seed}")
    now = clock.now()
    devices: list[tuple[int, str, str]] = []
    with transaction(db):
        for room, unit, name in SENSORS:
            values = {
                "structure_id": sid,
                "name": name,
                "room": room,
                "unit": unit,
                # From the seed: the same seed gives the same demo (secrets derived from it).
                "salt": hashlib.sha256(f"virage-demo-alerts:{seed}:{room}".encode()).hexdigest()[
                    :32
                ],
                "created_by": director["id"],
                "created_at": iso(now - timedelta(days=NIGHTS + 2)),
            }
            devices.append((storage.add_device(db, values), room, unit))
        for (_, room, _), resident in zip(devices, residents, strict=False):
            quality_storage.set_room(db, sid, room, resident["id"], director["id"], iso(now))
        occupants = {room: r["id"] for (_, room, _), r in zip(devices, residents, strict=False)}
        today = now.astimezone(PARIS).date()
        for night in range(NIGHTS, 0, -1):
            evening = datetime.combine(today - timedelta(days=night), time(21, 30), PARIS)
            for _ in range(rng.choice((0, 1, 1, 2))):
                device_id, room, unit = rng.choice(devices)
                kind, outcome = _pick(rng, room)
                raised = evening + timedelta(minutes=rng.randrange(0, 9 * 60))
                _past_alert(
                    db,
                    rng,
                    (sid, device_id, room, unit, kind, outcome),
                    raised,
                    nurse["id"],
                    occupants.get(room) if outcome.startswith("fall_") else None,
                )
    first = devices[0][0]
    return [
        f"Alertes de nuit ({STRUCTURE}) : « virage alertes simuler --capteur {first} » déclenche "
        f"une chute en chambre {devices[0][1]} ; tableau, registre et chiffres pour "
        f"{NIGHT_NURSE}, thomas.idec et {DIRECTOR}."
    ]


def _pick(rng: random.Random, room: str) -> tuple[str, str]:
    # Falls come from the fall detectors (rooms 12 and 21), calls from the nurse-call units.
    choices = [a for a in ALERTS if (a[0] == "fall") == (room in ("12", "21"))]
    kind, outcome, _ = rng.choices(choices, weights=[c[2] for c in choices])[0]
    return kind, outcome


def _past_alert(db, rng, what, raised: datetime, taker: int, person_id) -> None:
    sid, device_id, room, unit, kind, outcome = what
    taken = raised + timedelta(seconds=rng.randrange(25, 6 * 60))
    on_site = taken + timedelta(seconds=rng.randrange(30, 4 * 60))
    closed = on_site + timedelta(minutes=rng.randrange(3, 25))
    level = 1 if (taken - raised) > timedelta(minutes=3) else 0
    alert = {
        "structure_id": sid,
        "device_id": device_id,
        "room": room,
        "unit": unit,
        "kind": kind,
        "status": "closed",
        "level": level,
        "raised_at": iso(raised),
        "taken_by": taker,
        "taken_at": iso(taken),
        "on_site_at": iso(on_site),
        "closed_by": taker,
        "closed_at": iso(closed),
        "outcome": outcome,
        "person_id": person_id,
    }
    alert["id"] = storage.add_alert(db, alert)
    details = {"chambre": room, "unite": unit, "type": kind}
    storage.add_step(db, alert, "raised", None, alert["raised_at"], details)
    if level:
        details = {"niveau": 1, "appeles": "Équipe de nuit", "chambre": room}
        storage.add_step(db, alert, "escalated", None, iso(raised + timedelta(minutes=3)), details)
    storage.add_step(db, alert, "taken", taker, alert["taken_at"])
    storage.add_step(db, alert, "on_site", taker, alert["on_site_at"])
    storage.add_step(db, alert, "closed", taker, alert["closed_at"], {"issue": outcome})

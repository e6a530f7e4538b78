"""Fictitious transmissions for the demo territory, reproducible from the seed.

The demo reads the territory from the database (structures by name, users by username) and
writes a few days of plausible handovers: last night's by the night nurse for the morning team,
a fall followed by its results, a correction, acknowledgements. Every urgent transmission of the
demo has been read, so the coordinator's list of unread urgent ones starts empty. Nothing here is
real: names, situations and texts are invented.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from virage.sdk import PARIS, Database, accounts, iso, to_local, transaction, transmissions, utcnow
from virage_demo_territory.transmission_texts import (
    COORDINATION,
    DAY_CARE,
    DAY_NURSE,
    EHPAD,
    FALL,
    HOME_HELP,
    NIGHT,
    SOCIAL,
)

GRACE = timedelta(minutes=5)
CATEGORY = {t.code: t.category for t in transmissions.CORE_TARGETS}


def _label(db, user_id: int) -> str:
    user = accounts.user(db, user_id)
    return (
        f"{user['display_name']}, {user['profession']}"
        if user["profession"]
        else user["display_name"]
    )


class _Writer:
    def __init__(self, db: Database, now: datetime) -> None:
        self.db = db
        self.now = now
        self.labels: dict[int, str] = {}

    def write(
        self,
        person: dict,
        author: int,
        item,
        occurred: datetime,
        *,
        delay=12,
        kind="entry",
        parent=None,
        results_only: str | None = None,
    ) -> int:
        target, priority, data, actions, results = item
        occurred = min(occurred, self.now - timedelta(minutes=delay + 1))
        created = occurred + timedelta(minutes=delay)
        hour = to_local(iso(occurred)).strftime("%H h %M")
        if author not in self.labels:
            self.labels[author] = _label(self.db, author)
        values = {
            "person_id": person["id"],
            "structure_id": person["structure_id"],
            "author_id": author,
            "author_label": self.labels[author],
            "kind": kind,
            "parent_id": parent,
            "target": target,
            "category": CATEGORY[target],
            "priority": priority if kind != "result" else "normal",
            "occurred_at": iso(occurred),
            "created_at": iso(created),
            "editable_until": iso(created + GRACE),
            "data": "" if kind == "result" else data.format(h=hour),
            "actions": "" if kind == "result" else actions,
            "results": results_only if kind == "result" else results,
            "appointment_id": None,
            "client_id": None,
            "source": "demo",
        }
        return transmissions.insert(self.db, values)


def create(db: Database, seed: int) -> list[str]:
    rng = random.Random(seed * 7 + 30)
    now = utcnow().replace(microsecond=0)
    users = {
        name: (accounts.user_by_username(db, name) or {}).get("id")
        for name in (
            "nadia.nuit",
            "paul.infirmier",
            "sophie.matin",
            "lucas.as",
            "ines.coordination",
            "amina.ide",
            "thomas.idec",
            "karim.aide",
            "marie.saad",
            "julie.social",
            "hugo.social",
        )
    }
    if not users["nadia.nuit"] or not users["sophie.matin"]:
        return []  # not the core's demo territory
    structures = {s["kind"]: s for s in accounts.structures(db)}
    writer = _Writer(db, now)
    # The last night ended at 06:00 (Paris) before now; the morning team took its post the day
    # before at 07:00; the night nurse took hers yesterday at 20:00.
    local_now = now.astimezone(PARIS)
    night_end = datetime.combine(local_now.date(), time(6, 0), tzinfo=PARIS)
    if night_end > local_now:
        night_end -= timedelta(days=1)
    morning_shift = night_end - timedelta(hours=23)
    night_shift = night_end - timedelta(hours=10)

    def past_day(days_back: int, hour_from: int, hour_to: int) -> datetime:
        day = morning_shift.date() - timedelta(days=days_back)
        moment = datetime.combine(
            day,
            time(rng.randint(hour_from, hour_to), rng.choice((0, 10, 20, 35, 50))),
            tzinfo=PARIS,
        )
        return moment

    acks: list[tuple[int, int, str]] = []

    def ack(tid: int, user: int | None, when: datetime) -> None:
        if user:
            acks.append((tid, user, iso(min(when, now))))

    count = 0
    with transaction(db):
        ssiad = structures.get("SSIAD")
        persons = accounts.persons(db, ssiad["id"]) if ssiad else []
        persons.sort(key=lambda p: p["id"])
        for index, person in enumerate(persons):
            team = accounts.care_team_ids(db, person["id"])
            nurses = [u for u in (users["nadia.nuit"], users["paul.infirmier"]) if u in team]
            carers = [u for u in (users["sophie.matin"], users["lucas.as"]) if u in team]
            # A week of day-time handovers, before the morning team's last prise de poste.
            for days_back in range(1, 8):
                if rng.random() < 0.55 and carers:
                    author = rng.choice(carers)
                    when = past_day(days_back, 8, 12)
                    tid = writer.write(person, author, rng.choice(DAY_CARE), when)
                    count += 1
                    for reader in team - {author}:
                        if rng.random() < 0.7:
                            ack(tid, reader, when + timedelta(hours=rng.randint(2, 20)))
                if rng.random() < 0.3 and nurses:
                    author = rng.choice(nurses)
                    when = past_day(days_back, 13, 18)
                    tid = writer.write(person, author, rng.choice(DAY_NURSE), when)
                    count += 1
                    for reader in team - {author}:
                        if rng.random() < 0.7:
                            ack(tid, reader, when + timedelta(hours=rng.randint(2, 20)))
            if index % 5 == 2 and users["ines.coordination"]:
                when = past_day(rng.randint(2, 6), 9, 16)
                writer.write(person, users["ines.coordination"], rng.choice(COORDINATION), when)
                count += 1
            # Last night: the night nurse's handovers for the morning team (first six persons).
            if index < 6 and users["nadia.nuit"] in team and index % 2 == 0:
                when = night_end - timedelta(hours=rng.choice((6.5, 4, 1.5)))
                writer.write(person, users["nadia.nuit"], NIGHT[index // 2 % len(NIGHT)], when)
                count += 1
            # A fall three days ago: urgent, read by the team, results added the next day.
            if index == 1 and nurses:
                author = users["paul.infirmier"] if users["paul.infirmier"] in team else nurses[0]
                when = datetime.combine(
                    morning_shift.date() - timedelta(days=3), time(8, 30), tzinfo=PARIS
                )
                fall = writer.write(person, author, FALL, when, delay=25)
                count += 1
                for reader in (*sorted(team - {author}), users["ines.coordination"]):
                    ack(fall, reader, when + timedelta(hours=1))
                result = writer.write(
                    person,
                    author,
                    FALL,
                    when + timedelta(hours=26),
                    kind="result",
                    parent=fall,
                    results_only="Pas de fracture à la radio. Retour à domicile, kinésithérapie "
                    "prescrite (marche), déambulateur à portée de main.",
                )
                count += 1
                ack(result, users["ines.coordination"], when + timedelta(hours=28))
            # A correction: the side of a dressing was wrong.
            if index == 3 and nurses:
                author = nurses[0]
                when = past_day(2, 14, 16)
                wrong = writer.write(
                    person,
                    author,
                    (
                        "peau",
                        "normal",
                        "Pansement du talon droit refait, plaie propre.",
                        "Pansement hydrocolloïde.",
                        "",
                    ),
                    when,
                )
                writer.write(
                    person,
                    author,
                    (
                        "peau",
                        "normal",
                        "Pansement du talon GAUCHE refait (et non droit : erreur de côté dans la transmission précédente), plaie propre.",
                        "Pansement hydrocolloïde.",
                        "",
                    ),
                    when + timedelta(minutes=40),
                    kind="correction",
                    parent=wrong,
                )
                count += 2

        for kind, library, names in (
            ("EHPAD", EHPAD, ("amina.ide", "thomas.idec")),
            ("SAAD", HOME_HELP, ("karim.aide", "marie.saad")),
            ("Service social", SOCIAL, ("julie.social", "hugo.social")),
        ):
            structure = structures.get(kind)
            if structure is None:
                continue
            for person in accounts.persons(db, structure["id"]):
                team = accounts.care_team_ids(db, person["id"])
                authors = [
                    users[n]
                    for n in names
                    if users[n] and (users[n] in team or n in ("thomas.idec", "marie.saad"))
                ]
                for _ in range(rng.randint(1, 3)):
                    if not authors:
                        break
                    item = rng.choice(library)
                    if item[1] == "urgent":
                        continue
                    writer.write(
                        person, rng.choice(authors), item, past_day(rng.randint(1, 9), 9, 17)
                    )
                    count += 1

        transmissions.acknowledge_many(db, acks)
        transmissions.set_shift(db, users["sophie.matin"], iso(morning_shift))
        transmissions.set_shift(db, users["nadia.nuit"], iso(night_shift))
    return [f"Transmissions : {count} transmissions fictives sur les 8 derniers jours."]

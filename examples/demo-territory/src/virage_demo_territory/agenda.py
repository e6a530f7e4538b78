"""A month of fictitious agenda for the demo territory, reproducible from the seed.

Read from the database (structures by name, users by username, persons and care teams): nothing
of the core's demo lists is copied here. Dates follow the day the demo is created, so that "ma
journée" always has something to show: from the Monday of last week, for five weeks.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from virage.sdk import Database, accounts, agenda, day_bounds, iso, today_paris, week_start

SSIAD = "SSIAD du Val-de-Loue"
SAAD = "SAAD Aide et Présence"
SOCIAL = "Service social départemental — MDS de Loue"

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
ALL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

HOURS = {
    "ines.coordination": (WEEKDAYS, [("08:30", "12:30"), ("13:30", "17:30")]),
    "paul.infirmier": (ALL_DAYS, [("07:00", "12:30"), ("13:30", "16:00")]),
    "nadia.nuit": (ALL_DAYS, [("00:00", "04:00"), ("19:30", "24:00")]),
    "sophie.matin": (ALL_DAYS, [("07:00", "13:00"), ("17:00", "20:30")]),
    "lucas.as": (ALL_DAYS, [("07:00", "13:00"), ("17:00", "20:30")]),
    "lea.secretariat": (WEEKDAYS, [("08:30", "12:30"), ("13:30", "17:00")]),
    "marie.saad": (WEEKDAYS, [("08:30", "12:30"), ("13:30", "17:00")]),
    "karim.aide": (WEEKDAYS, [("08:00", "12:30"), ("13:30", "17:00")]),
    "julie.social": (("MO", "TU", "TH", "FR"), [("09:00", "12:30"), ("13:30", "17:00")]),
    "hugo.social": (WEEKDAYS, [("09:00", "12:30"), ("14:00", "17:30")]),
}

MORNING_BRING = ["Gants, kit toilette", "Protections, gants", "Bas de contention", ""]
NURSE_NOTES = [
    "Glycémie capillaire avant l'injection ; noter le résultat.",
    "Pansement : surveiller l'aspect de la cicatrice.",
    "Surveiller les œdèmes ; peser le lundi.",
    "",
]


def _at(day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute))


def _plus(hhmm: str, minutes: int) -> str:
    hour, minute = (int(x) for x in hhmm.split(":"))
    total = hour * 60 + minute + minutes
    return f"{total // 60:02d}:{total % 60:02d}"


def create(db: Database, seed: int) -> list[str]:
    rng = random.Random(f"agenda-{seed}")
    kinds = {k.name: k for k in agenda.CORE_KINDS}
    users = {}
    for username in HOURS:
        user = accounts.user_by_username(db, username)
        if user:
            users[username] = user["id"]
    structures = {s["name"]: s for s in accounts.structures(db)}
    if SSIAD not in structures:
        return []
    first = week_start(today_paris()) - timedelta(days=7)
    last = first + timedelta(days=34)
    until = last.strftime("%Y%m%d")
    created = 0

    # Working hours (a weekly pattern per professional).
    codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    for username, (days, ranges) in HOURS.items():
        if username in users:
            agenda.replace_working_hours(
                db,
                users[username],
                [(codes.index(d), s, e) for d in days for s, e in ranges],
                None,
            )

    def uid(name: str) -> int | None:
        return users.get(name)

    def series(**kwargs) -> int:
        nonlocal created
        series_id, count = agenda.seed_series(db, kinds, **kwargs)
        created += count
        return series_id

    # ------------------------------------------------------------------ SSIAD
    ssiad = structures[SSIAD]["id"]
    coordinator = uid("ines.coordination")
    persons = accounts.persons(db, ssiad)
    slots = {"sophie.matin": "07:00", "lucas.as": "07:00", "paul.infirmier": "07:45"}
    evening = {"sophie.matin": "17:30", "lucas.as": "17:30"}
    night = "20:30"
    cancelled_series = None
    for index, person in enumerate(persons):
        team = {u["id"]: u for u in accounts.care_team(db, person["id"])}  # who follows this person
        names = {name for name, user_id in users.items() if user_id in team}
        assistant = next((n for n in ("sophie.matin", "lucas.as") if n in names), None)
        if assistant:
            start = slots[assistant]
            series(
                structure_id=ssiad,
                kind="home_visit",
                title="Toilette et aide au lever",
                professional_ids=[users[assistant]],
                dtstart_local=_at(first, start),
                duration_minutes=40,
                rrule=f"FREQ=DAILY;UNTIL={until}",
                person_id=person["id"],
                to_bring=rng.choice(MORNING_BRING),
                created_by=coordinator,
            )
            slots[assistant] = _plus(start, 45)
            if index % 2 == 0 and evening[assistant] < "20:00":
                evening_id = series(
                    structure_id=ssiad,
                    kind="home_visit",
                    title="Aide au coucher",
                    professional_ids=[users[assistant]],
                    dtstart_local=_at(first, evening[assistant]),
                    duration_minutes=25,
                    rrule=f"FREQ=DAILY;UNTIL={until}",
                    person_id=person["id"],
                    created_by=coordinator,
                )
                evening[assistant] = _plus(evening[assistant], 30)
                cancelled_series = cancelled_series or evening_id
        if "paul.infirmier" in names and slots["paul.infirmier"] < "12:00":
            series(
                structure_id=ssiad,
                kind="home_visit",
                title="Soins infirmiers",
                professional_ids=[users["paul.infirmier"]],
                dtstart_local=_at(first, slots["paul.infirmier"]),
                duration_minutes=20,
                rrule=f"FREQ=DAILY;UNTIL={until}",
                person_id=person["id"],
                notes=rng.choice(NURSE_NOTES),
                to_bring="Kit pansement, gants" if index % 3 == 0 else "",
                created_by=coordinator,
            )
            slots["paul.infirmier"] = _plus(slots["paul.infirmier"], 30)
        if "nadia.nuit" in names and night < "23:00":
            series(
                structure_id=ssiad,
                kind="home_visit",
                title="Passage du soir",
                professional_ids=[users["nadia.nuit"]],
                dtstart_local=_at(first, night),
                duration_minutes=20,
                rrule=f"FREQ=DAILY;UNTIL={until}",
                person_id=person["id"],
                notes=rng.choice(NURSE_NOTES),
                created_by=coordinator,
            )
            night = _plus(night, 30)

    team_ids = [uid(n) for n in ("ines.coordination", "paul.infirmier", "sophie.matin", "lucas.as")]
    tuesday = first + timedelta(days=1)
    series(
        structure_id=ssiad,
        kind="meeting",
        title="Réunion d'équipe (synthèses)",
        professional_ids=[u for u in team_ids if u],
        dtstart_local=_at(tuesday, "14:00"),
        duration_minutes=60,
        rrule=f"FREQ=WEEKLY;BYDAY=TU;UNTIL={until}",
        place_detail="Salle de réunion",
        created_by=coordinator,
    )
    saturday = first + timedelta(days=5)
    for offset, nurse in ((0, "paul.infirmier"), (7, "nadia.nuit")):
        if uid(nurse):
            series(
                structure_id=ssiad,
                kind="on_call",
                title="Astreinte infirmière du week-end",
                professional_ids=[users[nurse]],
                dtstart_local=_at(saturday + timedelta(days=offset), "08:00"),
                duration_minutes=48 * 60,
                rrule=f"FREQ=WEEKLY;INTERVAL=2;UNTIL={until}",
                place_detail="Téléphone d'astreinte",
                created_by=coordinator,
            )
    agenda.create_team(db, ssiad, "Équipe soignante")
    morning = agenda.create_team(db, ssiad, "Tournée du matin")
    agenda.set_team_members(
        db,
        agenda.team_by_name(db, ssiad, "Équipe soignante")["id"],
        [u for u in [*team_ids, uid("nadia.nuit")] if u],
    )
    agenda.set_team_members(
        db, morning, [u for u in (uid("sophie.matin"), uid("lucas.as"), uid("paul.infirmier")) if u]
    )

    # History and life: last week's visits are done; one evening visit tomorrow is cancelled.
    today_start = iso(day_bounds(today_paris())[0])
    agenda.mark_done_before(db, ssiad, iso(day_bounds(first)[0]), today_start)
    if cancelled_series:
        tomorrow = iso(day_bounds(today_paris() + timedelta(days=1))[0])
        rows = agenda.series_occurrences(db, cancelled_series, tomorrow)
        if rows:
            agenda.update_appointment(
                db,
                rows[0]["id"],
                {"status": "cancelled", "cancel_reason": "absente (chez sa fille)", "detached": 1},
            )
            agenda.set_attendees(
                db,
                rows[0]["id"],
                agenda.attendee_ids(db, rows[0]["id"]),
                rows[0]["start_utc"],
                rows[0]["end_utc"],
                False,
            )

    # ------------------------------------------------------------------ SAAD
    if SAAD in structures and uid("karim.aide"):
        saad = structures[SAAD]["id"]
        start = "08:30"
        for person in accounts.persons(db, saad)[:5]:
            series(
                structure_id=saad,
                kind="home_visit",
                title="Aide à domicile (repas, entretien)",
                professional_ids=[users["karim.aide"]],
                dtstart_local=_at(first, start),
                duration_minutes=75,
                rrule=f"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL={until}",
                person_id=person["id"],
                to_bring="Liste de courses" if start == "10:00" else "",
                created_by=uid("marie.saad"),
            )
            start = _plus(start, 90)

    # ------------------------------------------------------------------ social service
    if SOCIAL in structures:
        social = structures[SOCIAL]["id"]
        workers = [n for n in ("julie.social", "hugo.social") if uid(n)]
        social_persons = accounts.persons(db, social)
        ids = {p["id"] for p in social_persons}
        # each worker sees the persons they follow (their care teams), as in real life
        followed = {
            w: [p for p in accounts.care_teams_of_user(db, users[w]) if p["id"] in ids]
            for w in workers
        }
        next_monday = week_start(today_paris()) + timedelta(days=7)
        if uid("julie.social"):
            tuesday_next = next_monday + timedelta(days=1)
            agenda.insert_absence(
                db,
                users["julie.social"],
                "training",
                iso(day_bounds(tuesday_next)[0]),
                iso(day_bounds(tuesday_next)[1]),
                None,
            )
        if uid("hugo.social"):
            leave = first + timedelta(days=28)
            agenda.insert_absence(
                db,
                users["hugo.social"],
                "leave",
                iso(day_bounds(leave)[0]),
                iso(day_bounds(leave + timedelta(days=4))[1]),
                None,
            )
            series(
                structure_id=social,
                kind="meeting",
                title="Permanence d'accueil",
                professional_ids=[users["hugo.social"]],
                dtstart_local=_at(first + timedelta(days=3), "09:00"),
                duration_minutes=180,
                rrule=f"FREQ=WEEKLY;BYDAY=TH;UNTIL={until}",
                place_detail="Accueil de la MDS",
                created_by=uid("hugo.social"),
            )
        day = first
        while day <= last and social_persons and workers:
            if day.weekday() < 5:
                for worker in workers:
                    hours = HOURS[worker]
                    if ["MO", "TU", "WE", "TH", "FR"][day.weekday()] not in hours[0]:
                        continue
                    if worker == "julie.social" and day == next_monday + timedelta(days=1):
                        continue
                    if worker == "hugo.social" and day.weekday() == 3:
                        continue
                    # afternoons are busier than mornings: the secretariat still finds morning slots
                    for hhmm in rng.sample(["09:30", "11:00", "14:00", "15:00", "16:00"], k=2):
                        if hhmm < "12:00" and rng.random() < 0.6:
                            continue
                        person = rng.choice(followed[worker] or social_persons)
                        home = rng.random() < 0.4
                        agenda.seed_appointment(
                            db,
                            kinds,
                            structure_id=social,
                            kind="home_visit" if home else "structure_appointment",
                            title="Visite à domicile" if home else "Entretien",
                            professional_ids=[users[worker]],
                            start_local=_at(day, hhmm),
                            duration_minutes=60 if home else 45,
                            person_id=person["id"],
                            to_bring="" if home else "Avis d'imposition, pièce d'identité",
                            status="done" if day < today_paris() else "planned",
                            created_by=uid("lea.secretariat"),
                        )
                        created += 1
            day += timedelta(days=1)
        if len(workers) == 2:
            agenda.set_team_members(
                db,
                agenda.create_team(db, social, "Travailleurs sociaux"),
                [users[w] for w in workers],
            )

    return [
        "",
        f"Agenda de démonstration : {created} rendez-vous du {first.strftime('%d/%m')} au "
        f"{last.strftime('%d/%m')} (visites quotidiennes du SSIAD, aide à domicile, service social).",
    ]

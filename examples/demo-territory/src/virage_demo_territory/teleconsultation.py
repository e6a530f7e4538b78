"""Fictitious demo data: a remote doctor (directory entry and account) for EHPAD Les Tilleuls.

Everything is read from the demo database (structure by name, users by username); the doctor is
added to the care team of residents followed by amina.ide, and teleconsultations in every state
are played through the plugin's service (see :mod:`virage_demo_territory.teleconsultations`).
The first resident followed by both (lowest id) has none, and no session occupies the doctor
from today to the day after tomorrow: the guided tour runs a live session then.
"""

from __future__ import annotations

import json
import random

from virage.sdk import accounts, agenda, directory
from virage_demo_territory import teleconsultations

EHPAD = "EHPAD Les Tilleuls"
DOCTOR = "helene.teleconsult"
SECRETARY = "sylvie.accueil"
PASSWORD = "demo-virage-2026"


def create(db, settings, seed: int, plugins) -> list[str]:
    structures = {s["name"]: s for s in accounts.structures(db)}
    coordinator = accounts.user_by_username(db, "thomas.idec")
    nurse = accounts.user_by_username(db, "amina.ide")
    if EHPAD not in structures or not coordinator or not nurse:
        return []
    sid = structures[EHPAD]["id"]
    # The core has no "médecin" role: the remote doctor holds the clinical role "nurse" in the
    # EHPAD, and is added to the care team of the residents they follow.
    doctor_id = accounts.create_user(
        db,
        username=DOCTOR,
        display_name="Dr Hélène Vasseur",
        password=PASSWORD,
        structure_id=sid,
        role="nurse",
    )
    # The EHPAD's front desk: books and welcomes, never reads care content (the scenario checks it).
    accounts.create_user(
        db,
        username=SECRETARY,
        display_name="Sylvie Morin",
        password=PASSWORD,
        structure_id=sid,
        role="secretariat",
        profession="Secrétaire d'accueil",
    )
    professional_id = directory.save_professional(
        db,
        {
            "idnps": "810100990018",
            "rpps": "10100990018",
            "civility": "Dr",
            "family_name": "Vasseur",
            "given_name": "Hélène",
            "profession_code": "10",
            "profession_label": "Médecin",
            "specialties": json.dumps([{"code": None, "label": "Médecine générale"}]),
            "mssante": "helene.vasseur@val-de-loue.mssante.example",
            "city": "Saint-Aubin-sur-Loue",
            "status": "open",
            "source": "demo",
        },
        [],
        ["Saint-Aubin-sur-Loue", "téléconsultation"],
        user_id=doctor_id,
    )
    access = accounts.access_for(db, plugins, "thomas.idec", "demo")
    # A teleconsultation duty: the doctor is reachable every day, all day (remote permanence).
    agenda.set_working_hours(
        access,
        sid,
        doctor_id,
        [{"weekday": d, "start": "00:00", "end": "24:00"} for d in range(7)],
    )
    residents = accounts.persons(db, sid, only_user_team=nurse["id"])
    for p in residents[:3]:
        accounts.add_member(access, p["id"], doctor_id)
    lines = teleconsultations.create(
        access, random.Random(f"teleconsultation-{seed}"), plugins, sid, professional_id
    )
    # read back: the sessions may have added residents to the doctor's care teams
    followed = accounts.persons(db, sid, only_user_team=doctor_id)
    names = ", ".join(f"{p['given_names']} {p['family_name']}" for p in followed)
    return [
        "",
        f"Téléconsultation : Dr Hélène Vasseur ({DOCTOR}), médecin téléconsultant de l'EHPAD "
        f"Les Tilleuls, suit {names or 'aucun résident'} (/teleconsultation) ; "
        f"{SECRETARY} tient l'accueil de l'EHPAD.",
        *lines,
    ]

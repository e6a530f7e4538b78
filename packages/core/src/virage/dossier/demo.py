"""Fictitious files for the demo territory: at the SSIAD, one plan overdue for review (GIR 2), one
to review later (GIR 4), so that « Révisions à prévoir » and the file have something to show."""

from __future__ import annotations

from datetime import date, timedelta

from virage.accounts import lookups
from virage.db import Database, utcnow_iso
from virage.dossier import storage
from virage.dossier.questionnaires import AGGIR

SSIAD = "SSIAD du Val-de-Loue"
GIR2 = "CCAAAAAAAA"  # cohérence and orientation C: rank 4, GIR 2
GIR4 = "AABBAABAAA"  # toilette, habillage, transferts B: rank 11, GIR 4
FILES = (
    (
        1,
        -5,
        GIR2,
        [
            (
                "Rester chez moi avec mon chat",
                "Passage matin et soir, aide au repas",
                "équipe du matin",
                False,
            ),
            (
                "Ne plus me perdre dans la maison",
                "Repères visuels, lumière la nuit",
                "infirmière référente",
                True,
            ),
        ],
    ),
    (
        2,
        90,
        GIR4,
        [
            (
                "Refaire le marché du samedi",
                "Aide à la toilette avant 9 h",
                "aide-soignante du matin",
                False,
            ),
        ],
    ),
)


def create(db: Database) -> list[str]:
    structure = lookups.find_structure(db, SSIAD)
    if structure is None:
        return []
    people = [p for p in lookups.persons(db, structure["id"]) if p.get("status") == "active"]
    today = date.today()
    for index, days, grid, objectives in FILES:
        if index >= len(people):
            continue
        person = people[index]
        values = {
            "person_id": person["id"],
            "structure_id": structure["id"],
            "review_on": (today + timedelta(days=days)).isoformat(),
            "agreed_on": (today - timedelta(days=180)).isoformat(),
            "agreed_how": "entretien",
            "agreed_by": "la personne elle-même",
            "author_label": "Inès Roussel (ines.coordination)",
        }
        items = [
            {"words": w, "actions": a, "who": who, "care": care} for w, a, who, care in objectives
        ]
        # the plan was written with the person the day she agreed to it, not the day of the demo
        written = f"{values['agreed_on']}T09:00:00+00:00"
        storage.insert_plan(db, values, items, written)
        answers = dict(zip((i.code for i in AGGIR.items), grid, strict=True))
        storage.insert_assessment(
            db,
            {
                "person_id": person["id"],
                "structure_id": structure["id"],
                "questionnaire": "aggir",
                "answered_on": (today - timedelta(days=30)).isoformat(),
                "respondent": "personne",
                "respondent_name": "",
                "filled_by_label": "Paul Girard (paul.infirmier)",
                "responses": answers,
                "result": AGGIR.result(answers),
                "created_at": utcnow_iso(),
            },
        )
    return []

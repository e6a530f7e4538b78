"""Fixtures of the person's file: the accounts' small world (structures a/b, every role, p1/p2)."""

from __future__ import annotations

from tests.accounts.conftest import (  # noqa: F401
    _world_template,
    app,
    bearer,
    client,
    csrf_from,
    login,
    world,
)

AGGIR_GIR2 = dict.fromkeys(
    [
        "coherence",
        "orientation",
        "toilette",
        "habillage",
        "alimentation",
        "elimination",
        "transferts",
        "deplacement_interieur",
        "deplacement_exterieur",
        "communication",
    ],
    "A",
) | {"coherence": "C", "orientation": "C"}

PLAN = {
    "objectives": [
        {
            "words": "Rester chez moi le plus longtemps possible",
            "actions": "Passage matin et soir",
            "who": "aide-soignante du matin",
        },
        {
            "words": "Que mes pansements cicatrisent",
            "actions": "Pansement tous les deux jours",
            "who": "infirmière",
            "care": True,
        },
    ],
    "review_on": "2027-01-15",
    "agreed_on": "2026-12-01",
    "agreed_how": "entretien",
    "agreed_by": "Mme Durand elle-même",
}


def write_plan(http, the_world, name="coord_a", person="p1", body=None):
    return http.post(
        f"/api/v1/persons/{the_world.persons[person]}/dossier/plan",
        json=body or PLAN,
        headers=bearer(the_world, name),
    )


def write_assessment(http, the_world, name="coord_a", person="p1", **extra):
    body = {
        "questionnaire": "aggir",
        "answers": AGGIR_GIR2,
        "answered_on": "2026-12-01",
        "respondent": "personne",
        **extra,
    }
    return http.post(
        f"/api/v1/persons/{the_world.persons[person]}/dossier/assessments",
        json=body,
        headers=bearer(the_world, name),
    )

"""The demo territory's entourage (``virage demo``): for one person of Paul's care team at the
SSIAD du Val-de-Loue, a trusted person, a daughter who may know the organisation, an allergy and
a treatment declared long ago (so that her DLU says what to check). All fictitious."""

from __future__ import annotations

from datetime import date, timedelta

from virage.accounts import lookups
from virage.db import Database, transaction
from virage.entourage import storage

NURSE = "paul.infirmier"


def create(db: Database) -> list[str]:
    nurse = lookups.user_by_username(db, NURSE)
    if nurse is None:
        return []
    team = [p for p in lookups.care_teams_of_user(db, nurse["id"]) if p.get("structure")]
    if len(team) < 2:
        return []
    person = lookups.person(db, team[-1]["id"])  # the first ones stay empty, for the tour
    if person is None or person["status"] != "active":
        return []
    today = date.today()
    entries = [
        {
            "kind": "trusted_person",
            "name": "Hélène Vasseur",
            "relation": "fille",
            "phone": "06 00 00 00 01",
            "declared_on": (today - timedelta(days=400)).isoformat(),
        },
        {
            "kind": "relative",
            "name": "Bruno Vasseur",
            "relation": "gendre",
            "may_know": "organisation",
            "declared_on": (today - timedelta(days=400)).isoformat(),
        },
        {
            "kind": "allergy",
            "detail": "Pénicilline",
            "extra": "œdème",
            "source": "medecin",
            "declared_on": (today - timedelta(days=60)).isoformat(),
        },
        {
            "kind": "treatment",
            "detail": "Paracétamol 1 g",
            "extra": "si douleur, 3 fois par jour au plus",
            "source": "ordonnance",
            "declared_on": (today - timedelta(days=240)).isoformat(),
        },
    ]
    with transaction(db):
        for entry in entries:
            storage.add(
                db, person["structure_id"], person["id"], entry, nurse["id"], "démonstration"
            )
    return [
        f"Entourage et DLU : {person['given_names']} {person['family_name']} "
        f"(/personnes/{person['id']}/dlu, {NURSE})."
    ]

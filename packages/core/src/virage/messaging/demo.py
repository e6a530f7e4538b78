"""The demo territory's conversation (``virage demo``): Paul, nurse at the SSIAD, and Thomas,
coordinator of the EHPAD Les Tilleuls, about a person of Paul's care team being admitted to the
EHPAD — with her consent recorded in her file. All fictitious."""

from __future__ import annotations

from datetime import date, timedelta

from virage.accounts import lookups
from virage.db import Database, transaction
from virage.messaging import storage

NURSE = "paul.infirmier"
PARTNER = "thomas.idec"
MESSAGES = (
    (
        NURSE,
        "Bonjour Thomas, l'entrée est prévue lundi. Je vous transmets l'essentiel : toilette avec "
        "aide, se lève seule avec le déambulateur, rendez-vous d'ophtalmologie le 14.",
    ),
    (PARTNER, "Merci Paul. La chambre 12 est prête. Pouvez-vous passer la veille à domicile ?"),
    (NURSE, "Oui, dimanche vers 10 h. Sa fille sera là pour les affaires."),
)


def _structure_of(db: Database, user_id: int) -> int | None:
    for s in lookups.structures(db):
        if user_id in lookups.member_ids(db, s["id"]):
            return s["id"]
    return None


def create(db: Database) -> list[str]:
    nurse = lookups.user_by_username(db, NURSE)
    partner = lookups.user_by_username(db, PARTNER)
    if nurse is None or partner is None:
        return []
    team = [p for p in lookups.care_teams_of_user(db, nurse["id"]) if p.get("structure")]
    if not team:
        return []
    person = lookups.person(db, team[0]["id"])
    partner_structure = _structure_of(db, partner["id"])
    if person is None or partner_structure is None:
        return []
    labels = {
        NURSE: f"{nurse['display_name']} ({NURSE})",
        PARTNER: f"{partner['display_name']} ({PARTNER})",
    }
    ids = {NURSE: nurse["id"], PARTNER: partner["id"]}
    with transaction(db):
        storage.add_consent(
            db,
            {
                "structure_id": person["structure_id"],
                "person_id": person["id"],
                "partner_structure_id": partner_structure,
                "expressed_on": (date.today() - timedelta(days=3)).isoformat(),
                "recorded_by": nurse["id"],
                "recorded_by_label": labels[NURSE],
            },
        )
        tid = storage.create_thread(
            db,
            person["structure_id"],
            person["id"],
            "Entrée à l'EHPAD lundi",
            False,
            nurse["id"],
            labels[NURSE],
        )
        row = storage.thread(db, tid)
        storage.add_participant(db, row, nurse["id"], person["structure_id"], nurse["id"])
        storage.add_participant(db, row, partner["id"], partner_structure, nurse["id"])
        for who, body in MESSAGES:
            storage.add_post(db, row, ids[who], labels[who], body)
            other = PARTNER if who == NURSE else NURSE
            if body is not MESSAGES[-1][1]:
                storage.mark_read(db, row, ids[other])
    return [f"Messagerie : {NURSE} et {PARTNER}, conversation /messages/{tid}."]

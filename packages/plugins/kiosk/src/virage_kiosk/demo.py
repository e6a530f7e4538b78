"""The demo territory's reception (``virage demo``): a hall, one service without appointment and
one kiosk at the SSIAD du Val-de-Loue, enrolled by its director. The kiosk's activation code is
derived from the seed, so that the same seed gives the same demo, and printed with the logins:
like the demo's shared password, it opens nothing but fictitious data (and a kiosk shows none)."""

from __future__ import annotations

import hashlib

from virage.sdk import Database, accounts, transaction
from virage_kiosk import clock, storage
from virage_kiosk.tokens import credential_hash

STRUCTURE = "SSIAD du Val-de-Loue"
DIRECTOR = "claire.direction"


def create(db: Database, seed: int) -> list[str]:
    structure = accounts.find_structure(db, STRUCTURE)
    director = accounts.user_by_username(db, DIRECTOR)
    if structure is None or director is None:
        return []
    sid = structure["id"]
    secret = hashlib.sha256(f"virage-demo-kiosk:{seed}".encode()).hexdigest()[:32]
    with transaction(db):
        storage.add_place(db, sid, "Hall d'accueil", "Rez-de-chaussée", "")
        hall = storage.places(db, sid)[-1]["id"]
        storage.add_service(db, sid, "Prendre un rendez-vous", "Make an appointment", hall)
        storage.add_device(
            db,
            {
                "structure_id": sid,
                "place_id": hall,
                "kind": "kiosk",
                "name": "Hall d'accueil",
                "secret_hash": credential_hash(secret),
                "created_by": director["id"],
                "created_at": clock.now_iso(),
            },
        )
    return [
        f"Borne d'accueil ({STRUCTURE}) : ouvrez /borne/activer et collez le code « {secret} » ; "
        f"la file de l'accueil est dans « Accueil et bornes » (lea.secretariat, {DIRECTOR})."
    ]

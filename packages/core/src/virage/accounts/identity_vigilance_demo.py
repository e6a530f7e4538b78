"""Identity vigilance in the demo territory (``virage demo``): identities at every status, and a
duplicate to merge.

Runs last (``trylast``), once every other part of the demo has picked its persons: the records
it adds cannot shift the persons the tour and the other demo parts chose.

- most active persons are **validated** on a document checked months ago (identity card, most of
  the time; a passport, a residence permit; at the EHPAD, one direct admission on a family record
  book with the carte Vitale — the EHPAD exception), by the structure's secretariat or
  coordination; many of them have a fictitious INS retrieved through INSi, hence **qualified**;
- some stay **provisional**, among them one person of the SSIAD du Val-de-Loue left so on
  purpose (her document is to be seen at the next visit); one at the SAAD has an INS retrieved
  but no document checked yet (**récupérée**);
- at the SSIAD, the secretariat created a second record of one person, typed without the accents
  (or under her birth name), with a neighbour's phone as contact: the duplicates page shows the
  pair, for the coordination or the direction to merge.

Everything is fictitious and derived from the demo's seed. The INS numbers are invented (their key
is computed like a real NIR's, so that the forms accept them); they belong to nobody.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import timedelta

from virage.accounts import identity_vigilance_storage as store
from virage.accounts import storage
from virage.db import Database, transaction, utcnow

SSIAD = "SSIAD du Val-de-Loue"
#: Who checks identities, per structure (the labels the pages show).
CHECKERS = {
    SSIAD: "Léa Moreau (lea.secretariat)",
    "SAAD Aide et Présence": "Marie Dubois (marie.saad)",
    "EHPAD Les Tilleuls": "Thomas Renaud (thomas.idec)",
    "Service social départemental — MDS de Loue": "Léa Moreau (lea.secretariat)",
}
#: The SSIAD person left provisional on purpose (rank by id among the structure's active persons).
LEFT_PROVISIONAL = 3
DUPLICATE_CONTACT = {"name": "Mme Petit", "relation": "voisine", "phone": "06 12 34 56 78"}


def fictitious_nir(person: dict, rank: int) -> str:
    """A made-up NIR for this person (sex, birth year and month, the Jura, a rank) and its key."""
    year, month = person["birth_date"][2:4], person["birth_date"][5:7]
    body = f"{1 if person['sex'] == 'M' else 2}{year}{month}39{300 + rank % 600:03d}{rank:03d}"
    return f"{body}{97 - int(body) % 97:02d}"


def _when(rng: random.Random) -> str:
    """A moment in the past months, stored like the application's own timestamps."""
    moment = utcnow() - timedelta(days=rng.randint(20, 400), minutes=rng.randint(0, 600))
    return moment.replace(microsecond=0).isoformat()


def _document(rng: random.Random) -> str:
    draw = rng.random()
    return "carte_identite" if draw < 0.75 else "passeport" if draw < 0.92 else "titre_sejour"


def _statuses(db: Database, rng: random.Random, structure: dict, people: list[dict]) -> None:
    checker = CHECKERS[structure["name"]]
    ssiad = structure["name"] == SSIAD
    ehpad = (structure.get("kind") or "").upper() == "EHPAD"
    for rank, person in enumerate(people):
        provisional = (ssiad and rank == LEFT_PROVISIONAL) or rng.random() < 0.15
        with_ins = rng.random() < 0.7
        if provisional:
            if not ssiad and with_ins and rank % 2:  # INS retrieved, no document yet: récupérée
                storage.update_person(
                    db, person["id"], {"ins_nir": fictitious_nir(person, person["id"])}
                )
                store.set_ins_retrieved(db, person["id"], structure["id"], checker, at=_when(rng))
            continue
        document = "livret_famille_vitale" if ehpad and rank == 0 else _document(rng)
        validated_at = _when(rng)
        store.set_validated(db, person["id"], structure["id"], document, checker, at=validated_at)
        if with_ins:
            storage.update_person(
                db, person["id"], {"ins_nir": fictitious_nir(person, person["id"])}
            )
            store.set_ins_retrieved(db, person["id"], structure["id"], checker, at=validated_at)


def _plain(text: str | None) -> str | None:
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _duplicate(db: Database, structure: dict, people: list[dict]) -> int | None:
    """A second record of one person, typed otherwise: without the accents when her name has
    some, else under her birth name, else in capitals. Created last, provisional."""

    def accented(p: dict) -> bool:
        return _plain(p["family_name"] + p["given_names"]) != p["family_name"] + p["given_names"]

    pool = list(reversed(people))  # the last ones: the first ones are the tour's
    original = next(
        (p for p in pool if accented(p)),
        next((p for p in pool if p.get("birth_name")), pool[0] if pool else None),
    )
    if original is None:
        return None
    full = storage.get_person(db, original["id"])
    if accented(full):
        names = {
            "family_name": _plain(full["family_name"]),
            "birth_name": _plain(full.get("birth_name")),
            "given_names": _plain(full["given_names"]),
        }
    elif full.get("birth_name"):
        names = {"family_name": full["birth_name"], "birth_name": None}
    else:
        names = {"family_name": full["family_name"].upper()}
    record = {
        **{k: full.get(k) for k in ("given_names", "birth_date", "sex", "address", "postcode")},
        "city": full.get("city"),
        **names,
        "phone": None,
        "contacts": [DUPLICATE_CONTACT],
        "health_notes": "",
    }
    return storage.create_person(db, structure["id"], record)


def create(db: Database, seed: int) -> list[str]:
    rng = random.Random(f"identitovigilance-{seed}")
    with transaction(db):
        for name in CHECKERS:
            structure = storage.find_structure(db, name)
            if structure is None:
                continue
            people = sorted(
                storage.list_persons(db, structure["id"], limit=1000), key=lambda p: p["id"]
            )
            _statuses(db, rng, structure, people)
            if name == SSIAD and len(people) > LEFT_PROVISIONAL + 1:
                _duplicate(db, structure, people)
    return []

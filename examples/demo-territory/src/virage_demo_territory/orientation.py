"""Demo data of orientation: fictitious, reproducible, read from the demo database by name.

- the hospital discharge team gets a doctor (``dr.morel``, coordinator role: the medical author)
  and a hospitalised person whose care team includes ``sarah.sortie``;
- two more fictitious EHPADs in the demo directory, with network fields (protected unit);
- the tenant "EHPAD Les Tilleuls" is linked to its directory entry, and places are declared;
- more hospitalised persons, with requests in every state of the answer cycle (see
  :mod:`virage_demo_territory.orientation_requests`). Mme Yvonne Garnier has none: the guided
  tour orients her live.
"""

from __future__ import annotations

import json
import random

from virage_orientation import storage

from virage.sdk import accounts, directory
from virage_demo_territory import orientation_requests
from virage_demo_territory.directory import finess_number
from virage_demo_territory.people import DEMO_PASSWORD

SOURCE = "demo-orientation"
# name, commune (demo directory), address, network fields
EXTRA_EHPADS = [
    (
        "EHPAD Les Glycines",
        "Montigny-le-Haut",
        "4 rue des Glycines",
        {"Places": "72", "Unité protégée": "oui (12 places)", "Aide sociale": "habilité"},
    ),
    (
        "EHPAD Le Clos Fleuri",
        "Villers-sous-Bois",
        "18 route de Bellevaux",
        {"Places": "56", "Unité protégée": "oui (10 places)"},
    ),
]
PLACES = {
    "EHPAD Les Tilleuls": 2,
    "EHPAD Les Glycines": 1,
    "EHPAD Le Clos Fleuri": 0,
    "EHPAD Saint-Étienne": 3,
}


def _directory_entry(db, name: str) -> dict | None:
    result = directory.search_structures(
        db, directory.SearchParams(q=name, categories=["500"], per_page=5)
    )
    return next((r for r in result.results if r["name"] == name), None)


def create(db, seed: int, plugins) -> list[str]:
    rng = random.Random(seed)
    tilleuls = _directory_entry(db, "EHPAD Les Tilleuls")
    if tilleuls is None:  # the directory demo is not there: nothing to orient to
        return []
    for i, (name, city, address, extra) in enumerate(EXTRA_EHPADS):
        commune = directory.resolve_commune(db, city)
        directory.insert_structure(
            db,
            {
                "kind": "ET",
                "finess": finess_number(f"3909900{i + 1}"),
                "name": name,
                "category_code": "500",
                "category_label": tilleuls["category_label"],
                "address_line": address,
                "postcode": commune["postcode"],
                "city": commune["name"],
                "commune_code": commune["code"],
                "departement": commune["departement"],
                "lat": round(commune["lat"] + rng.uniform(-0.003, 0.003), 6),
                "lon": round(commune["lon"] + rng.uniform(-0.003, 0.003), 6),
                "phone": f"03530{rng.randint(10000, 99999)}",
                "status": "open",
                "source": SOURCE,
            },
            extra=extra,
        )
    extra = dict(json.loads(directory.structure(db, tilleuls["id"])["extra"]))
    extra.setdefault("Unité protégée", "oui (14 places)")
    directory.set_structure_extra(db, tilleuls["id"], extra)
    directory.refresh_communes(db)
    for name, count in PLACES.items():
        entry = _directory_entry(db, name)
        if entry:
            storage.set_places(db, entry["id"], "ehpad", count)
    ehpad = accounts.find_structure(db, "EHPAD Les Tilleuls")
    if ehpad:
        storage.link(db, ehpad["id"], tilleuls["id"])
    glycines = _directory_entry(db, "EHPAD Les Glycines")
    if glycines:
        gid = accounts.create_structure(
            db, "EHPAD Les Glycines", "EHPAD", commune="Montigny-le-Haut"
        )
        storage.link(db, gid, glycines["id"])
        accounts.create_user(
            db,
            username="marc.glycines",
            display_name="Marc Lefèvre",
            password=DEMO_PASSWORD,
            structure_id=gid,
            role="coordinator",
            profession="Infirmier coordinateur",
        )
    hospital = next(
        (s for s in accounts.structures(db) if s["kind"] == "Centre hospitalier"),
        None,
    )
    sarah = accounts.user_by_username(db, "sarah.sortie")
    if hospital is None or sarah is None:
        return ["Orientation : EHPAD fictifs et places déclarées ajoutés à l'annuaire."]
    doctor = accounts.create_user(
        db,
        username="dr.morel",
        display_name="Dr Claire Morel",
        password=DEMO_PASSWORD,
        structure_id=hospital["id"],
        role="coordinator",
        profession="Médecin gériatre",
    )
    person = accounts.create_person(
        db,
        hospital["id"],
        {
            "family_name": "Garnier",
            "birth_name": "Roux",
            "given_names": "Yvonne",
            "birth_date": "1936-05-14",
            "sex": "F",
            "city": "Loue-la-Vallée",
            "postcode": "39600",
            "health_notes": "Hospitalisée en médecine gériatrique après une chute.",
        },
    )
    accounts.add_to_care_team(db, person, sarah["id"], doctor)
    accounts.add_to_care_team(db, person, doctor, doctor)
    return [
        "Orientation : dr.morel (médecin de l'équipe de sortie) complète les volets médicaux ; "
        "sarah.sortie oriente Mme Yvonne Garnier ; thomas.idec (EHPAD Les Tilleuls) et "
        "marc.glycines (EHPAD Les Glycines) répondent.",
        *orientation_requests.create(db, rng, plugins, hospital["id"]),
    ]

"""Synthetic FINESS JSON flux « Structures », for tests and benchmarks (``scripts/bench-directory``).

Every entity, establishment, number, address and phone is invented: names are built from common
words, establishments gather around the centres of invented communes of mainland France. The shape
follows the real ANS sample (``data/finess-structures-sample-20260309.json``): legal entities in
``pmej[]``, each with its establishments in ``ege[]``, the fields the reader uses, and some it
reads past (events, engagements). The file is written entity by entity, never held whole in
memory.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: Category code, weight, the word names start with (as in real registries).
CATEGORIES = [
    ("500", 30, "EHPAD"),
    ("354", 10, "SSIAD"),
    ("460", 15, "SAAD"),
    ("209", 3, "SPASAD"),
    ("202", 6, "RESIDENCE AUTONOMIE"),
    ("620", 20, "PHARMACIE"),
    ("124", 4, "CENTRE DE SANTE"),
    ("603", 4, "MAISON DE SANTE"),
    ("355", 2, "CENTRE HOSPITALIER"),
    ("183", 3, "IME"),
    ("246", 3, "ESAT"),
    ("156", 2, "CMP"),
]
NAMES = [
    "LES TILLEULS",
    "LES LILAS",
    "SAINT-ETIENNE",
    "SAINTE-ANNE",
    "SAINT-JOSEPH",
    "LES GLYCINES",
    "LE VERGER",
    "LES CEDRES",
    "LA ROSERAIE",
    "LES PEUPLIERS",
    "LE MOULIN",
    "LA SOURCE",
    "LES JARDINS",
    "BEL AIR",
    "BEAUSEJOUR",
    "NOTRE-DAME",
    "LES MARRONNIERS",
    "L'ALBIZIA",
    "LA FONTAINE",
    "LES HIRONDELLES",
    "VAL FLEURI",
    "LES MAGNOLIAS",
    "LE CLOS",
    "LES CHARMILLES",
    "PASTEUR",
    "JEAN JAURES",
    "VICTOR HUGO",
    "LA PROVIDENCE",
    "LES BLEUETS",
    "LE PARC",
]
SYLLABLES = ["bel", "mont", "val", "rou", "san", "vil", "lar", "cour", "beau", "fon", "ta", "ri"]
SYLLABLES += ["mar", "cha", "lon", "ber", "nac", "mi", "gny", "sur"]
_WEIGHTS = [w for _c, w, _n in CATEGORIES]


def finess_number(departement: int, serial: int) -> str:
    """A FINESS-shaped number: département, 6 serial digits, a check digit (Luhn)."""
    body = f"{departement:02d}{serial % 1_000_000:06d}"
    total = 0
    for i, ch in enumerate(reversed(body)):
        digit = int(ch) * (2 if i % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return body + str((10 - total % 10) % 10)


def _commune(departement: int, number: int) -> tuple[str, float, float]:
    """Name and centre of a commune, always the same for the same code."""
    rng = random.Random(departement * 1000 + number)
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).upper()
    name = f"SAINT-{name}" if rng.random() < 0.15 else name
    return name, rng.uniform(42.6, 50.9), rng.uniform(-4.4, 7.9)


def _address(rng: random.Random, departement: int, usage: str) -> dict[str, Any]:
    number = rng.randint(1, 300)
    commune = f"{departement:02d}{number:03d}"
    city, lat, lon = _commune(departement, number)
    return {
        "usageAdresse": usage,
        "numeroVoie": str(rng.randint(1, 200)),
        "typeVoie": rng.choice(["R", "AV", "BD", "PL", "CHE"]),
        "libelleVoie": f"DES {rng.choice(NAMES).split()[-1]}",
        "cogCommune": commune,
        "ligneAcheminement": city,
        "codePostal": f"{departement:02d}{rng.randint(0, 999):03d}",
        "coordonneesGeographique": {
            "directionLatitude": f"{lat + rng.uniform(-0.03, 0.03):.6f}",
            "directionLongitude": f"{lon + rng.uniform(-0.04, 0.04):.6f}",
        },
    }


def _events(rng: random.Random, kind: str, ident: str) -> list[dict[str, str]]:
    return [
        {
            "evenementId": str(rng.randint(1, 10**7)),
            "dateEnregistrement": "2025-10-21 18:36:29",
            "dateEvenement": f"{rng.randint(1960, 2024)}-01-01",
            "typeObjet1": kind,
            "identifiantObjet1": ident,
            "codeEvenement": "001",
        }
        for _ in range(rng.randint(1, 3))
    ]


def entity(rng: random.Random, index: int, establishments: int) -> dict[str, Any]:
    """One legal entity (``pmej`` item) with ``establishments`` establishments."""
    departement = index % 95 + 1 if index % 95 + 1 != 20 else 21
    ej = finess_number(departement, 900_000 - index)
    name = f"ASSOCIATION {rng.choice(NAMES)} {index}"
    ege = []
    for k in range(establishments):
        code, _weight, word = rng.choices(CATEGORIES, _WEIGHTS)[0]
        et_name = f"{word} {rng.choice(NAMES)}"
        address = _address(rng, departement, "03")
        if rng.random() < 0.3:
            et_name += f" {address['ligneAcheminement']}"
        ege.append(
            {
                "informationsGeneralesEGE": {
                    "egeId": f"{index}-{k}",
                    "dateOuverture": f"{rng.randint(1960, 2024)}-0{rng.randint(1, 9)}-01",
                    "nomEgeCourt": et_name[:38],
                    "nomEgeLong": f"{et_name} {k}",
                    "numFinessEge": finess_number(departement, index * 8 + k),
                    "siret": f"{rng.randint(10**13, 10**14 - 1)}",
                },
                "categorieentiteGeographiqueExercice": code,
                "adresse": [address],
                "contact": [{"telecom": {"telephone": f"0{rng.randint(100000000, 599999999)}"}}],
                "engagement": [],
                "evenement": _events(rng, "EG", f"{index}-{k}"),
                "roleEge": [],
                "etatObjet": "A" if rng.random() > 0.05 else "I",
                "dateDerniereMaj": "2025-10-21 00:00:00",
            }
        )
    return {
        "informationsGeneralesPMEJ": {
            "pmSmsseId": str(index),
            "dateCreation": "2001-01-01",
            "denominationLonguePmSmsse": name,
            "denominationPm": name[:38],
            "numFinessPm": ej,
            "statutJuridique": rng.choice(["60", "61", "73", "13"]),
            "typePersonneMorale": "01",
        },
        "adresse": [_address(rng, departement, "02")],
        "contact": [],
        "engagement": [],
        "evenement": _events(rng, "PM", str(index)),
        "ege": ege,
        "etatObjet": "A" if rng.random() > 0.05 else "I",
        "dateDerniereMaj": "2025-10-21 00:00:00",
    }


def entities(structures: int, seed: int = 2026) -> Iterator[dict[str, Any]]:
    """Legal entities with 0 to 5 establishments each, ``structures`` structures (EJ + ET) in all."""
    rng = random.Random(seed)
    left, index = structures, 0
    while left > 0:
        count = min(left - 1, rng.choice([0, 1, 1, 2, 2, 3, 5]))
        yield entity(rng, index, count)
        left -= 1 + count
        index += 1


def write_flux(
    path: Path, structures: int, *, seed: int = 2026, one_line: bool = False
) -> dict[str, int]:
    """Write a synthetic flux of ``structures`` structures to ``path``; return the counts.

    ``one_line=True`` writes the whole document without a line break (compact JSON); otherwise it
    is indented like the ANS files (CRLF line endings, ``" : "`` separators).
    """
    counts = {"EJ": 0, "ET": 0}
    indent = None if one_line else 2
    separators = (",", ":") if one_line else (",", " : ")
    newline = "" if one_line else "\r\n"
    with Path(path).open("w", encoding="utf-8", newline="") as f:
        f.write('{"schemaVersion" : "v1.0.0", "generatedAt" : "2026-03-09T15:49:37Z",')
        f.write(f'{newline}"gcc" : [ ], "gco" : [ ],{newline}"pmej" : [')
        for i, item in enumerate(entities(structures, seed)):
            counts["EJ"] += 1
            counts["ET"] += len(item["ege"])
            text = json.dumps(item, ensure_ascii=False, indent=indent, separators=separators)
            f.write(("," if i else "") + newline + text.replace("\n", newline))
        f.write(f"{newline}]{newline}}}{newline}")
    return counts

"""A fictitious directory around the demo territory (Val-de-Loue).

Everything here is invented: communes (INSEE codes 399xx do not exist), FINESS numbers (prefix 399,
with a valid key), RPPS numbers (prefix 1999), phone numbers in the ranges the French regulator
reserves for fiction (03 53 01 xx xx, 06 39 98 xx xx), MSSanté addresses under ``.example``.
The real FINESS sample can be imported on top of it (the FINESS plugin does so in the demo).
"""

from __future__ import annotations

import json
import random

from virage.sdk import Database, accounts, directory

SOURCE = "demo"

# code INSEE, name, postcode, lat, lon
COMMUNES = {
    "loue": ("39901", "Loue-la-Vallée", "39600", 46.9981, 5.8012),
    "aubin": ("39902", "Saint-Aubin-sur-Loue", "39610", 47.0334, 5.8821),
    "montigny": ("39903", "Montigny-le-Haut", "39620", 46.9502, 5.7198),
    "villers": ("39904", "Villers-sous-Bois", "39630", 46.9755, 5.9047),
    "chaumont": ("39905", "Chaumont-la-Rivière", "39640", 47.0811, 5.7593),
    "bellevaux": ("39906", "Bellevaux", "39650", 46.8720, 5.8512),
}

# key, legal status, name
LEGAL_ENTITIES = [
    ("asso", "60", "Association Aide et Soins du Val-de-Loue"),
    ("tilleuls", "21", "EHPAD Les Tilleuls"),
    ("ch", "13", "Centre hospitalier de Loue"),
    ("fondation", "63", "Fondation Saint-Étienne"),
    ("mutualite", "60", "Mutualité de la Loue"),
    ("chaumont", "04", "Commune de Chaumont-la-Rivière"),
    ("adapei", "61", "ADAPEI du Val-de-Loue"),
    ("pharmacie", "72", "SARL Pharmacie du Pont"),
    ("sisa", "72", "SISA Maison de santé de Loue"),
]

# key, legal entity, category, name, commune, address, extra, closed
ESTABLISHMENTS = [
    (
        "ssiad",
        "asso",
        "354",
        "SSIAD du Val-de-Loue",
        "loue",
        "12 rue des Écoles",
        {
            "Places": "62 (dont 10 en équipe spécialisée Alzheimer)",
            "Zone d'intervention": "Loue-la-Vallée, Saint-Aubin-sur-Loue, Montigny-le-Haut",
            "Spécialités": "Équipe spécialisée Alzheimer (ESA), soins de nuit",
        },
        None,
    ),
    (
        "saad",
        "asso",
        "460",
        "SAAD Aide et Présence",
        "loue",
        "12 rue des Écoles",
        {"Zone d'intervention": "Tout le Val-de-Loue", "Horaires": "7 h – 21 h, 7 jours sur 7"},
        None,
    ),
    (
        "spasad",
        "asso",
        "209",
        "SPASAD des Deux Rivières",
        "villers",
        "3 place de la Mairie",
        {"Zone d'intervention": "Villers-sous-Bois, Bellevaux"},
        None,
    ),
    (
        "tilleuls",
        "tilleuls",
        "500",
        "EHPAD Les Tilleuls",
        "aubin",
        "5 allée des Tilleuls",
        {"Places": "84 dont 14 en unité protégée", "Hébergement temporaire": "4 places"},
        None,
    ),
    (
        "tilleuls-jour",
        "tilleuls",
        "207",
        "Accueil de jour Les Tilleuls",
        "aubin",
        "5 allée des Tilleuls",
        {"Places": "10 par jour"},
        None,
    ),
    (
        "ch",
        "ch",
        "355",
        "Centre hospitalier de Loue",
        "loue",
        "1 avenue de l'Hôpital",
        {"Spécialités": "Urgences, médecine gériatrique, SMR"},
        None,
    ),
    (
        "had",
        "ch",
        "127",
        "HAD du Val-de-Loue",
        "loue",
        "1 avenue de l'Hôpital",
        {"Zone d'intervention": "30 km autour de Loue-la-Vallée"},
        None,
    ),
    ("cmp", "ch", "156", "CMP adultes de Loue", "loue", "8 rue Pasteur", {}, None),
    (
        "st-etienne",
        "fondation",
        "500",
        "EHPAD Saint-Étienne",
        "aubin",
        "2 rue de l'Abbaye",
        {"Places": "60"},
        None,
    ),
    (
        "st-etienne-ra",
        "fondation",
        "202",
        "Résidence autonomie Saint-Étienne",
        "aubin",
        "2 rue de l'Abbaye",
        {},
        None,
    ),
    (
        "ssiad-montigny",
        "mutualite",
        "354",
        "SSIAD de Montigny-le-Haut",
        "montigny",
        "4 chemin du Moulin",
        {"Places": "35", "Zone d'intervention": "Montigny-le-Haut, Chaumont-la-Rivière"},
        None,
    ),
    (
        "csi",
        "mutualite",
        "124",
        "Centre de santé infirmier de Villers",
        "villers",
        "10 rue du Lavoir",
        {},
        None,
    ),
    (
        "riviere",
        "chaumont",
        "500",
        "EHPAD La Rivière",
        "chaumont",
        "1 quai de la Loue",
        {},
        "2024-06-30",
    ),
    (
        "ime",
        "adapei",
        "183",
        "IME Les Coquelicots",
        "bellevaux",
        "20 route de Saint-Aubin",
        {},
        None,
    ),
    (
        "sessad",
        "adapei",
        "182",
        "SESSAD Les Coquelicots",
        "bellevaux",
        "20 route de Saint-Aubin",
        {},
        None,
    ),
    ("esat", "adapei", "246", "ESAT de Bellevaux", "bellevaux", "ZA des Prés", {}, None),
    ("mas", "adapei", "255", "MAS Le Verger", "montigny", "7 impasse des Vignes", {}, None),
    ("pharmacie", "pharmacie", "620", "Pharmacie du Pont", "loue", "2 place du Pont", {}, None),
    (
        "msp",
        "sisa",
        "603",
        "Maison de santé pluriprofessionnelle de Loue",
        "loue",
        "14 rue de la Fontaine",
        {"Horaires": "8 h – 20 h du lundi au samedi"},
        None,
    ),
]

# username (demo account, or None), civility, given, family, profession, specialty, roles
PROFESSIONALS = [
    (
        "ines.coordination",
        "Mme",
        "Inès",
        "Roussel",
        "60",
        None,
        [("ssiad", "Infirmière coordinatrice (IDEC)")],
    ),
    ("nadia.nuit", "Mme", "Nadia", "Benali", "60", None, [("ssiad", "Infirmière salariée")]),
    ("paul.infirmier", "M.", "Paul", "Girard", "60", None, [("ssiad", "Infirmier salarié")]),
    ("amina.ide", "Mme", "Amina", "Diallo", "60", None, [("tilleuls", "Infirmière salariée")]),
    ("thomas.idec", "M.", "Thomas", "Renaud", "60", None, [("tilleuls", "Infirmier coordinateur")]),
    (None, "Dr", "Élise", "Marchetti", "10", "Médecine générale", [("msp", "Médecin libéral")]),
    (None, "Dr", "Karim", "Ouali", "10", "Médecine générale", [("msp", "Médecin libéral")]),
    (
        None,
        "Dr",
        "Anne",
        "Lefèvre",
        "10",
        "Gériatrie",
        [("ch", "Médecin salariée"), ("tilleuls", "Médecin coordonnatrice")],
    ),
    (None, "Dr", "Julien", "Morel", "10", "Psychiatrie", [("cmp", "Psychiatre salarié")]),
    (None, "Mme", "Chloé", "Bernard", "60", None, [("msp", "Infirmière libérale")]),
    (
        None,
        "M.",
        "Antoine",
        "Faivre",
        "60",
        None,
        [("csi", "Infirmier salarié"), ("msp", "Infirmier libéral")],
    ),
    (None, "Mme", "Sandrine", "Petitjean", "60", None, [("csi", "Infirmière salariée")]),
    (None, "M.", "Hugo", "Cuenot", "70", None, [("msp", "Masseur-kinésithérapeute libéral")]),
    (None, "Mme", "Lucie", "Vuillemin", "70", None, [("ssiad-montigny", "Kinésithérapeute")]),
    (None, "M.", "Bruno", "Jeanningros", "21", None, [("pharmacie", "Pharmacien titulaire")]),
    (None, "Mme", "Sophie", "Grandjean", "94", None, [("had", "Ergothérapeute")]),
    (None, "Mme", "Claire", "Monnier", "50", None, [("msp", "Sage-femme libérale")]),
    (None, "M.", "Marc", "Bourgeois", "91", None, [("ime", "Orthophoniste salarié")]),
    (None, "Mme", "Laure", "Pernin", "10", "Médecine générale", [("msp", "Médecin libérale")]),
    (None, "Mme", "Émilie", "Tissot", "60", None, [("ssiad-montigny", "Infirmière coordinatrice")]),
]


def finess_number(body: str) -> str:
    """A FINESS number from its first eight characters: the ninth is the Luhn key."""
    return body + directory.luhn_key(body)


def _finess(n: int) -> str:
    return finess_number(f"399{n:05d}")


def _rpps(n: int) -> str:
    body = f"1999{n:06d}"
    return body + directory.luhn_key(body)


def create(db: Database, seed: int) -> list[str]:
    rng = random.Random(seed)
    counter = iter(range(1, 1000))

    def phone(prefix: str) -> str:
        return f"{prefix}{rng.randint(0, 99):02d}{rng.randint(0, 99):02d}"

    def place(key: str, address: str | None) -> dict:
        code, name, postcode, lat, lon = COMMUNES[key]
        jitter_lat, jitter_lon = rng.uniform(-0.004, 0.004), rng.uniform(-0.004, 0.004)
        return {
            "address_line": address,
            "postcode": postcode,
            "city": name,
            "commune_code": code,
            "departement": code[:2],
            "lat": round(lat + jitter_lat, 6),
            "lon": round(lon + jitter_lon, 6),
        }

    ej_finess: dict[str, str] = {}
    main_commune = {e[1]: e[4] for e in reversed(ESTABLISHMENTS)}
    main_address = {e[1]: e[5] for e in reversed(ESTABLISHMENTS)}
    for key, status, name in LEGAL_ENTITIES:
        number = _finess(next(counter))
        ej_finess[key] = number
        directory.insert_structure(
            db,
            {
                "kind": "EJ",
                "finess": number,
                "name": name,
                "legal_status_code": status,
                "legal_status_label": directory.LEGAL_STATUSES.get(status),
                **place(main_commune[key], main_address[key]),
                "phone": phone("035301"),
                "status": "closed" if key == "chaumont" else "open",
                "closed_on": "2024-06-30" if key == "chaumont" else None,
                "opened_on": f"{rng.randint(1975, 2015)}-0{rng.randint(1, 9)}-01",
                "source": SOURCE,
            },
        )
    structure_ids: dict[str, int] = {}
    for key, ej, code, name, commune, address, extra, closed in ESTABLISHMENTS:
        structure_ids[key] = directory.insert_structure(
            db,
            {
                "kind": "ET",
                "finess": _finess(next(counter)),
                "ej_finess": ej_finess[ej],
                "name": name,
                "category_code": code,
                "category_label": directory.category_label(code),
                **place(commune, address),
                "phone": phone("035301"),
                "email": f"contact@{key}.val-de-loue.example",
                "opened_on": f"{rng.randint(1975, 2020)}-0{rng.randint(1, 9)}-01",
                "closed_on": closed,
                "status": "closed" if closed else "open",
                "source": SOURCE,
            },
            extra=extra,
        )
    for username, civility, given, family, profession, specialty, roles in PROFESSIONALS:
        rpps = _rpps(next(counter))
        role_rows, places = [], []
        for skey, function in roles:
            row = directory.structure(db, structure_ids[skey])
            role_rows.append(
                {
                    "structure_id": row["id"],
                    "finess": row["finess"],
                    "function": function,
                    "phone": row["phone"],
                    "mssante": None,
                }
            )
            places.extend([row["city"], row["postcode"]])
        first = directory.structure(db, structure_ids[roles[0][0]])
        slug = directory.fold(f"{given} {family}").lower().replace(" ", ".")
        user = accounts.user_by_username(db, username) if username else None
        directory.save_professional(
            db,
            {
                "idnps": "8" + rpps,
                "rpps": rpps,
                "civility": civility,
                "family_name": family,
                "given_name": given,
                "profession_code": profession,
                "profession_label": directory.PROFESSIONS.get(profession),
                "specialties": json.dumps(
                    [{"code": None, "label": specialty}] if specialty else [], ensure_ascii=False
                ),
                "mssante": f"{slug}@val-de-loue.mssante.example",
                "phone": phone("063998"),
                "city": first["city"],
                "commune_code": first["commune_code"],
                "departement": first["departement"],
                "lat": first["lat"],
                "lon": first["lon"],
                "status": "open",
                "source": SOURCE,
            },
            role_rows,
            places,
            user_id=user["id"] if user else None,
        )
    directory.refresh_communes(db)
    return [
        "",
        f"Annuaire : {len(LEGAL_ENTITIES) + len(ESTABLISHMENTS)} structures et "
        f"{len(PROFESSIONALS)} professionnels fictifs autour du Val-de-Loue (/annuaire).",
    ]

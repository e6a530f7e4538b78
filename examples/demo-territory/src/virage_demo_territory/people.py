"""The core's demo territory: structures, users of every role, persons with care teams.

Everything is fictitious and generated from the seed.
"""

from __future__ import annotations

import random

from virage.sdk import Database, accounts

DEMO_PASSWORD = "demo-virage-2026"

STRUCTURES = [
    ("ssiad", "SSIAD du Val-de-Loue", "SSIAD", "Loue-la-Vallée"),
    ("saad", "SAAD Aide et Présence", "SAAD", "Loue-la-Vallée"),
    ("ehpad", "EHPAD Les Tilleuls", "EHPAD", "Saint-Aubin-sur-Loue"),
    ("social", "Service social départemental — MDS de Loue", "Service social", "Loue-la-Vallée"),
    (
        "hopital",
        "Centre hospitalier de Loue — équipe de sortie",
        "Centre hospitalier",
        "Loue-la-Vallée",
    ),
]

# username, display name, profession, {structure key: role}, network admin
USERS = [
    ("admin.reseau", "Alex Martin", "Administration du réseau", {}, True),
    (
        "claire.direction",
        "Claire Fontaine",
        "Directrice",
        {"ssiad": "director", "saad": "director"},
        False,
    ),
    (
        "dpo.reseau",
        "Bruno Lefort",
        "Délégué à la protection des données",
        {"ssiad": "dpo", "saad": "dpo", "ehpad": "dpo"},
        False,
    ),
    (
        "ines.coordination",
        "Inès Roussel",
        "Infirmière coordinatrice (IDEC)",
        {"ssiad": "coordinator"},
        False,
    ),
    ("nadia.nuit", "Nadia Benali", "Infirmière de nuit", {"ssiad": "nurse"}, False),
    ("paul.infirmier", "Paul Girard", "Infirmier", {"ssiad": "nurse"}, False),
    ("sophie.matin", "Sophie Lambert", "Aide-soignante", {"ssiad": "care_assistant"}, False),
    ("lucas.as", "Lucas Perrin", "Aide-soignant", {"ssiad": "care_assistant"}, False),
    (
        "lea.secretariat",
        "Léa Moreau",
        "Secrétaire",
        {"ssiad": "secretariat", "social": "secretariat"},
        False,
    ),
    ("marie.saad", "Marie Dubois", "Responsable de secteur", {"saad": "coordinator"}, False),
    ("karim.aide", "Karim Haddad", "Aide à domicile", {"saad": "home_help"}, False),
    ("julie.social", "Julie Caron", "Assistante sociale", {"social": "social_worker"}, False),
    (
        "hugo.social",
        "Hugo Vasseur",
        "Conseiller en économie sociale et familiale",
        {"social": "social_worker"},
        False,
    ),
    ("odile.ehpad", "Odile Marchand", "Directrice d'EHPAD", {"ehpad": "director"}, False),
    ("thomas.idec", "Thomas Renaud", "Infirmier coordinateur", {"ehpad": "coordinator"}, False),
    ("amina.ide", "Amina Diallo", "Infirmière", {"ehpad": "nurse"}, False),
    (
        "sarah.sortie",
        "Sarah Nguyen",
        "Assistante sociale hospitalière",
        {"hopital": "social_worker"},
        False,
    ),
]

FAMILY = [
    "Arnaud",
    "Barbier",
    "Bertin",
    "Blanchard",
    "Bonnet",
    "Chevalier",
    "Collet",
    "Delorme",
    "Faure",
    "Garnier",
    "Gauthier",
    "Hamel",
    "Jacquet",
    "Joly",
    "Lacroix",
    "Leclerc",
    "Lemaire",
    "Marty",
    "Mercier",
    "Millet",
    "Noël",
    "Olivier",
    "Perret",
    "Poulain",
    "Renard",
    "Rey",
    "Roche",
    "Royer",
    "Tessier",
    "Vidal",
]
GIVEN_F = [
    "Jeanne",
    "Marguerite",
    "Simone",
    "Yvette",
    "Odette",
    "Paulette",
    "Germaine",
    "Colette",
    "Denise",
    "Lucienne",
    "Monique",
    "Suzanne",
]
GIVEN_M = [
    "Marcel",
    "René",
    "Roger",
    "André",
    "Lucien",
    "Raymond",
    "Gérard",
    "Bernard",
    "Henri",
    "Maurice",
    "Robert",
    "Jacques",
]
STREETS = [
    "rue des Écoles",
    "chemin du Moulin",
    "rue de la Fontaine",
    "place de l'Église",
    "route de Saint-Aubin",
    "allée des Peupliers",
    "rue du Lavoir",
    "impasse des Vignes",
]
COMMUNES = [
    ("Loue-la-Vallée", "39600"),
    ("Saint-Aubin-sur-Loue", "39610"),
    ("Montigny-le-Haut", "39620"),
    ("Villers-sous-Bois", "39630"),
]
HEALTH = [
    "Diabète de type 2, insuline le matin. Risque de chute (a chuté en mars).",
    "Insuffisance cardiaque ; surveiller les œdèmes et le poids deux fois par semaine.",
    "Troubles cognitifs débutants ; préfère être appelée par son prénom.",
    "Post-opératoire hanche droite, pansement tous les deux jours.",
    "Allergie à la pénicilline. Douleurs lombaires chroniques.",
    "Dénutrition : peser chaque lundi, compléments oraux au goûter.",
]


def create(db: Database, seed: int) -> list[str]:
    rng = random.Random(seed)
    sids = {
        key: accounts.create_structure(db, name, kind, commune=commune)
        for key, name, kind, commune in STRUCTURES
    }
    users: dict[str, int] = {}
    for username, name, profession, roles, admin in USERS:
        uid = accounts.create_user(
            db,
            username=username,
            display_name=name,
            password=DEMO_PASSWORD,
            is_network_admin=admin,
            profession=profession,
        )
        for key, role in roles.items():
            accounts.add_membership(db, uid, sids[key], role)
        users[username] = uid

    teams = {
        "ssiad": (
            ["ines.coordination"],
            ["nadia.nuit", "paul.infirmier"],
            ["sophie.matin", "lucas.as"],
            18,
        ),
        "saad": (["marie.saad"], ["karim.aide"], [], 10),
        "ehpad": (["thomas.idec"], ["amina.ide"], [], 8),
        "social": ([], ["julie.social", "hugo.social"], [], 10),
    }
    for key, (coordinators, first, second, count) in teams.items():
        for i in range(count):
            female = rng.random() < 0.7
            commune, postcode = rng.choice(COMMUNES)
            family = rng.choice(FAMILY)
            pid = accounts.create_person(
                db,
                sids[key],
                {
                    "family_name": family,
                    "birth_name": (rng.choice(FAMILY) if female and rng.random() < 0.5 else None),
                    "given_names": rng.choice(GIVEN_F if female else GIVEN_M),
                    "birth_date": f"{rng.randint(1928, 1950)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "sex": "F" if female else "M",
                    "address": f"{rng.randint(1, 40)} {rng.choice(STREETS)}",
                    "postcode": postcode,
                    "city": commune,
                    "phone": f"03 84 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    "contacts": [
                        {
                            "name": f"{rng.choice(GIVEN_F + GIVEN_M)} {family}",
                            "relation": rng.choice(["fille", "fils", "neveu", "voisine"]),
                            "phone": f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                        }
                    ],
                    "health_notes": rng.choice(HEALTH) if key != "social" else "",
                },
            )
            members = {first[i % len(first)]}
            if second:
                members.add(second[i % len(second)])
            if (
                key == "ssiad" and i < 6
            ):  # the night nurse and the morning team share the first ones
                members |= {"nadia.nuit", "sophie.matin"}
            for username in sorted(members):
                accounts.add_to_care_team(
                    db, pid, users[username], users.get(coordinators[0]) if coordinators else None
                )

    return []  # the logins are listed by logins.banner(), with those of the other parts

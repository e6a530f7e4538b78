"""Orientation requests of the demo territory, in every state of the answer cycle.

The hospital discharge team (``sarah.sortie`` writes, ``dr.morel`` completes the medical part)
orients fictitious hospitalised persons; the EHPADs of the network answer (``thomas.idec`` for
EHPAD Les Tilleuls, ``marc.glycines`` for EHPAD Les Glycines). Every step goes through the
plugin's service functions, as in real use (access checks, audit trail, state machine); only the
timestamps are then moved into the past weeks (``storage.backdate``), so that the network's
dashboard shows plausible answer times. One request is withdrawn by the discharge team (the
person goes home with the SSIAD): its sendings show « Annulée par le demandeur ». Mme Yvonne
Garnier gets no request: the guided tour orients her live.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from virage_orientation import service, storage
from virage_orientation.models import AnswerIn, RequestIn

from virage.accounts import service as accounts_service
from virage.accounts import storage as accounts_storage
from virage.accounts.context import AccessContext
from virage.agenda.timeutil import iso, to_utc, today_paris
from virage.db import utcnow_iso
from virage_demo_territory.people import COMMUNES, FAMILY, GIVEN_F, GIVEN_M

REQUESTER = "sarah.sortie"
DOCTOR = "dr.morel"
#: The EHPADs of the network that answer (directory name → the coordinator who answers).
ANSWERING = {"EHPAD Les Tilleuls": "thomas.idec", "EHPAD Les Glycines": "marc.glycines"}
#: Family names the tour and its tests look for: never given to these persons.
RESERVED = {"Garnier"}
NAMES = sorted(set(FAMILY) - RESERVED)

WARDS = [
    "Hospitalisée en médecine gériatrique après une chute à domicile.",
    "Hospitalisé pour une décompensation cardiaque ; retour à domicile jugé impossible.",
    "Hospitalisée en soins de suite après une fracture du col du fémur.",
    "Hospitalisé pour une pneumopathie ; perte d'autonomie importante depuis.",
    "Hospitalisée pour une déshydratation ; troubles cognitifs connus.",
    "Hospitalisé après un accident vasculaire cérébral ; hémiplégie gauche.",
]

# One request per person. ``steps``: (days ago, Paris hour, action, arguments). Actions:
# create, medical, send [names], view name, answer name status {fields}, choose name,
# withdraw reason.
SCENARIOS: list[dict] = [
    {
        "label": "en préparation, volet médical à compléter",
        "offer": "ehpad",
        "criteria": ["aide_sociale"],
        "gir": 3,
        "mobility": "aide",
        "urgency": "normale",
        "admin_notes": "Vit avec son épouse de 84 ans, épuisée ; deux enfants en région "
        "parisienne. Souhaite un EHPAD proche de Montigny-le-Haut pour les visites.",
        "medical": None,
        "steps": [(1, "16:10", "create")],
    },
    {
        "label": "complète, pas encore envoyée",
        "offer": "hebergement_temporaire",
        "criteria": ["pmr"],
        "gir": 4,
        "mobility": "fauteuil",
        "urgency": "normale",
        "admin_notes": "Logement en cours d'adaptation (douche de plain-pied, monte-escalier) : "
        "hébergement temporaire de deux mois demandé le temps des travaux.",
        "medical": "Fracture du col du fémur opérée (prothèse intermédiaire). Appui autorisé, "
        "rééducation à poursuivre. Pas de trouble cognitif. Traitement : anticoagulant "
        "préventif, antalgiques de palier 1.",
        "steps": [(4, "10:20", "create"), (3, "14:05", "medical")],
    },
    {
        "label": "envoyée, pas encore lue",
        "offer": "ehpad",
        "criteria": ["unite_protegee"],
        "gir": 2,
        "mobility": "aide",
        "urgency": "urgente",
        "consent": "representant",
        "admin_notes": "Sous curatelle renforcée (association tutélaire du Jura). Domicile "
        "insalubre, retour impossible. Fils unique à l'étranger, joignable par courriel.",
        "medical": "Maladie d'Alzheimer évoluée (MMS 12), déambulation et désorientation "
        "nocturne. Dénutrition modérée (IMC 18,5). Pas de soins techniques.",
        "steps": [
            (5, "09:40", "create"),
            (4, "11:30", "medical"),
            (
                2,
                "15:15",
                "send",
                ["EHPAD Les Tilleuls", "EHPAD Les Glycines", "EHPAD Le Clos Fleuri"],
            ),
        ],
    },
    {
        "label": "consultée et en liste d'attente",
        "offer": "ehpad",
        "criteria": ["unite_protegee"],
        "gir": 3,
        "mobility": "autonome",
        "urgency": "normale",
        "admin_notes": "Vit seule, voisine très présente. Fille à Lons-le-Saunier, qui "
        "accompagne les démarches. Dossier d'aide sociale non nécessaire.",
        "medical": "Troubles cognitifs modérés (MMS 19), fugues à domicile. Hypertension "
        "traitée. Autonome pour la marche, aide partielle à la toilette.",
        "steps": [
            (9, "10:00", "create"),
            (8, "17:20", "medical"),
            (7, "09:15", "send", ["EHPAD Les Tilleuls", "EHPAD Les Glycines"]),
            (6, "14:40", "view", "EHPAD Les Tilleuls"),
            (6, "16:05", "view", "EHPAD Les Glycines"),
            (
                5,
                "11:50",
                "answer",
                "EHPAD Les Glycines",
                {
                    "status": "liste_attente",
                    "comment": "Inscrite en liste d'attente pour l'unité protégée : une place "
                    "est attendue d'ici six semaines.",
                },
            ),
        ],
    },
    {
        "label": "refusée par les EHPAD sollicités",
        "offer": "ehpad",
        "criteria": ["soins_techniques"],
        "gir": 1,
        "mobility": "alitee",
        "urgency": "urgente",
        "admin_notes": "Veuf, sans enfant ; neveu référent à Dole. Retour à domicile "
        "impossible. Ressources modestes : demande d'aide sociale en cours.",
        "medical": "Trachéotomie depuis juillet, aspirations plusieurs fois par nuit. "
        "Alimentation par gastrostomie. Escarre sacrée de stade 3 en voie de cicatrisation.",
        "steps": [
            (14, "09:30", "create"),
            (13, "12:10", "medical"),
            (12, "10:45", "send", ["EHPAD Les Tilleuls", "EHPAD Les Glycines"]),
            (11, "15:30", "view", "EHPAD Les Tilleuls"),
            (
                11,
                "16:00",
                "answer",
                "EHPAD Les Tilleuls",
                {
                    "status": "refusee",
                    "refusal_reason": "soins_inadaptes",
                    "comment": "Pas d'infirmière la nuit : les aspirations nocturnes ne "
                    "peuvent pas être assurées.",
                },
            ),
            (
                10,
                "09:20",
                "answer",
                "EHPAD Les Glycines",
                {
                    "status": "refusee",
                    "refusal_reason": "autre",
                    "comment": "Gastrostomie et trachéotomie : une unité de soins de longue "
                    "durée serait plus adaptée, nous pouvons en parler avec le médecin.",
                },
            ),
        ],
    },
    {
        "label": "admission proposée",
        "offer": "ehpad",
        "criteria": [],
        "gir": 4,
        "mobility": "aide",
        "urgency": "normale",
        "admin_notes": "Vit avec son fils, qui travaille de nuit. Souhaite rester près de "
        "Saint-Aubin-sur-Loue, où vit sa sœur.",
        "medical": "Insuffisance cardiaque stable sous traitement, diabète de type 2 sous "
        "antidiabétiques oraux. Chutes répétées. Pas de trouble cognitif.",
        "wished_in": 10,
        "steps": [
            (11, "11:00", "create"),
            (10, "13:35", "medical"),
            (
                10,
                "16:50",
                "send",
                ["EHPAD Les Tilleuls", "EHPAD Les Glycines", "EHPAD Le Clos Fleuri"],
            ),
            (9, "10:25", "view", "EHPAD Les Glycines"),
            (
                9,
                "10:40",
                "answer",
                "EHPAD Les Glycines",
                {
                    "status": "refusee",
                    "refusal_reason": "pas_de_place",
                    "comment": "Aucune place en hébergement permanent avant le printemps.",
                },
            ),
            (8, "09:05", "view", "EHPAD Les Tilleuls"),
            (
                8,
                "14:30",
                "answer",
                "EHPAD Les Tilleuls",
                {
                    "status": "acceptee",
                    "proposed_in": 9,
                    "comment": "Chambre au rez-de-chaussée. Visite de pré-admission possible "
                    "avec la famille le mardi après-midi.",
                },
            ),
        ],
    },
    {
        "label": "admission acceptée par la personne",
        "offer": "ehpad",
        "criteria": ["aide_sociale"],
        "gir": 3,
        "mobility": "aide",
        "urgency": "normale",
        "admin_notes": "Vit seule en appartement au 2e étage sans ascenseur. Fille à "
        "Montigny-le-Haut. Bénéficie de l'APA à domicile ; aide sociale à l'hébergement "
        "demandée.",
        "medical": "Arthrose sévère des genoux, marche avec déambulateur. Dépression traitée. "
        "Incontinence urinaire. Pas de trouble cognitif.",
        "steps": [
            (20, "10:15", "create"),
            (19, "11:40", "medical"),
            (
                18,
                "15:00",
                "send",
                ["EHPAD Les Tilleuls", "EHPAD Les Glycines", "EHPAD Le Clos Fleuri"],
            ),
            (17, "09:30", "view", "EHPAD Les Tilleuls"),
            (16, "10:10", "view", "EHPAD Les Glycines"),
            (
                16,
                "14:20",
                "answer",
                "EHPAD Les Tilleuls",
                {
                    "status": "liste_attente",
                    "comment": "En liste d'attente : pas de place habilitée à l'aide sociale "
                    "avant plusieurs mois.",
                },
            ),
            (
                15,
                "11:00",
                "answer",
                "EHPAD Les Glycines",
                {
                    "status": "acceptee",
                    "proposed_in": 4,
                    "comment": "Place habilitée à l'aide sociale ; prévoir le dossier de "
                    "demande d'aide sociale signé à l'admission.",
                },
            ),
            (14, "16:45", "choose", "EHPAD Les Glycines"),
        ],
    },
    {
        "label": "admission réalisée",
        "offer": "ehpad",
        "criteria": ["unite_protegee"],
        "gir": 2,
        "mobility": "aide",
        "urgency": "urgente",
        "consent": "representant",
        "admin_notes": "Épouse décédée cet été ; vivait seul avec passage quotidien de l'aide "
        "à domicile. Fille (personne de confiance) à Loue-la-Vallée.",
        "medical": "Démence à corps de Lewy (MMS 15), hallucinations visuelles, chutes. "
        "Sous antiparkinsonien. Agitation en fin de journée.",
        "steps": [
            (27, "09:50", "create"),
            (27, "15:30", "medical"),
            (26, "10:05", "send", ["EHPAD Les Tilleuls", "EHPAD Les Glycines"]),
            (25, "14:15", "view", "EHPAD Les Glycines"),
            (25, "16:40", "view", "EHPAD Les Tilleuls"),
            (
                24,
                "09:45",
                "answer",
                "EHPAD Les Glycines",
                {
                    "status": "refusee",
                    "refusal_reason": "unite_protegee",
                    "comment": "Unité protégée complète, pas de sortie prévue.",
                },
            ),
            (
                24,
                "11:30",
                "answer",
                "EHPAD Les Tilleuls",
                {
                    "status": "acceptee",
                    "proposed_in": -20,
                    "comment": "Unité protégée, chambre 12.",
                },
            ),
            (23, "10:00", "choose", "EHPAD Les Tilleuls"),
            (20, "15:00", "answer", "EHPAD Les Tilleuls", {"status": "admission_realisee"}),
        ],
    },
    {
        "label": "retirée par le demandeur",
        "offer": "ehpad",
        "criteria": [],
        "gir": 4,
        "mobility": "aide",
        "urgency": "normale",
        "admin_notes": "Vit seul dans une maison de plain-pied ; son fils passe chaque soir. "
        "Hésite entre l'EHPAD et un retour à domicile avec des soins infirmiers.",
        "medical": "Décompensation cardiaque résolue sous diurétiques. Marche avec une canne, "
        "aide partielle à la toilette. Pas de trouble cognitif.",
        "steps": [
            (13, "10:30", "create"),
            (12, "14:50", "medical"),
            (11, "11:15", "send", ["EHPAD Les Tilleuls", "EHPAD Les Glycines"]),
            (10, "09:40", "view", "EHPAD Les Tilleuls"),
            (
                10,
                "15:20",
                "answer",
                "EHPAD Les Tilleuls",
                {
                    "status": "liste_attente",
                    "comment": "Inscrit en liste d'attente : pas de chambre libre avant un mois.",
                },
            ),
            (8, "16:30", "withdraw", "Retour à domicile avec le SSIAD, souhait de la personne"),
        ],
    },
]


def _at(today: date, days_ago: int, hhmm: str, rng: random.Random) -> str:
    hour, minute = map(int, hhmm.split(":"))
    local = datetime.combine(today - timedelta(days=days_ago), time(hour, minute))
    return iso(to_utc(local + timedelta(minutes=rng.randint(0, 9))))


def _person(db, rng: random.Random, hospital_id: int, family: str, ward: str) -> int:
    female = rng.random() < 0.6
    commune, postcode = rng.choice(COMMUNES)
    return accounts_storage.create_person(
        db,
        hospital_id,
        {
            "family_name": family,
            "birth_name": rng.choice(NAMES) if female and rng.random() < 0.5 else None,
            "given_names": rng.choice(GIVEN_F if female else GIVEN_M),
            "birth_date": f"{rng.randint(1929, 1946)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "sex": "F" if female else "M",
            "city": commune,
            "postcode": postcode,
            "health_notes": ward,
        },
    )


def _access(db, registry, username: str) -> AccessContext | None:
    user = accounts_storage.get_user_by_username(db, username)
    if user is None:
        return None
    actor = accounts_service.actor_for_user(db, user, via="cli")
    return AccessContext(db, registry, actor, "demo")


def create(db, rng: random.Random, plugins, hospital_id: int) -> list[str]:
    from virage.app import build_registry

    registry = build_registry(plugins)
    sarah = _access(db, registry, REQUESTER)
    doctor = _access(db, registry, DOCTOR)
    answering = {name: _access(db, registry, user) for name, user in ANSWERING.items()}
    tenants = {
        name: accounts_storage.find_structure(db, name)["id"]
        for name, access in answering.items()
        if access is not None
    }
    if sarah is None or doctor is None:
        return []
    today = today_paris()
    families = rng.sample(NAMES, len(SCENARIOS))
    for scenario, family in zip(SCENARIOS, families, strict=True):
        pid = _person(db, rng, hospital_id, family, rng.choice(WARDS))
        accounts_storage.add_to_care_team(db, pid, sarah.actor.user_id, doctor.actor.user_id)
        accounts_storage.add_to_care_team(db, pid, doctor.actor.user_id, doctor.actor.user_id)
        _play(db, rng, plugins, today, pid, scenario, sarah, doctor, answering, tenants)
    return [
        f"Orientation : {len(SCENARIOS)} demandes fictives de l'équipe de sortie sur les quatre "
        "dernières semaines, une par étape du cycle (en préparation, envoyée, consultée, liste "
        "d'attente, refusée, admission proposée, acceptée, réalisée, retirée par le demandeur)."
    ]


def _play(db, rng, plugins, today, pid, scenario, sarah, doctor, answering, tenants) -> int:
    rid = 0
    consent = scenario.get("consent", "personne")
    for days_ago, hhmm, action, *args in scenario["steps"]:
        since = utcnow_iso()
        at = _at(today, days_ago, hhmm, rng)
        if action == "create":
            data = RequestIn(
                person_id=pid,
                module="grand_age",
                offer=scenario["offer"],
                criteria=scenario["criteria"],
                gir=scenario["gir"],
                mobility=scenario["mobility"],
                commune=rng.choice(["Loue-la-Vallée", "Saint-Aubin-sur-Loue"]),
                radius_km=25,
                wished_date=today + timedelta(days=scenario.get("wished_in", 15)),
                urgency=scenario["urgency"],
                consent=consent,
                consent_by="Mme Hélène Bourdon, curatrice" if consent == "representant" else None,
                admin_notes=scenario["admin_notes"],
            )
            rid = service.create_request(sarah, data)["id"]
        elif action == "medical":
            service.save_medical(doctor, rid, scenario["medical"])
        elif action == "send":
            ranked = {c["name"]: c["id"] for c in service.proposals(sarah, plugins, rid)["results"]}
            service.send(sarah, plugins, rid, [ranked[n] for n in args[0] if n in ranked])
        elif action == "withdraw":
            service.withdraw(sarah, rid, args[0])
        elif action in ("view", "answer", "choose"):
            name = args[0]
            sending = next(
                (s for s in storage.sendings_of(db, rid) if s["structure_name"] == name), None
            )
            if sending is None:
                continue
            if action == "choose":
                service.choose(sarah, rid, sending["id"])
            elif name in tenants and action == "view":
                service.incoming_view(answering[name], tenants[name], sending["id"])
            elif name in tenants:
                fields = dict(args[1])
                if "proposed_in" in fields:
                    fields["proposed_date"] = today + timedelta(days=fields.pop("proposed_in"))
                service.answer(answering[name], tenants[name], sending["id"], AnswerIn(**fields))
        storage.backdate(db, rid, since, at)
    return rid

"""The orientation requests the demo plays, one per state of the answer cycle.

Each scenario is a fictitious hospitalised person's request: what the discharge team writes, the
doctor's medical part, and the steps (days ago, Paris hour, action) that
:mod:`virage_demo_territory.orientation_requests` plays through the plugin's service.
"""

from __future__ import annotations

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

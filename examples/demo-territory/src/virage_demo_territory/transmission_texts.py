"""The texts of the demo's transmissions, in DAR form (données, actions, résultats).

Fictitious situations, grouped by who writes them (night nurse, care assistants, nurses, the
coordination, home help, social workers, the EHPAD), plus the fall the demo follows up.
"""

from __future__ import annotations

# (target, priority, données, actions, résultats) — "{h}" is replaced by the local hour.
NIGHT = [
    (
        "sommeil",
        "normal",
        "Réveillée vers {h}, dit avoir mal dormi, inquiète pour son rendez-vous de cardiologie.",
        "Écoute, verre d'eau, réinstallation ; veilleuse laissée allumée.",
        "Rendormie une demi-heure après.",
    ),
    (
        "douleur",
        "important",
        "Douleurs lombaires à 6/10 vers {h}, ne trouve pas de position.",
        "Paracétamol 1 g donné selon la prescription, installation avec un coussin entre les genoux.",
        "Douleur à 3/10 quarante minutes plus tard.",
    ),
    (
        "elimination",
        "normal",
        "Change complet vers {h}, urines foncées et peu abondantes.",
        "Deux verres d'eau proposés et bus.",
        "",
    ),
    (
        "comportement",
        "important",
        "Désorienté vers {h}, cherchait sa femme dans le couloir, agité.",
        "Réassurance, raccompagné au lit, lumière tamisée ; pas de contention.",
        "Calme ensuite, dort.",
    ),
]
DAY_CARE = [
    (
        "hygiene",
        "normal",
        "Toilette au lavabo faite en partie seule, fatiguée en fin de soin.",
        "Aide pour le dos et les pieds, crème hydratante sur les talons.",
        "Peau intègre.",
    ),
    (
        "alimentation",
        "normal",
        "Petit-déjeuner peu pris (la moitié du bol), dit ne pas avoir faim.",
        "Compote et complément proposés, pris à moitié.",
        "",
    ),
    (
        "mobilite",
        "normal",
        "Marche avec le déambulateur jusqu'au salon, équilibre précaire au lever.",
        "Lever en deux temps, chaussures fermées mises.",
        "Pas de chute.",
    ),
    (
        "peau",
        "important",
        "Rougeur au talon gauche qui ne blanchit pas à la pression (2 cm).",
        "Talon mis en décharge avec un coussin, infirmière prévenue.",
        "",
    ),
]
DAY_NURSE = [
    (
        "traitement",
        "normal",
        "Pilulier de la semaine préparé ; traitement de mardi soir retrouvé non pris.",
        "Pilulier revu avec la fille, alarme du téléphone proposée.",
        "",
    ),
    (
        "liaison",
        "important",
        "Appel du médecin traitant : INR à 3,8.",
        "Dose d'anticoagulant modifiée selon la prescription reçue par messagerie sécurisée ; "
        "contrôle de l'INR lundi.",
        "",
    ),
    (
        "peau",
        "normal",
        "Pansement du talon refait : plaie propre, bords roses, 1 cm.",
        "Nettoyage au sérum physiologique, pansement hydrocolloïde.",
        "À revoir dans 48 h.",
    ),
]
COORDINATION = [
    (
        "entourage",
        "important",
        "La fille signale son épuisement et part en congé quinze jours.",
        "Accueil de jour et hébergement temporaire proposés ; coordonnées de la plateforme de répit "
        "données.",
        "",
    ),
    (
        "administratif",
        "normal",
        "Renouvellement de l'APA à déposer avant la fin du mois.",
        "Dossier transmis au secrétariat et à l'assistante sociale de la MDS.",
        "",
    ),
]
HOME_HELP = [
    (
        "alimentation",
        "normal",
        "Réfrigérateur presque vide, pas de courses depuis la semaine dernière.",
        "Courses faites avec lui, repas du soir préparé.",
        "",
    ),
    (
        "hygiene",
        "normal",
        "Linge sale accumulé dans la salle de bains.",
        "Machine lancée, linge étendu.",
        "",
    ),
]
SOCIAL = [
    (
        "social",
        "normal",
        "Reçoit un avis d'expulsion pour impayés de loyer (trois mois).",
        "Demande au fonds de solidarité logement préparée avec lui ; bailleur appelé.",
        "",
    ),
    (
        "administratif",
        "normal",
        "Dossier de MDPH incomplet : certificat médical manquant.",
        "Courrier au médecin traitant, rendez-vous fixé pour le compléter.",
        "",
    ),
]
EHPAD = [
    (
        "alimentation",
        "normal",
        "Repas du midi pris en totalité, aime le nouveau menu mixé.",
        "Poursuite de la texture mixée.",
        "",
    ),
    (
        "chute",
        "important",
        "Glissade du fauteuil vers {h}, assise au sol, pas de douleur, pas de plaie.",
        "Relevée à deux, constantes normales, surveillance renforcée.",
        "Aucune douleur le lendemain.",
    ),
]

FALL = (
    "chute",
    "urgent",
    "Retrouvée assise au sol dans la salle de bains vers {h}, consciente, se souvient de la chute. "
    "Douleur à la hanche droite 4/10, pas de déformation visible.",
    "Relevée à deux, constantes normales (TA 13/8, pouls 82). Médecin traitant et fille prévenus.",
    "Radio prévue cet après-midi.",
)

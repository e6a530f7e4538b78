"""What can be asked for: modules, offers (with their FINESS categories), criteria, statuses."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Offer:
    code: str
    label: str
    module: str
    categories: tuple[str, ...]  # FINESS category codes of the directory


MODULES: dict[str, str] = {
    "grand_age": "Grand âge",
    "domicile": "Domicile",
    "handicap": "Handicap",
}

OFFERS: dict[str, Offer] = {
    o.code: o
    for o in (
        Offer("ehpad", "EHPAD (hébergement permanent)", "grand_age", ("500",)),
        Offer("hebergement_temporaire", "Hébergement temporaire", "grand_age", ("500",)),
        Offer("accueil_jour", "Accueil de jour", "grand_age", ("207", "500")),
        Offer("residence_autonomie", "Résidence autonomie", "grand_age", ("202",)),
        Offer("ssiad", "SSIAD", "domicile", ("354",)),
        Offer("saad", "SAAD", "domicile", ("460",)),
        Offer("spasad", "SPASAD", "domicile", ("209",)),
        Offer("mas", "Maison d'accueil spécialisée (MAS)", "handicap", ("255",)),
        Offer("fam", "Foyer d'accueil médicalisé (FAM)", "handicap", ("437",)),
        Offer("foyer_vie", "Foyer de vie", "handicap", ("382",)),
        Offer("esat", "ESAT", "handicap", ("246",)),
        Offer("samsah", "SAMSAH / SAVS", "handicap", ("445", "446")),
    )
}


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str  # shown in the form
    reason: str  # shown in a proposal's reasons
    keywords: tuple[str, ...]  # folded words looked for in the directory's network fields


CRITERIA: dict[str, Criterion] = {
    c.code: c
    for c in (
        Criterion(
            "unite_protegee",
            "Unité protégée (troubles cognitifs)",
            "unité protégée",
            ("unite protegee", "alzheimer", "uhr", "pasa"),
        ),
        Criterion(
            "aide_sociale",
            "Habilitation à l'aide sociale",
            "habilité·e aide sociale",
            ("aide sociale",),
        ),
        Criterion(
            "pmr",
            "Accessibilité fauteuil roulant",
            "accessible en fauteuil",
            ("fauteuil", "pmr", "accessibilite"),
        ),
        Criterion(
            "soins_techniques",
            "Soins techniques lourds",
            "soins techniques",
            ("soins techniques", "infirmiere de nuit", "ide de nuit"),
        ),
    )
}

URGENCIES = {"normale": "Normale", "urgente": "Urgente (sortie d'hospitalisation, danger)"}
CONSENTS = {"personne": "La personne elle-même", "representant": "Son représentant légal"}
MOBILITY = {
    "autonome": "Se déplace seule",
    "aide": "Se déplace avec aide",
    "fauteuil": "En fauteuil roulant",
    "alitee": "Alitée",
}

REQUEST_STATUSES = {
    "brouillon": "En préparation",
    "envoyee": "Envoyée",
    "admission_acceptee": "Admission acceptée",
    "cloturee": "Clôturée",
}

SENDING_STATUSES = {
    "envoyee": "Envoyée, pas encore consultée",
    "consultee": "Dossier consulté",
    "liste_attente": "Mise en liste d'attente",
    "refusee": "Refusée",
    "acceptee": "Admission proposée",
    "admission_choisie": "Admission acceptée par la personne",
    "admission_realisee": "Admission réalisée",
    "close_autre_admission": "Clôturée : admission acceptée dans une autre structure",
    "annulee": "Annulée par le demandeur",
}

#: The answers a receiving structure may give, from each status (nothing else is allowed).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "consultee": ("envoyee",),
    "liste_attente": ("envoyee", "consultee"),
    "refusee": ("envoyee", "consultee", "liste_attente"),
    "acceptee": ("envoyee", "consultee", "liste_attente"),
    "admission_realisee": ("admission_choisie",),
}

#: What the requester may withdraw: a request not closed yet, and its sendings still open (an
#: admission already réalisée closes the request, so it can no longer be withdrawn).
WITHDRAWABLE_REQUEST = ("brouillon", "envoyee", "admission_acceptee")
#: Sendings still waiting for the person's choice: closed when she chooses another admission.
OPEN_SENDING = ("envoyee", "consultee", "liste_attente", "acceptee")
#: ... and the admission she chose, as long as it is not realised: cancelled by a withdrawal.
WITHDRAWABLE_SENDING = (*OPEN_SENDING, "admission_choisie")

REFUSAL_REASONS = {
    "pas_de_place": "Pas de place disponible",
    "soins_inadaptes": "Besoins de soins non compatibles avec la structure",
    "unite_protegee": "Pas d'unité protégée adaptée",
    "financier": "Dossier financier incomplet ou inadapté",
    "hors_secteur": "Hors du secteur de la structure",
    "autre": "Autre motif (préciser en commentaire)",
}

#: Labels of the history's entries (the sendings' statuses and the request's own steps).
EVENT_LABELS = {
    "brouillon": "Demande créée",
    "medical": "Volet médical complété",
    "retiree": "Demande retirée par le demandeur",
    **SENDING_STATUSES,
}

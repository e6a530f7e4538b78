"""The shared nomenclature of transmissions: targets ("cibles"), categories, priorities, templates.

A network shares one nomenclature (a "common referential"): the core seeds it, plugins add their
targets and templates with the hook ``register_transmission_targets``, and the network
administrator can add or retire targets with ``virage transmissions targets``. Codes are stable
identifiers (stored with each transmission and indexed for search); labels are French.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Category identifiers and their French labels.
CATEGORIES: dict[str, str] = {
    "soins": "Soins",
    "vie_quotidienne": "Vie quotidienne",
    "social": "Social",
    "administratif": "Administratif",
}

#: Priority identifiers, their French labels, and their rank (urgent first).
PRIORITIES: dict[str, str] = {"urgent": "Urgente", "important": "Importante", "normal": "Normale"}
PRIORITY_RANK: dict[str, int] = {"urgent": 0, "important": 1, "normal": 2}

KINDS: dict[str, str] = {
    "entry": "Transmission",
    "result": "Résultat ajouté",
    "correction": "Correction",
}


@dataclass(frozen=True)
class TransmissionTarget:
    """A target ("cible") of the shared nomenclature.

    :param code: stable identifier, lower case ASCII letters, digits and ``_`` (``"chute"``).
    :param label: French label shown on the quick-choice buttons (``"Chute"``).
    :param category: the default category: ``soins``, ``vie_quotidienne``, ``social`` or
        ``administratif`` (the writer may change it).
    :param position: sort order of the quick choices (lower first; the core uses tens).
    """

    code: str
    label: str
    category: str = "soins"
    position: int = 100


@dataclass(frozen=True)
class TransmissionTemplate:
    """A template that pre-fills the three DAR parts for a frequent target.

    :param target: the code of the target it belongs to.
    :param label: short French name (``"Chute à domicile"``), unique for the target.
    :param data: the "Données" part (what was observed).
    :param actions: the "Actions" part (what was done).
    :param results: the "Résultats" part (often left for later).
    """

    target: str
    label: str
    data: str = ""
    actions: str = ""
    results: str = ""


CORE_TARGETS: tuple[TransmissionTarget, ...] = (
    TransmissionTarget("douleur", "Douleur", "soins", 10),
    TransmissionTarget("chute", "Chute", "soins", 20),
    TransmissionTarget("alimentation", "Alimentation, hydratation", "vie_quotidienne", 30),
    TransmissionTarget("comportement", "Comportement, humeur", "soins", 40),
    TransmissionTarget("peau", "Peau, pansements", "soins", 50),
    TransmissionTarget("traitement", "Traitement", "soins", 60),
    TransmissionTarget("elimination", "Élimination", "soins", 70),
    TransmissionTarget("sommeil", "Sommeil", "vie_quotidienne", 80),
    TransmissionTarget("hygiene", "Hygiène, confort", "vie_quotidienne", 90),
    TransmissionTarget("mobilite", "Mobilité", "vie_quotidienne", 100),
    TransmissionTarget("liaison", "Liaison (médecin, hôpital)", "soins", 110),
    TransmissionTarget("entourage", "Entourage, aidants", "social", 120),
    TransmissionTarget("social", "Situation sociale", "social", 130),
    TransmissionTarget("administratif", "Administratif", "administratif", 140),
)

CORE_TEMPLATES: tuple[TransmissionTemplate, ...] = (
    TransmissionTemplate(
        "chute",
        "Chute à domicile",
        data="Retrouvé·e au sol à … h (lieu : …). Conscient·e : oui/non. Douleur : …/10 (où : …). "
        "Plaie, hématome : …. Se souvient de la chute : oui/non.",
        actions="Relevé·e avec … . Constantes : TA …, pouls …, glycémie … . "
        "Prévenu·e·s : médecin traitant / famille / coordination : … .",
        results="",
    ),
    TransmissionTemplate(
        "douleur",
        "Douleur évaluée",
        data="Douleur …/10 (EVA ou Algoplus), localisation : …, depuis : … . Signes associés : … .",
        actions="Antalgique donné selon prescription : … à … h. Installation : … .",
        results="Réévaluation à … h : …/10.",
    ),
    TransmissionTemplate(
        "alimentation",
        "Repas peu pris",
        data="A mangé environ … du repas, a bu … verres. Difficultés : mastication, "
        "déglutition, appétit : … .",
        actions="Proposé : … (compléments, eau gélifiée…). Poids si pesée : … kg.",
        results="",
    ),
    TransmissionTemplate(
        "comportement",
        "Changement de comportement",
        data="Observé à … h : agitation / désorientation / repli / propos inhabituels : … . "
        "Facteur déclenchant possible : … .",
        actions="Réassurance, … . Entourage ou médecin prévenu : … .",
        results="",
    ),
    TransmissionTemplate(
        "peau",
        "Pansement ou rougeur",
        data="Localisation : … . Aspect : rougeur / plaie / escarre stade … . Taille : … cm.",
        actions="Soin réalisé : … . Changement de position, matériel : … .",
        results="",
    ),
)

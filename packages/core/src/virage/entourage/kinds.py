"""The kinds of entries of a person's entourage, as data: labels, fields, and which are health.

Health kinds (advance directives, allergies, treatments) follow the care team
(``persons.health.read`` / ``persons.health.write``); the others follow the identity
(``persons.identity.read`` / ``persons.manage``), readable by the secretariat.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    health: bool
    single: bool = False  # at most one current entry (a new one is refused until the old goes)


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("trusted_person", "Personne de confiance", health=False, single=True),
        Kind("protection", "Mesure de protection juridique", health=False, single=True),
        Kind("relative", "Proche", health=False),
        Kind("directives", "Directives anticipées", health=True, single=True),
        Kind("allergy", "Allergie déclarée", health=True),
        Kind("treatment", "Traitement en cours déclaré", health=True),
    )
}
SOCIAL_KINDS = tuple(k for k, v in KINDS.items() if not v.health)
HEALTH_KINDS = tuple(k for k, v in KINDS.items() if v.health)

#: Legal protection measures (code civil, livre Ier, titre XI).
PROTECTIONS: dict[str, str] = {
    "tutelle": "Tutelle",
    "curatelle": "Curatelle",
    "curatelle_renforcee": "Curatelle renforcée",
    "habilitation_familiale": "Habilitation familiale",
    "sauvegarde_de_justice": "Sauvegarde de justice",
    "mandat_protection_future": "Mandat de protection future",
}

#: What the person agreed a relative may know.
MAY_KNOW: dict[str, str] = {
    "rien": "Rien : ne rien lui transmettre",
    "organisation": "L'organisation (rendez-vous, passages, absences)",
    "sante": "L'organisation et son état de santé",
}

#: Whether advance directives exist.
DIRECTIVES: dict[str, str] = {
    "oui": "La personne a rédigé des directives anticipées",
    "non": "La personne n'a pas rédigé de directives anticipées",
    "ne_sait_pas": "La personne ne sait pas ou ne souhaite pas le dire",
}

#: Who declared an allergy or a treatment.
SOURCES: dict[str, str] = {
    "personne": "La personne elle-même",
    "proche": "Un proche",
    "ordonnance": "Une ordonnance présentée",
    "medecin": "Son médecin",
    "pharmacie": "Sa pharmacie",
    "autre": "Autre source",
}

#: Labels of the audit actions of the entourage (the journal shows them).
AUDIT_LABELS: dict[str, str] = {
    "entourage.read": "Entourage d'une personne consulté",
    "entourage.health.read": "Santé déclarée d'une personne consultée (allergies, traitements, "
    "directives anticipées)",
    "entourage.added": "Entourage d'une personne complété",
    "entourage.removed": "Entourage d'une personne : une mention retirée",
    "entourage.health.added": "Santé déclarée d'une personne complétée",
    "entourage.health.removed": "Santé déclarée d'une personne : une mention retirée",
    "entourage.dlu.read": "Dossier de liaison d'urgence d'une personne consulté",
    "entourage.imported": "Entourage d'une personne repris d'un dossier importé (FHIR)",
}

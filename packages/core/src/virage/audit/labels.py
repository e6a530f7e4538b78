"""French labels of audit actions, for the journal pages (the raw code stays in exports)."""

from __future__ import annotations

from virage.access import Registry

CORE_ACTION_LABELS: dict[str, str] = {
    "accounts.login": "Connexion",
    "persons.list": "Liste des personnes",
    "persons.read": "Consultation du dossier",
    "persons.form": "Formulaire de nouvelle personne",
    "persons.create": "Création d'une personne",
    "persons.created": "Personne créée",
    "persons.update": "Modification de l'identité",
    "persons.health.update": "Modification des informations de santé",
    "persons.close": "Clôture du suivi",
    "persons.export": "Export RGPD (limité à ce que l'on peut lire)",
    "persons.export.health": "Export complet au titre du droit d'accès (santé comprise)",
    "persons.deleted": "Suppression (règle de conservation)",
    "care_team.add": "Ajout à l'équipe de soins",
    "care_team.remove": "Retrait de l'équipe de soins",
    "emergency_access.open": "Ouverture d'un accès d'urgence",
    "audit.read": "Consultation du journal",
    "audit.export": "Export du journal",
    "tokens.created": "Jeton d'API créé",
    "tokens.revoked": "Jeton d'API révoqué",
    "users.created": "Compte créé",
    "users.password_reset": "Mot de passe réinitialisé",
    "structures.created": "Structure créée",
    "structures.settings.update": "Réglages de la structure",
    "structures.settings.updated": "Réglages de la structure enregistrés (second facteur, CSE)",
    "accounts.login.password": "Mot de passe vérifié (second facteur demandé)",
    "accounts.second_factor.enrolled": "Second facteur enregistré",
    "accounts.second_factor.used": "Second facteur donné à la connexion",
    "accounts.second_factor.recovery_used": "Code de secours utilisé à la connexion",
    "accounts.second_factor.failed": "Code de second facteur refusé",
    "accounts.second_factor.recovery_codes": "Nouveaux codes de secours",
    "accounts.second_factor.removed": "Clé de sécurité retirée",
    "accounts.second_factor.reset": "Second facteur réinitialisé (administration du réseau)",
    "accounts.notice.acknowledged": "Note d'information lue",
    "persons.objection.record": "Opposition au partage : enregistrement",
    "persons.objection.recorded": "Opposition au partage enregistrée",
    "persons.objection.withdraw": "Opposition au partage : levée",
    "persons.objection.withdrawn": "Opposition au partage levée",
    # agenda (virage.agenda)
    "agenda.book": "Prise de rendez-vous",
    "agenda.update": "Rendez-vous déplacé ou modifié",
    "agenda.cancel": "Rendez-vous annulé",
    "agenda.status": "État d'un rendez-vous changé",
    "agenda.force": "Réservation malgré un conflit",
    "agenda.forced": "Conflit d'agenda passé outre",
    "agenda.appointment.read": "Consultation d'un rendez-vous",
    "agenda.notes.read": "Lecture des notes de soins d'un rendez-vous",
    "agenda.notes.write": "Écriture des notes de soins d'un rendez-vous",
    "agenda.day.read": "Consultation de « ma journée »",
    "agenda.week.read": "Consultation de la semaine d'une équipe",
    "agenda.list.read": "Liste des rendez-vous (API)",
    "agenda.person.read": "Consultation de l'agenda d'une personne",
    "agenda.person.pick": "Choix d'une personne pour un rendez-vous",
    "agenda.checkin": "Arrivée pointée",
    "agenda.checkout": "Départ pointé",
    "agenda.feed.created": "Abonnement de calendrier créé",
    "agenda.feed.revoked": "Abonnement de calendrier révoqué",
    "agenda.feed.read": "Lecture d'un abonnement de calendrier",
    "agenda.import": "Import d'un fichier iCalendar",
    "agenda.import.form": "Formulaire d'import iCalendar",
    "agenda.imported": "Rapport d'import iCalendar",
    "agenda.settings.privacy": "Réglage des abonnements de calendrier",
    # transmissions (virage.transmissions)
    "transmissions.read": "Lecture des transmissions",
    "transmissions.search": "Recherche dans les transmissions d'une personne",
    "transmissions.form": "Formulaire de transmission",
    "transmissions.write": "Écriture d'une transmission",
    "transmissions.created": "Transmission enregistrée",
    "transmissions.retry": "Transmission renvoyée (déjà reçue, pas de doublon)",
    "transmissions.update": "Transmission modifiée (délai de correction)",
    "transmissions.withdraw": "Transmission retirée (délai de correction)",
    "transmissions.acknowledge": "Prise de connaissance d'une transmission",
    "transmissions.export": "Impression des transmissions (transfert)",
    "transmissions.urgent.read": "Consultation des transmissions urgentes non lues",
    "transmissions.targets.added": "Cible de transmission ajoutée",
    "transmissions.targets.retired": "Cible de transmission retirée",
    "transmissions.targets.enabled": "Cible de transmission remise",
    "transmissions.templates.added": "Modèle de transmission ajouté",
}


#: What a flagged entry (column ``emergency``: an access outside the usual rules) is called, by
#: action. Any other flagged entry is a read during an emergency access.
FLAG_LABELS: dict[str, str] = {
    "persons.export.health": "export complet motivé (droit d'accès)",
}
FLAG_DEFAULT = "bris de glace"


def flag_label(action: str) -> str:
    return FLAG_LABELS.get(action, FLAG_DEFAULT)


def make_action_label(registry: Registry):
    """Return a function code -> French label (core labels, then permission labels, then code)."""

    def action_label(code: str) -> str:
        if code in CORE_ACTION_LABELS:
            return CORE_ACTION_LABELS[code]
        try:
            return registry.get(code).label
        except KeyError:
            return code

    return action_label

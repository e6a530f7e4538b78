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
    "persons.export": "Export RGPD des données",
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
}


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

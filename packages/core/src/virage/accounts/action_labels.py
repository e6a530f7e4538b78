"""French labels of the audit actions of the account life cycle (:mod:`.lifecycle`,
:mod:`.links`, :mod:`.self_service`), declared to the journal by the domain's plugin."""

from __future__ import annotations

#: French labels of the audit actions of the account life cycle (the journal shows them).
ACTION_LABELS: dict[str, str] = {
    "accounts.manage": "Administration des comptes",
    "accounts.structure.refused": "Administration des comptes : structure hors d'atteinte",
    "accounts.listed": "Liste des comptes consultée",
    "accounts.viewed": "Fiche d'un compte consultée",
    "accounts.invited": "Compte créé par invitation",
    "accounts.reset_link": "Lien de réinitialisation du mot de passe créé",
    "accounts.link.used": "Mot de passe choisi par lien à usage unique",
    "accounts.link.refused": "Lien à usage unique refusé (déjà servi, expiré ou inconnu)",
    "accounts.deactivated": "Compte désactivé (sessions fermées, jetons révoqués)",
    "accounts.reactivated": "Compte réactivé",
    "accounts.membership.added": "Compte ajouté à une structure",
    "accounts.membership.role": "Rôle changé dans une structure",
    "accounts.membership.removed": "Compte retiré d'une structure",
    "accounts.network_admin": "Administration du réseau accordée ou retirée",
    "accounts.import": "Import de comptes (fichier CSV)",
    "accounts.password.changed": "Mot de passe changé par la personne",
    "accounts.password.refused": (
        "Changement de mot de passe refusé (mot de passe actuel faux, ou trop d'essais)"
    ),
    "accounts.sessions.closed": "Sessions fermées par la personne",
    "accounts.token.revoked_by_owner": "Jeton d'API révoqué par son titulaire",
    # virage.accounts.external_login (SDK: log in through another service)
    "accounts.login.external": "Identité vérifiée par un service extérieur (Pro Santé Connect…)",
    # virage.accounts.identity_vigilance (RNIV)
    "persons.identity.validated": "Identité d'une personne validée sur une pièce",
    "persons.identity.ins_retrieved": "INS d'une personne récupérée (téléservice INSi)",
    "persons.identity.reset": "Identité d'une personne redevenue provisoire (traits modifiés)",
    "persons.duplicates.read": "Doublons possibles de la structure consultés",
    "persons.merged": "Doublon fusionné dans le dossier conservé (motif au journal)",
}

"""Permissions of the accounts domain declared next to the core's (``virage.access``): the
structure's own settings, and persons' objections to sharing."""

from __future__ import annotations

from virage.access import permission

ACCOUNT_PERMISSIONS = (
    permission(
        "structures.settings",
        "Régler la connexion (second facteur, réseaux de la structure) et déclarer la "
        "consultation du CSE",
        ["director"],
        personal_data=False,
    ),
    permission(
        "accounts.manage",
        "Administrer les comptes de la structure : inviter, changer les rôles, retirer, "
        "désactiver, donner un lien de réinitialisation du mot de passe",
        ["director"],
        personal_data=False,
    ),
    permission(
        "persons.objection.manage",
        "Enregistrer ou lever l'opposition d'une personne au partage de ses informations hors "
        "de son équipe de soins",
        ["director", "dpo", "coordinator", "secretariat"],
    ),
    permission(
        "persons.merge",
        "Fusionner deux dossiers d'une même personne (doublon) ; le doublon est clos",
        ["director", "coordinator"],
    ),
)

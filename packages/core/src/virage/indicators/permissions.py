"""The indicators' permissions (figures only: none of them opens a person's record)."""

from __future__ import annotations

from virage.access import permission

PERMISSIONS = (
    permission(
        "indicators.read",
        "Voir les indicateurs de la structure (chiffres par mois, petits effectifs masqués)",
        ["director", "dpo", "coordinator"],
        personal_data=False,
    ),
    permission(
        "indicators.export.prepare",
        "Préparer l'export des indicateurs d'une période (sas)",
        ["director"],
        personal_data=False,
    ),
    permission(
        "indicators.export.review",
        "Relire les exports d'indicateurs préparés (sas)",
        ["director", "dpo"],
        personal_data=False,
    ),
    permission(
        "indicators.export.approve",
        "Approuver un export d'indicateurs avant sa sortie (direction et DPO, chacun une fois)",
        ["director", "dpo"],
        personal_data=False,
    ),
    permission(
        "indicators.export.download",
        "Télécharger un export d'indicateurs approuvé (journalisé)",
        ["director", "dpo"],
        personal_data=False,
    ),
    permission(
        "indicators.sent.read",
        "Voir ce qui a été envoyé sur l'activité de la structure (pour répondre à une personne)",
        ["director", "dpo", "coordinator", "secretariat"],
        personal_data=False,
    ),
    permission(
        "indicators.network",
        "Voir les indicateurs du réseau et régler le seuil des petits effectifs",
        [],
        "network",
        personal_data=False,
    ),
)

AUDIT_ACTIONS = {
    "indicators.export.prepared": "Indicateurs : export préparé pour relecture (sas)",
    "indicators.export.reviewed": "Indicateurs : export relu",
    "indicators.export.approved": "Indicateurs : export approuvé",
    "indicators.export.invalidated": "Indicateurs : export annulé, les données ont changé",
    "indicators.export.refused": "Indicateurs : export refusé",
    "indicators.export.downloaded": "Indicateurs : export téléchargé",
    "indicators.export.cli": "Indicateurs : export sorti par la ligne de commande",
    "indicators.sent.read": "Indicateurs : envois consultés",
    "indicators.threshold.changed": "Indicateurs : seuil des petits effectifs modifié",
}

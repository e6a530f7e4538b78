"""Permissions of the agenda, declared through ``register_permissions`` like any plugin's.

The secretariat books and sees who is where and when (with the person's identity), never the care
notes; care notes follow the care team, as health information does in the person's record.
"""

from __future__ import annotations

from virage.access import CARE_ROLES, permission

FIELD_ROLES = sorted(CARE_ROLES)  # coordinator, nurse, care_assistant, social_worker, home_help
READERS = ["director", "secretariat", *FIELD_ROLES]
#: Like the health content of a person's record: the care team (a director only when in it).
NOTES_ROLES = ["director", *FIELD_ROLES]

PERMISSIONS = (
    permission(
        "agenda.read",
        "Voir l'agenda de la structure (horaires, lieux, intitulés, personnes selon leur accès)",
        READERS,
    ),
    permission(
        "agenda.book",
        "Prendre, déplacer et annuler les rendez-vous de tous les professionnels de la structure",
        ["director", "coordinator", "secretariat"],
    ),
    permission(
        "agenda.book.own",
        "Prendre, déplacer et annuler ses propres rendez-vous",
        READERS,
    ),
    permission(
        "agenda.force",
        "Réserver malgré un conflit d'agenda (professionnel déjà occupé ou absent)",
        ["coordinator"],
        personal_data=False,
    ),
    permission(
        "agenda.notes.read",
        "Lire les notes de soins et d'accompagnement d'un rendez-vous",
        NOTES_ROLES,
        "care_team",
        without_team=["coordinator"],
        emergency=True,
    ),
    permission(
        "agenda.notes.write",
        "Écrire les notes de soins et d'accompagnement d'un rendez-vous",
        NOTES_ROLES,
        "care_team",
        without_team=["coordinator"],
    ),
    permission(
        "agenda.availability.read",
        "Voir les disponibilités des professionnels (créneaux libres)",
        READERS,
        personal_data=False,
    ),
    permission(
        "agenda.availability.manage",
        "Déclarer les horaires de travail et les absences des professionnels",
        ["director", "coordinator", "secretariat"],
        personal_data=False,
    ),
    permission(
        "agenda.checkins.read",
        "Voir les pointages d'arrivée et de départ des visites",
        ["director", "coordinator"],
        personal_data=False,
    ),
    permission(
        "agenda.teams.manage",
        "Composer les équipes de l'agenda (secteurs, tournées)",
        ["director", "coordinator"],
        personal_data=False,
    ),
    permission(
        "agenda.import",
        "Importer des rendez-vous depuis un fichier iCalendar (.ics)",
        ["director", "coordinator", "secretariat"],
    ),
    permission(
        "agenda.settings.manage",
        "Régler ce que montrent les abonnements de calendrier de la structure",
        ["director"],
        personal_data=False,
    ),
)

"""The seven scenes of the guided tour, in the order of a day in the Val-de-Loue (the plan's
review comes last: its reads would push the morning's lines off the journal the direction reads).

Every scene finds its characters in the demo database (the same seed gives the same persons),
acts through the pages a user would use, checks what each person must (and must not) see, and
takes its pictures. Captions are French and contain no date, so that a page regenerated another
day only changes when the product changes.
"""

from __future__ import annotations

from virage_demo_territory.tour import Step
from virage_demo_territory.tour.scenes_field import night_to_morning, secretary_books_a_slot
from virage_demo_territory.tour.scenes_file import coordinator_reviews_a_plan
from virage_demo_territory.tour.scenes_partners import hospital_discharge, teleconsultation
from virage_demo_territory.tour.scenes_trust import (
    director_reads_the_trail,
    worker_sees_her_records,
)

STEPS: list[Step] = [
    Step(
        "secretariat-rendez-vous",
        "Le secrétariat réserve un créneau de l'assistante sociale",
        "Léa Moreau (secrétariat) et Julie Caron (assistante sociale du département)",
        "Un usager appelle le service social : plutôt que de laisser un message à l'assistante "
        "sociale sur la route, la secrétaire trouve elle-même un créneau libre et le réserve.",
        ("Guide de l'agenda partagé", "guides/agenda.md"),
        secretary_books_a_slot,
    ),
    Step(
        "transmission-urgente",
        "La transmission urgente de la nuit, lue par l'équipe du matin",
        "Nadia Benali (infirmière de nuit), Inès Roussel (coordination), Sophie Lambert "
        "(aide-soignante) — SSIAD du Val-de-Loue",
        "Une chute la nuit au domicile d'une personne accompagnée : l'équipe du matin doit le "
        "savoir avant d'entrer chez elle, et la coordination doit savoir qu'elle le sait.",
        ("Guide des transmissions", "guides/transmissions.md"),
        night_to_morning,
    ),
    Step(
        "orientation-ehpad",
        "L'hôpital oriente une patiente vers un EHPAD et reçoit une réponse",
        "Sarah Nguyen (assistante sociale hospitalière), Dr Claire Morel, Marc Lefèvre et "
        "Thomas Renaud (coordination d'EHPAD), Odile Marchand (direction d'EHPAD)",
        "Une sortie d'hôpital ne se prépare pas à coups de fax : une seule demande, un volet "
        "médical réservé aux soignants, des EHPAD proposés selon la distance et les places, "
        "des réponses motivées.",
        ("Guide de l'orientation", "guides/orientation.md"),
        hospital_discharge,
    ),
    Step(
        "teleconsultation",
        "Une téléconsultation, de la demande au compte rendu",
        "Amina Diallo (infirmière d'EHPAD), Dr Hélène Vasseur (médecin téléconsultant), Thomas "
        "Renaud (coordination), Sylvie Morin (accueil)",
        "Un avis médical sans transport pour une résidente fragile : la demande, le créneau, "
        "le consentement, la séance et le compte rendu, qui rejoint le dossier de soins.",
        ("Guide de la téléconsultation", "guides/teleconsultation.md"),
        teleconsultation,
    ),
    Step(
        "journal-des-acces",
        "La direction lit le journal des accès",
        "Claire Fontaine (direction du SSIAD)",
        "Le secret partagé se prouve : la direction peut montrer qui a lu quoi, sans lire "
        "elle-même le contenu des soins.",
        ("Guide accès et confidentialité", "guides/acces-et-confidentialite.md"),
        director_reads_the_trail,
    ),
    Step(
        "ce-qui-est-enregistre-sur-moi",
        "Une professionnelle vérifie ce qui est enregistré sur elle",
        "Sophie Lambert (aide-soignante)",
        "Pas de surveillance cachée : ce que Virage enregistre sur une professionnelle, elle "
        "le voit, au même endroit et en entier.",
        ("Guide accès et confidentialité", "guides/acces-et-confidentialite.md"),
        worker_sees_her_records,
    ),
    Step(
        "revision-du-projet",
        "La coordinatrice révise le projet personnalisé avec la personne",
        "Inès Roussel (coordination) et Léa Moreau (secrétariat) — SSIAD du Val-de-Loue",
        "Chaque personne accompagnée a un projet personnalisé, écrit avec elle et revu à date "
        "fixe : la coordination voit les révisions en retard, les revoit avec la personne, et "
        "garde chaque version.",
        ("Guide du dossier de la personne", "guides/dossier-de-la-personne.md"),
        coordinator_reviews_a_plan,
    ),
]

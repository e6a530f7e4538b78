"""Teleconsultations of the demo territory, one in every state of the plugin's state machine.

Residents of EHPAD Les Tilleuls followed by amina.ide and the remote doctor (helene.teleconsult):
amina requests, books, prepares (identity, consent, equipment), runs the session; Dr Vasseur
writes her report. Every step goes through the plugin's service, as in real use (access checks,
audit trail, agenda appointments); past sessions are booked in the past and their steps dated at
the session's time (the service's ``now``).

Left free for the guided tour (it runs a live session): the first resident followed by both
(lowest id) has no teleconsultation, and no session occupies the doctor from today to the day
after tomorrow (past sessions on previous days, future ones three days ahead or more).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from virage_teleconsultation import service

from virage.sdk import (
    AccessContext,
    Conflict,
    accounts,
    to_utc,
    today_paris,
    transmissions,
    utcnow,
)

NURSE = "amina.ide"
DOCTOR = "helene.teleconsult"
#: Afternoon times tried in turn (Paris) until the agenda accepts the booking (no conflict).
HOURS = ["14:00", "14:30", "15:00", "15:30", "16:00", "10:30", "11:00"]
EQUIPMENT = ["device", "network", "room", "instruments", "documents"]

# final state, day (relative to today, None: not booked), reason, documents, details
SESSIONS: list[tuple[str, int | None, str, str, dict]] = [
    (
        "reported",
        -13,
        "Plaie de l'avant-pied qui ne cicatrise pas depuis trois semaines : avis sur le pansement",
        "Photos de la plaie, traitement en cours, dernière glycémie",
        {
            "consent": "oral",
            "report": "Plaie de l'avant-pied propre, bourgeonnante, sans signe d'infection. "
            "Poursuivre le pansement hydrocolloïde tous les trois jours, décharge par chaussure "
            "adaptée.",
            "actions": "Pansement hydrocolloïde tous les 3 jours ; revoir en téléconsultation "
            "dans 15 jours si pas d'amélioration.",
        },
    ),
    (
        "reported",
        -6,
        "Toux et encombrement depuis quatre jours, température à 38,2 °C hier soir",
        "Courbe de température, saturation, liste des traitements",
        {
            "consent": "representative",
            "report": "Bronchite probable sans signe de gravité (saturation 95 % en air "
            "ambiant, auscultation rapportée claire). Pas d'antibiotique à ce stade.",
            "actions": "Paracétamol si fièvre, kinésithérapie respiratoire, hydratation ; "
            "rappeler si saturation < 92 % ou fièvre au-delà de 3 jours.",
            "results": "Famille prévenue par l'infirmière.",
        },
    ),
    (
        "done",
        -2,
        "Adaptation du traitement antihypertenseur : tensions basses et vertiges au lever",
        "Relevés de tension des 10 derniers jours, ordonnance en cours",
        {"consent": "oral"},
    ),
    (
        "not_done",
        -4,
        "Suivi de l'insuffisance cardiaque : prise de poids de 2 kg en une semaine",
        "Courbe de poids, ordonnance, dernier bilan sanguin",
        {
            "consent": "written",
            "not_done": "Connexion coupée dès le début de la séance (panne du réseau de "
            "l'EHPAD) : séance à reprogrammer.",
        },
    ),
    (
        "in_progress",
        -1,
        "Réévaluation des douleurs articulaires après changement d'antalgique",
        "Grille d'évaluation de la douleur, ordonnance",
        {"consent": "oral"},
    ),
    (
        "ready",
        3,
        "Avis dermatologique : lésion du cuir chevelu qui saigne au contact",
        "Photos de la lésion",
        {"consent": "written"},
    ),
    (
        "scheduled",
        4,
        "Bilan de chute : trois chutes nocturnes en un mois",
        "Fiches de déclaration de chute, traitement en cours",
        {},
    ),
    (
        "cancelled",
        6,
        "Renouvellement et réévaluation du traitement antidiabétique",
        "Carnet de glycémies, dernier bilan sanguin",
        {
            "cancel": "Le médecin traitant passe à l'EHPAD la semaine prochaine : il "
            "réévaluera le traitement lui-même.",
        },
    ),
    (
        "requested",
        None,
        "Troubles du sommeil et anxiété depuis l'arrivée dans l'établissement",
        "Traitement en cours, observations de l'équipe de nuit",
        {},
    ),
]


def _access(db, plugins, username: str) -> AccessContext | None:
    if accounts.user_by_username(db, username) is None:
        return None
    return accounts.access_for(db, plugins, username, "demo")


def _residents(access: AccessContext, sid: int, nurse_id: int, doctor_id: int) -> list[int]:
    """Residents followed by both, except the tour's (lowest id); the doctor joins two more."""
    db = access.db
    followed = accounts.persons(db, sid, only_user_team=nurse_id)
    with_doctor = sorted(p["id"] for p in followed if doctor_id in _team(db, p["id"]))
    if not with_doctor:
        return []
    tour = with_doctor[0]
    others = sorted(p["id"] for p in followed if p["id"] > tour and p["id"] not in with_doctor)
    for pid in others[:2]:
        accounts.add_member(access, pid, doctor_id)
    return [pid for pid in sorted({*with_doctor, *others[:2]}) if pid != tour]


def _team(db, person_id: int) -> set[int]:
    return set(accounts.care_team_ids(db, person_id))


def _book(nurse: AccessContext, plugins, tc_id: int, day, rng: random.Random) -> datetime:
    first = rng.randrange(len(HOURS))
    for hhmm in HOURS[first:] + HOURS[:first]:
        start = to_utc(datetime.combine(day, time.fromisoformat(hhmm)))
        try:
            service.schedule(nurse, plugins, tc_id, start)
        except Conflict:
            continue
        return start
    raise Conflict(f"Démo : aucun créneau libre le {day} pour la téléconsultation {tc_id}.")


def create(
    coordinator: AccessContext, rng: random.Random, plugins, sid: int, professional_id: int
) -> list[str]:
    db = coordinator.db
    nurse = _access(db, plugins, NURSE)
    doctor = _access(db, plugins, DOCTOR)
    if nurse is None or doctor is None:
        return []
    residents = _residents(coordinator, sid, nurse.actor.user_id, doctor.actor.user_id)
    if not residents:
        return []
    # The report is a transmission of the plugin's target: add the plugins' targets now (the
    # server does it at start-up; the demo database is built before).
    transmissions.sync_nomenclature(db, plugins)
    today = today_paris()
    rng.shuffle(residents)
    for i, (state, day, reason, documents, details) in enumerate(SESSIONS):
        tc_id = service.request(
            nurse,
            plugins,
            {
                "person_id": residents[i % len(residents)],
                "doctor_professional_id": professional_id,
                "reason": reason,
                "documents": documents,
            },
        )
        if day is None:
            continue
        start = _book(nurse, plugins, tc_id, today + timedelta(days=day), rng)
        if state == "cancelled":
            service.cancel(nurse, plugins, tc_id, details["cancel"])
            continue
        if state == "scheduled":
            continue
        service.prepare(
            nurse,
            tc_id,
            identity_checked=True,
            consent=True,
            consent_method=details["consent"],
            consent_collected_by=nurse.actor.user_id,
            equipment=EQUIPMENT,
            now=min(start - timedelta(minutes=20), utcnow()),
        )
        if state == "ready":
            continue
        service.start(nurse, plugins, tc_id, now=start + timedelta(minutes=2))
        if state == "not_done":
            service.not_done(
                nurse, plugins, tc_id, details["not_done"], now=start + timedelta(minutes=6)
            )
            continue
        if state == "in_progress":
            continue
        service.finish(nurse, plugins, tc_id, now=start + timedelta(minutes=27))
        if state == "done":
            continue
        service.report(
            doctor,
            plugins,
            tc_id,
            data=details["report"],
            actions=details.get("actions", ""),
            results=details.get("results", ""),
        )
    return [
        f"Téléconsultation : {len(SESSIONS)} séances fictives, une par état (demandée, "
        "planifiée, prête, en cours, réalisée sans compte rendu, compte rendu reçu, annulée, "
        "non réalisée)."
    ]

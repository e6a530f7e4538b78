"""Orientation requests of the demo territory, in every state of the answer cycle.

The hospital discharge team (``sarah.sortie`` writes, ``dr.morel`` completes the medical part)
orients fictitious hospitalised persons; the EHPADs of the network answer (``thomas.idec`` for
EHPAD Les Tilleuls, ``marc.glycines`` for EHPAD Les Glycines). Every step goes through the
plugin's service functions, as in real use (access checks, audit trail, state machine); only the
timestamps are then moved into the past weeks (``storage.backdate``), so that the network's
dashboard shows plausible answer times. One request is withdrawn by the discharge team (the
person goes home with the SSIAD): its sendings show « Annulée par le demandeur ». Mme Yvonne
Garnier gets no request: the guided tour orients her live.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from virage_orientation import service, storage
from virage_orientation.models import AnswerIn, RequestIn

from virage.sdk import AccessContext, accounts, iso, to_utc, today_paris, utcnow_iso
from virage_demo_territory.orientation_scenarios import SCENARIOS, WARDS
from virage_demo_territory.people import COMMUNES, FAMILY, GIVEN_F, GIVEN_M

REQUESTER = "sarah.sortie"
DOCTOR = "dr.morel"
#: The EHPADs of the network that answer (directory name → the coordinator who answers).
ANSWERING = {"EHPAD Les Tilleuls": "thomas.idec", "EHPAD Les Glycines": "marc.glycines"}
#: Family names the tour and its tests look for: never given to these persons.
RESERVED = {"Garnier"}
NAMES = sorted(set(FAMILY) - RESERVED)


def _at(today: date, days_ago: int, hhmm: str, rng: random.Random) -> str:
    hour, minute = map(int, hhmm.split(":"))
    local = datetime.combine(today - timedelta(days=days_ago), time(hour, minute))
    return iso(to_utc(local + timedelta(minutes=rng.randint(0, 9))))


def _person(db, rng: random.Random, hospital_id: int, family: str, ward: str) -> int:
    female = rng.random() < 0.6
    commune, postcode = rng.choice(COMMUNES)
    return accounts.create_person(
        db,
        hospital_id,
        {
            "family_name": family,
            "birth_name": rng.choice(NAMES) if female and rng.random() < 0.5 else None,
            "given_names": rng.choice(GIVEN_F if female else GIVEN_M),
            "birth_date": f"{rng.randint(1929, 1946)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "sex": "F" if female else "M",
            "city": commune,
            "postcode": postcode,
            "health_notes": ward,
        },
    )


def _access(db, plugins, username: str) -> AccessContext | None:
    if accounts.user_by_username(db, username) is None:
        return None
    return accounts.access_for(db, plugins, username, "demo")


def create(db, rng: random.Random, plugins, hospital_id: int) -> list[str]:
    sarah = _access(db, plugins, REQUESTER)
    doctor = _access(db, plugins, DOCTOR)
    answering = {name: _access(db, plugins, user) for name, user in ANSWERING.items()}
    tenants = {
        name: accounts.find_structure(db, name)["id"]
        for name, access in answering.items()
        if access is not None
    }
    if sarah is None or doctor is None:
        return []
    today = today_paris()
    families = rng.sample(NAMES, len(SCENARIOS))
    for scenario, family in zip(SCENARIOS, families, strict=True):
        pid = _person(db, rng, hospital_id, family, rng.choice(WARDS))
        accounts.add_to_care_team(db, pid, sarah.actor.user_id, doctor.actor.user_id)
        accounts.add_to_care_team(db, pid, doctor.actor.user_id, doctor.actor.user_id)
        _play(db, rng, plugins, today, pid, scenario, sarah, doctor, answering, tenants)
    return [
        f"Orientation : {len(SCENARIOS)} demandes fictives de l'équipe de sortie sur les quatre "
        "dernières semaines, une par étape du cycle (en préparation, envoyée, consultée, liste "
        "d'attente, refusée, admission proposée, acceptée, réalisée, retirée par le demandeur)."
    ]


def _play(db, rng, plugins, today, pid, scenario, sarah, doctor, answering, tenants) -> int:
    rid = 0
    consent = scenario.get("consent", "personne")
    for days_ago, hhmm, action, *args in scenario["steps"]:
        since = utcnow_iso()
        at = _at(today, days_ago, hhmm, rng)
        if action == "create":
            data = RequestIn(
                person_id=pid,
                module="grand_age",
                offer=scenario["offer"],
                criteria=scenario["criteria"],
                gir=scenario["gir"],
                mobility=scenario["mobility"],
                commune=rng.choice(["Loue-la-Vallée", "Saint-Aubin-sur-Loue"]),
                radius_km=25,
                wished_date=today + timedelta(days=scenario.get("wished_in", 15)),
                urgency=scenario["urgency"],
                consent=consent,
                consent_by="Mme Hélène Bourdon, curatrice" if consent == "representant" else None,
                admin_notes=scenario["admin_notes"],
            )
            rid = service.create_request(sarah, data)["id"]
        elif action == "medical":
            service.save_medical(doctor, rid, scenario["medical"])
        elif action == "send":
            ranked = {c["name"]: c["id"] for c in service.proposals(sarah, plugins, rid)["results"]}
            service.send(sarah, plugins, rid, [ranked[n] for n in args[0] if n in ranked])
        elif action == "withdraw":
            service.withdraw(sarah, rid, args[0])
        elif action in ("view", "answer", "choose"):
            name = args[0]
            sending = next(
                (s for s in storage.sendings_of(db, rid) if s["structure_name"] == name), None
            )
            if sending is None:
                continue
            if action == "choose":
                service.choose(sarah, rid, sending["id"])
            elif name in tenants and action == "view":
                service.incoming_view(answering[name], tenants[name], sending["id"])
            elif name in tenants:
                fields = dict(args[1])
                if "proposed_in" in fields:
                    fields["proposed_date"] = today + timedelta(days=fields.pop("proposed_in"))
                service.answer(answering[name], tenants[name], sending["id"], AnswerIn(**fields))
        storage.backdate(db, rid, since, at)
    return rid

"""Use cases of the teleconsultation: a strict state machine over an agenda appointment.

States (stored → French):

``requested`` demandée → ``scheduled`` planifiée (an agenda appointment of kind
``teleconsultation``) → ``ready`` prête (identity checked, consent recorded with who collected it
and how, equipment checklist done) → ``in_progress`` en cours → ``done`` réalisée →
``reported`` compte rendu reçu (a transmission of target ``teleconsultation``).
Side exits: ``cancelled`` annulée (before the session starts, with a reason) and ``not_done``
non réalisée (once ready or running, with a reason).

Every function checks the access (``access.require`` writes the audit entry) and audits the step.
The agenda and the transmissions are used only through their public service functions.

A session with a doctor outside the person's care team (no account in the structure, or not in
her team) shares her health information outside it: when she objected to that sharing
(art. L1110-4 CSP, :mod:`virage.accounts.objections`), the request, the booking and the start are
refused with the reason, and the refusal is audited. A doctor of her care team is not concerned.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from virage.accounts import objections
from virage.accounts import storage as accounts_storage
from virage.accounts.context import AccessContext
from virage.agenda import service as agenda
from virage.agenda.timeutil import iso, parse_iso
from virage.db import transaction, utcnow, utcnow_iso
from virage.directory import service as directory
from virage.errors import Conflict, Forbidden, InvalidInput, NotFound
from virage.plugins import PluginHost
from virage.transmissions import service as transmissions
from virage_teleconsultation import storage, video

KIND = "teleconsultation"
TARGET = "teleconsultation"
NOT_FOUND = "Cette téléconsultation n'existe pas ou ne vous est pas accessible."

STATES: dict[str, str] = {
    "requested": "Demandée",
    "scheduled": "Planifiée",
    "ready": "Prête",
    "in_progress": "En cours",
    "done": "Réalisée",
    "reported": "Compte rendu reçu",
    "cancelled": "Annulée",
    "not_done": "Non réalisée",
}
#: The strict state machine: state → states it may go to.
TRANSITIONS: dict[str, frozenset[str]] = {
    "requested": frozenset({"scheduled", "cancelled"}),
    "scheduled": frozenset({"ready", "cancelled"}),
    "ready": frozenset({"in_progress", "cancelled", "not_done"}),
    "in_progress": frozenset({"done", "not_done"}),
    "done": frozenset({"reported"}),
    "reported": frozenset(),
    "cancelled": frozenset(),
    "not_done": frozenset(),
}
#: States in which the participants see the video link.
LINK_STATES = frozenset({"scheduled", "ready", "in_progress"})
CONSENT_METHODS: dict[str, str] = {
    "oral": "Oral, recueilli auprès de la personne",
    "written": "Écrit, signé par la personne",
    "representative": "Par la personne de confiance ou le représentant légal",
}
EQUIPMENT: dict[str, str] = {
    "device": "Tablette ou ordinateur chargé, caméra et micro testés",
    "network": "Connexion testée dans la pièce",
    "room": "Pièce calme, porte fermée, intimité respectée",
    "instruments": "Matériel de mesure prêt (tension, saturation, thermomètre…)",
    "documents": "Documents à préparer rassemblés (traitement, derniers résultats)",
}
#: A session may start at most this long before its planned time.
EARLY_START = timedelta(hours=1)
DURATION_MINUTES = 30


def _text(value: str | None, field: str, *, minimum: int = 0, maximum: int = 2000) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise InvalidInput(f"{field} : au moins {minimum} caractères.")
    if len(value) > maximum:
        raise InvalidInput(f"{field} : au plus {maximum} caractères.")
    return value


def _member(access: AccessContext, structure_id: int, user_id: int | None, field: str) -> None:
    if user_id is None:
        return
    ids = {m["id"] for m in accounts_storage.members_of(access.db, structure_id)}
    if user_id not in ids:
        raise InvalidInput(f"{field} : ce professionnel n'appartient pas à la structure.")


def _outside_team(access: AccessContext, person_id: int, doctor_user_id: int | None) -> bool:
    return doctor_user_id is None or doctor_user_id not in accounts_storage.care_team_ids(
        access.db, person_id
    )


def _require_sharing(access: AccessContext, row: dict, action: str) -> None:
    """Refuse (audited) a session with a doctor outside the care team against an objection."""
    if _outside_team(access, row["person_id"], row["doctor_user_id"]):
        objections.require_sharing(
            access,
            row["person_id"],
            health=True,
            action=action,
            target=f"teleconsultation:{row['id']}" if row.get("id") else None,
        )


def participants(row: dict) -> set[int]:
    return {
        uid
        for uid in (row["requested_by"], row["accompanying_user_id"], row["doctor_user_id"])
        if uid is not None
    }


def _load(access: AccessContext, tc_id: int, perm: str = "teleconsultation.read", **audit) -> dict:
    actor = access.require_login()
    row = storage.get(access.db, tc_id)
    if row is None or actor.role_in(row["structure_id"]) is None:
        raise NotFound(NOT_FOUND)
    access.require(perm, person_id=row["person_id"], target=f"teleconsultation:{tc_id}", **audit)
    return row


def _move(access: AccessContext, row: dict, new: str, values: dict | None = None) -> dict:
    old = row["status"]
    if new not in TRANSITIONS[old]:
        raise Conflict(
            f"Une téléconsultation « {STATES[old].lower()} » ne peut pas passer à "
            f"« {STATES[new].lower()} »."
        )
    values = {**(values or {}), "status": new}
    with transaction(access.db):
        storage.update(access.db, row["id"], values)
        access.audit(
            f"teleconsultation.{new}",
            structure_id=row["structure_id"],
            person_id=row["person_id"],
            target=f"teleconsultation:{row['id']}",
            details={"de": STATES[old], "vers": STATES[new]},
        )
    return {**row, **values}


# --------------------------------------------------------------------------- steps


def request(access: AccessContext, plugins: PluginHost, data: dict[str, Any]) -> int:
    """Ask for a teleconsultation (state ``requested``); returns its id."""
    actor = access.require_login()
    person = access.require(
        "teleconsultation.request", person_id=data["person_id"], action="teleconsultation.request"
    )
    if person["status"] == "closed":
        raise Conflict("Le dossier de cette personne est clos.")
    sid = person["structure_id"]
    directory.require_read(access)
    doctor = directory.professional_detail(access.db, int(data["doctor_professional_id"]))
    if doctor["status"] != "open":
        raise InvalidInput("Ce professionnel n'exerce plus (fermé dans l'annuaire).")
    members = {m["id"] for m in accounts_storage.members_of(access.db, sid)}
    doctor_user = doctor["user_id"] if doctor["user_id"] in members else None
    _require_sharing(
        access,
        {"person_id": person["id"], "doctor_user_id": doctor_user},
        "teleconsultation.request",
    )
    accompanying = data.get("accompanying_user_id") or actor.user_id
    _member(access, sid, accompanying, "Professionnel accompagnant")
    label = " ".join(
        x for x in (doctor.get("civility"), doctor.get("given_name"), doctor["family_name"]) if x
    )
    if doctor.get("profession_label"):
        label += f" ({doctor['profession_label']})"
    values = {
        "structure_id": sid,
        "person_id": person["id"],
        "status": "requested",
        "requested_by": actor.user_id,
        "doctor_professional_id": doctor["id"],
        "doctor_user_id": doctor_user,
        "doctor_label": label,
        "accompanying_user_id": accompanying,
        "reason": _text(data.get("reason"), "Motif", minimum=3),
        "documents": _text(data.get("documents"), "Documents à préparer"),
        "room": video.new_room(),
    }
    with transaction(access.db):
        tc_id = storage.insert(access.db, values)
        access.audit(
            "teleconsultation.requested",
            structure_id=sid,
            person_id=person["id"],
            target=f"teleconsultation:{tc_id}",
            details={"medecin": label},
        )
    return tc_id


def free_slots(
    access: AccessContext, plugins: PluginHost, tc_id: int, first_day: date, days: int = 7
) -> list[dict]:
    """Free slots of the remote doctor (when they have an account), else of the accompanying."""
    row = _load(access, tc_id, "teleconsultation.manage", action="teleconsultation.slots")
    who = row["doctor_user_id"] or row["accompanying_user_id"]
    return agenda.search_free_slots(
        access,
        plugins,
        row["structure_id"],
        first_day=first_day,
        last_day=first_day + timedelta(days=max(0, min(days, 30) - 1)),
        day_start=time(0, 0),
        day_end=time(23, 59),
        duration_minutes=DURATION_MINUTES,
        professional_ids=[who],
        limit=6,
    )


def schedule(
    access: AccessContext, plugins: PluginHost, tc_id: int, start: datetime, force: bool = False
) -> dict:
    """Book the session in the agenda (conflicts checked there) → ``scheduled``."""
    row = _load(access, tc_id, "teleconsultation.manage", action="teleconsultation.schedule")
    if "scheduled" not in TRANSITIONS[row["status"]]:
        raise Conflict(f"Cette téléconsultation est déjà « {STATES[row['status']].lower()} ».")
    _require_sharing(access, row, "teleconsultation.schedule")
    pros = [
        uid for uid in dict.fromkeys((row["doctor_user_id"], row["accompanying_user_id"])) if uid
    ]
    booked = agenda.book(
        access,
        plugins,
        row["structure_id"],
        {
            "kind": KIND,
            "title": "Téléconsultation",  # never the reason: the agenda and feeds are shared
            "professional_ids": pros,
            "person_id": row["person_id"],
            "start": start,
            "duration_minutes": DURATION_MINUTES,
            "place": "remote",
            "force": force,
        },
    )
    return _move(access, row, "scheduled", {"appointment_id": booked["id"]})


def prepare(
    access: AccessContext,
    tc_id: int,
    *,
    identity_checked: bool,
    consent: bool,
    consent_method: str,
    consent_collected_by: int | None,
    equipment: list[str],
    now: datetime | None = None,
) -> dict:
    """Identity checked, consent recorded (who, how), equipment checklist → ``ready``.

    ``now`` (default: the current time) dates the consent and the preparation: only for data
    recorded after the fact (the demo territory's past sessions), never from a request.
    """
    actor = access.require_login()
    row = _load(access, tc_id, "teleconsultation.manage", action="teleconsultation.prepare")
    if row["status"] != "scheduled":
        raise Conflict(
            f"Seule une téléconsultation planifiée se prépare (celle-ci est "
            f"« {STATES[row['status']].lower()} »)."
        )
    missing = []
    if not identity_checked:
        missing.append("l'identité de la personne vérifiée")
    if not consent:
        missing.append("le consentement de la personne (sinon, annulez avec le motif)")
    if consent and consent_method not in CONSENT_METHODS:
        missing.append("la façon dont le consentement a été recueilli")
    absent = [label for key, label in EQUIPMENT.items() if key not in set(equipment)]
    if absent:
        missing.append("la liste du matériel : " + " ; ".join(absent))
    if missing:
        raise InvalidInput(
            "Pour que la séance soit prête, il manque : " + " ; ".join(missing) + "."
        )
    collector = consent_collected_by or actor.user_id
    _member(access, row["structure_id"], collector, "Consentement recueilli par")
    now = iso(now) if now else utcnow_iso()
    return _move(
        access,
        row,
        "ready",
        {
            "identity_checked_by": actor.user_id,
            "consent_collected_by": collector,
            "consent_method": consent_method,
            "consent_at": now,
            "equipment": json.dumps(sorted(EQUIPMENT)),
            "prepared_at": now,
        },
    )


def _appointment(access: AccessContext, plugins: PluginHost, row: dict) -> dict | None:
    if row["appointment_id"] is None:
        return None
    try:
        return agenda.get(access, plugins, row["appointment_id"], audit=False)
    except NotFound:
        return None


def start(
    access: AccessContext, plugins: PluginHost, tc_id: int, now: datetime | None = None
) -> dict:
    """Start the session: never without recorded consent, nor long before its time.

    ``now`` (default: the current time): see :func:`prepare`.
    """
    row = _load(access, tc_id, "teleconsultation.manage", action="teleconsultation.start")
    if row["status"] != "ready" or not row["consent_at"]:
        raise Conflict(
            "La séance ne peut pas commencer : le consentement de la personne n'est pas "
            "enregistré (préparez d'abord la séance : identité, consentement, matériel)."
        )
    _require_sharing(access, row, "teleconsultation.start")
    appt = _appointment(access, plugins, row)
    if appt and parse_iso(appt["start"]) > (now or utcnow()) + EARLY_START:
        raise Conflict(
            f"La séance est prévue {appt['when']} : elle peut commencer au plus tôt une heure avant."
        )
    return _move(access, row, "in_progress", {"started_at": iso(now) if now else utcnow_iso()})


def finish(
    access: AccessContext, plugins: PluginHost, tc_id: int, now: datetime | None = None
) -> dict:
    """The session took place → ``done`` (and the agenda appointment is marked done).

    ``now`` (default: the current time): see :func:`prepare`.
    """
    row = _load(access, tc_id, "teleconsultation.manage", action="teleconsultation.finish")
    if row["status"] != "in_progress":
        raise Conflict("Seule une séance en cours peut être marquée réalisée.")
    if row["appointment_id"]:
        agenda.set_status(access, plugins, row["appointment_id"], "done")
    return _move(access, row, "done", {"ended_at": iso(now) if now else utcnow_iso()})


def not_done(
    access: AccessContext,
    plugins: PluginHost,
    tc_id: int,
    reason: str,
    now: datetime | None = None,
) -> dict:
    """The session could not take place (ready or running) → ``not_done``, with the reason.

    ``now`` (default: the current time): see :func:`prepare`.
    """
    reason = _text(reason, "Motif", minimum=3, maximum=300)
    row = _load(access, tc_id, "teleconsultation.manage", action="teleconsultation.not_done")
    if "not_done" not in TRANSITIONS[row["status"]]:
        raise Conflict(
            "Seule une séance prête ou en cours peut être déclarée non réalisée ; avant, "
            "annulez-la."
        )
    if row["appointment_id"]:
        agenda.set_status(access, plugins, row["appointment_id"], "missed")
    ended = iso(now) if now else utcnow_iso()
    return _move(access, row, "not_done", {"outcome_reason": reason, "ended_at": ended})


def cancel(access: AccessContext, plugins: PluginHost, tc_id: int, reason: str) -> dict:
    """Cancel before the session starts (the agenda appointment is cancelled too)."""
    reason = _text(reason, "Motif de l'annulation", minimum=3, maximum=300)
    row = _load(access, tc_id, "teleconsultation.manage", action="teleconsultation.cancel")
    if "cancelled" not in TRANSITIONS[row["status"]]:
        raise Conflict(
            "Une séance commencée, réalisée ou déjà close ne peut plus être annulée "
            "(une séance en cours peut être déclarée non réalisée, avec le motif)."
        )
    appt = _appointment(access, plugins, row)
    row = _move(access, row, "cancelled", {"outcome_reason": reason})
    if appt and appt["status"] != "cancelled":
        # the agenda's own reason: no health details
        agenda.cancel(access, plugins, row["appointment_id"], "Téléconsultation annulée")
    return row


def appointment_cancelled(db, appointment: dict, reason: str, actor) -> None:
    """The agenda appointment was cancelled from the agenda: the session is cancelled too."""
    from virage.audit.service import record

    if not appointment.get("id"):
        return
    row = storage.by_appointment(db, appointment["id"])
    if row is None or "cancelled" not in TRANSITIONS[row["status"]]:
        return
    with transaction(db):
        storage.update(
            db,
            row["id"],
            {
                "status": "cancelled",
                "outcome_reason": f"Rendez-vous annulé dans l'agenda : {reason}",
            },
        )
        record(
            db,
            actor,
            "teleconsultation.cancelled",
            structure_id=row["structure_id"],
            person_id=row["person_id"],
            target=f"teleconsultation:{row['id']}",
            details={"de": STATES[row["status"]], "vers": STATES["cancelled"], "par": "agenda"},
        )


def report(
    access: AccessContext,
    plugins: PluginHost,
    tc_id: int,
    *,
    data: str,
    actions: str = "",
    results: str = "",
) -> dict:
    """Record the doctor's report as a transmission (target ``teleconsultation``) → ``reported``.

    The remote doctor (with an account) writes it, or the accompanying professional (or the
    requester) on their behalf. The transmissions service checks ``transmissions.write``.
    """
    actor = access.require_login()
    row = _load(access, tc_id, "teleconsultation.read", action="teleconsultation.report")
    if row["status"] != "done":
        if row["status"] == "reported":
            raise Conflict("Le compte rendu de cette téléconsultation est déjà enregistré.")
        raise Conflict("Pas de compte rendu avant que la séance ait eu lieu (état « réalisée »).")
    if actor.user_id not in participants(row):
        raise Forbidden(
            "Seuls le médecin téléconsultant et les professionnels de la séance enregistrent "
            "le compte rendu."
        )
    header = f"Compte rendu de téléconsultation — {row['doctor_label']}"
    if actor.user_id != row["doctor_user_id"]:
        header += f" (saisi par {actor.display_name} pour le compte du médecin)"
    created = transmissions.create_transmission(
        access,
        plugins,
        row["person_id"],
        target=TARGET,
        data=f"{header}\n{_text(data, 'Compte rendu', minimum=3, maximum=3500)}",
        actions=actions,
        results=results,
        category="soins",
        appointment_id=row["appointment_id"],
        client_id=f"teleconsultation-{row['id']}",
        source="teleconsultation",
    )
    return _move(
        access,
        row,
        "reported",
        {"report_transmission_id": created.transmission["id"], "report_author_id": actor.user_id},
    )


# --------------------------------------------------------------------------- views


def _names(access: AccessContext, structure_id: int) -> dict[int, str]:
    return {
        m["id"]: m["display_name"] for m in accounts_storage.members_of(access.db, structure_id)
    }


def _person_label(access: AccessContext, person_id: int) -> str:
    person, ref = access.load_person(person_id)
    if access.allowed("persons.identity.read", person=ref):
        return f"{person['given_names']} {person['family_name'].upper()}"
    return agenda.initials(person["given_names"], person["family_name"])


def decorate(access: AccessContext, plugins: PluginHost, row: dict, *, link: bool = False) -> dict:
    names = _names(access, row["structure_id"])
    appt = _appointment(access, plugins, row)
    actor = access.require_login()
    is_participant = actor.user_id in participants(row)
    out = {
        **{k: row[k] for k in ("id", "structure_id", "person_id", "status", "appointment_id")},
        "status_label": STATES[row["status"]],
        "person": _person_label(access, row["person_id"]),
        "doctor": row["doctor_label"],
        "doctor_professional_id": row["doctor_professional_id"],
        "doctor_has_account": row["doctor_user_id"] is not None,
        "requested_by": names.get(row["requested_by"], "ancien·ne professionnel·le"),
        "accompanying": names.get(row["accompanying_user_id"] or 0, "—"),
        "reason": row["reason"],
        "documents": row["documents"],
        "when": appt["when"] if appt else None,
        "start": appt["start"] if appt else None,
        "consent_method": CONSENT_METHODS.get(row["consent_method"] or ""),
        "consent_collected_by": names.get(row["consent_collected_by"] or 0),
        "consent_at": row["consent_at"],
        "identity_checked_by": names.get(row["identity_checked_by"] or 0),
        "outcome_reason": row["outcome_reason"],
        "report_transmission_id": row["report_transmission_id"],
        "is_participant": is_participant,
        "next": sorted(TRANSITIONS[row["status"]]),
        "video_link": None,
        "created_at": row["created_at"],
    }
    if link and is_participant and row["status"] in LINK_STATES:
        out["video_link"] = video.link_for(plugins, row)
        access.audit(
            "teleconsultation.link.read",
            structure_id=row["structure_id"],
            person_id=row["person_id"],
            target=f"teleconsultation:{row['id']}",
        )
    return out


def view(access: AccessContext, plugins: PluginHost, tc_id: int) -> dict:
    """One session as the actor may see it: the video link for the participants only."""
    row = _load(access, tc_id, action="teleconsultation.read")
    return decorate(access, plugins, row, link=True)


def mine(access: AccessContext, plugins: PluginHost) -> list[dict]:
    """The sessions the actor takes part in (requesting nurse, accompanying, remote doctor)."""
    actor = access.require_login()
    out = []
    for row in storage.of_user(access.db, actor.user_id):
        if actor.role_in(row["structure_id"]) is None:
            continue
        _person, ref = access.load_person(row["person_id"])
        if access.allowed("teleconsultation.read", person=ref):
            out.append(decorate(access, plugins, row))
    if out:
        access.audit("teleconsultation.list.mine", details={"nombre": len(out)})
    return out


def overview(access: AccessContext, plugins: PluginHost, structure_id: int) -> dict[str, list]:
    """The coordinator's view: upcoming sessions, and sessions done without a report."""
    access.require(
        "teleconsultation.overview", structure_id=structure_id, action="teleconsultation.overview"
    )
    rows = [decorate(access, plugins, r) for r in storage.of_structure(access.db, structure_id)]
    upcoming = sorted(
        (r for r in rows if r["status"] in ("requested", "scheduled", "ready", "in_progress")),
        key=lambda r: r["start"] or "9999",
    )
    return {
        "upcoming": upcoming,
        "without_report": [r for r in rows if r["status"] == "done"],
    }


def of_person(access: AccessContext, plugins: PluginHost, person: dict) -> list[dict] | None:
    """The sessions of a person (their record's section), or None if the viewer may not see them."""
    _p, ref = access.load_person(person["id"])
    if not access.allowed("teleconsultation.read", person=ref):
        return None
    rows = storage.of_person(access.db, person["id"])
    if rows:
        access.require(
            "teleconsultation.read", person_id=person["id"], action="teleconsultation.person.read"
        )
    return [decorate(access, plugins, r) for r in rows]


def doctors(access: AccessContext, text: str = "", limit: int = 30) -> list[dict]:
    """Doctors of the directory (for the request form): profession code 10 (médecin)."""
    from virage.directory.search import SearchParams, search_professionals

    directory.require_read(access)
    params = SearchParams(q=text or None, professions=["10"], per_page=limit)
    return search_professionals(access.db, params).results

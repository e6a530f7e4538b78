"""Use cases of the teleconsultation: a strict state machine over an agenda appointment.

States (stored → French):

``requested`` demandée → ``scheduled`` planifiée (an agenda appointment of kind
``teleconsultation``) → ``ready`` prête (identity checked, consent recorded with who collected it
and how, equipment checklist done) → ``in_progress`` en cours → ``done`` réalisée →
``reported`` compte rendu reçu (a transmission of target ``teleconsultation``).
Side exits: ``cancelled`` annulée (before the session starts, with a reason) and ``not_done``
non réalisée (once ready or running, with a reason).

Every function checks the access (``access.require`` writes the audit entry) and audits the step.
The agenda and the transmissions are used only through their public functions (:mod:`virage.sdk`).

A session with a doctor outside the person's care team (no account in the structure, or not in
her team) shares her health information outside it: when she objected to that sharing
(art. L1110-4 CSP, ``virage.sdk.accounts.require_sharing``), the request, the booking and the
start are refused with the reason, and the refusal is audited. A doctor of her care team is not
concerned.

The state machine is in :mod:`virage_teleconsultation.machine`, the views in
:mod:`virage_teleconsultation.views`; their public names are importable from here too.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from virage.sdk import (
    AccessContext,
    Conflict,
    Forbidden,
    InvalidInput,
    PluginHost,
    accounts,
    agenda,
    audit,
    directory,
    iso,
    parse_iso,
    transaction,
    transmissions,
    utcnow,
    utcnow_iso,
)
from virage_teleconsultation import storage, video
from virage_teleconsultation.machine import (  # noqa: F401  (importable from here as before)
    CONSENT_METHODS,
    DURATION_MINUTES,
    EARLY_START,
    EQUIPMENT,
    KIND,
    LINK_STATES,
    NOT_FOUND,
    STATES,
    TARGET,
    TRANSITIONS,
    appointment_of,
    clean_text,
    load,
    move,
    participants,
    require_member,
    require_sharing,
)
from virage_teleconsultation.views import (  # noqa: F401  (importable from here as before)
    decorate,
    doctors,
    mine,
    of_person,
    overview,
    view,
)

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
    members = {m["id"] for m in accounts.members_of(access.db, sid)}
    doctor_user = doctor["user_id"] if doctor["user_id"] in members else None
    require_sharing(
        access,
        {"person_id": person["id"], "doctor_user_id": doctor_user},
        "teleconsultation.request",
    )
    accompanying = data.get("accompanying_user_id") or actor.user_id
    require_member(access, sid, accompanying, "Professionnel accompagnant")
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
        "reason": clean_text(data.get("reason"), "Motif", minimum=3),
        "documents": clean_text(data.get("documents"), "Documents à préparer"),
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


#: The window searched on the chosen day: the whole day. The doctor's working hours in the agenda
#: decide (a remote permanence may run at night, when EHPADs need it most); without hours of their
#: own, the agenda's default week applies.
WORKING_DAY = (time(0, 0), time(23, 59))


def free_slots(
    access: AccessContext, plugins: PluginHost, tc_id: int, day: date, limit: int = 24
) -> list[dict]:
    """Free slots of the remote doctor (when they have an account), else of the accompanying,
    on one day, within their working hours (the agenda's free-slot search, never its storage)."""
    row = load(access, tc_id, "teleconsultation.manage", action="teleconsultation.slots")
    who = row["doctor_user_id"] or row["accompanying_user_id"]
    return agenda.search_free_slots(
        access,
        plugins,
        row["structure_id"],
        first_day=day,
        last_day=day,
        day_start=WORKING_DAY[0],
        day_end=WORKING_DAY[1],
        duration_minutes=DURATION_MINUTES,
        professional_ids=[who],
        limit=limit,
    )


def schedule(
    access: AccessContext, plugins: PluginHost, tc_id: int, start: datetime, force: bool = False
) -> dict:
    """Book the session in the agenda (conflicts checked there) → ``scheduled``."""
    row = load(access, tc_id, "teleconsultation.manage", action="teleconsultation.schedule")
    if "scheduled" not in TRANSITIONS[row["status"]]:
        raise Conflict(f"Cette téléconsultation est déjà « {STATES[row['status']].lower()} ».")
    require_sharing(access, row, "teleconsultation.schedule")
    pros = [
        uid for uid in dict.fromkeys((row["doctor_user_id"], row["accompanying_user_id"])) if uid
    ]
    # One transaction: when a colleague scheduled it meanwhile (409), no slot stays booked.
    with transaction(access.db):
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
        return move(access, row, "scheduled", {"appointment_id": booked["id"]})


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
    row = load(access, tc_id, "teleconsultation.manage", action="teleconsultation.prepare")
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
    require_member(access, row["structure_id"], collector, "Consentement recueilli par")
    now = iso(now) if now else utcnow_iso()
    return move(
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


def start(
    access: AccessContext, plugins: PluginHost, tc_id: int, now: datetime | None = None
) -> dict:
    """Start the session: never without recorded consent, nor long before its time.

    ``now`` (default: the current time): see :func:`prepare`.
    """
    row = load(access, tc_id, "teleconsultation.manage", action="teleconsultation.start")
    if row["status"] != "ready" or not row["consent_at"]:
        raise Conflict(
            "La séance ne peut pas commencer : le consentement de la personne n'est pas "
            "enregistré (préparez d'abord la séance : identité, consentement, matériel)."
        )
    require_sharing(access, row, "teleconsultation.start")
    appt = appointment_of(access, plugins, row)
    if appt and parse_iso(appt["start"]) > (now or utcnow()) + EARLY_START:
        raise Conflict(
            f"La séance est prévue {appt['when']} : elle peut commencer au plus tôt une heure avant."
        )
    return move(access, row, "in_progress", {"started_at": iso(now) if now else utcnow_iso()})


def finish(
    access: AccessContext, plugins: PluginHost, tc_id: int, now: datetime | None = None
) -> dict:
    """The session took place → ``done`` (and the agenda appointment is marked done).

    ``now`` (default: the current time): see :func:`prepare`.
    """
    row = load(access, tc_id, "teleconsultation.manage", action="teleconsultation.finish")
    if row["status"] != "in_progress":
        raise Conflict("Seule une séance en cours peut être marquée réalisée.")
    if row["appointment_id"]:
        agenda.set_status(access, plugins, row["appointment_id"], "done")
    return move(access, row, "done", {"ended_at": iso(now) if now else utcnow_iso()})


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
    reason = clean_text(reason, "Motif", minimum=3, maximum=300)
    row = load(access, tc_id, "teleconsultation.manage", action="teleconsultation.not_done")
    if "not_done" not in TRANSITIONS[row["status"]]:
        raise Conflict(
            "Seule une séance prête ou en cours peut être déclarée non réalisée ; avant, "
            "annulez-la."
        )
    if row["appointment_id"]:
        agenda.set_status(access, plugins, row["appointment_id"], "missed")
    ended = iso(now) if now else utcnow_iso()
    return move(access, row, "not_done", {"outcome_reason": reason, "ended_at": ended})


def cancel(access: AccessContext, plugins: PluginHost, tc_id: int, reason: str) -> dict:
    """Cancel before the session starts (the agenda appointment is cancelled too)."""
    reason = clean_text(reason, "Motif de l'annulation", minimum=3, maximum=300)
    row = load(access, tc_id, "teleconsultation.manage", action="teleconsultation.cancel")
    if "cancelled" not in TRANSITIONS[row["status"]]:
        raise Conflict(
            "Une séance commencée, réalisée ou déjà close ne peut plus être annulée "
            "(une séance en cours peut être déclarée non réalisée, avec le motif)."
        )
    appt = appointment_of(access, plugins, row)
    row = move(access, row, "cancelled", {"outcome_reason": reason})
    if appt and appt["status"] != "cancelled":
        # the agenda's own reason: no health details
        agenda.cancel(access, plugins, row["appointment_id"], "Téléconsultation annulée")
    return row


def appointment_cancelled(db, appointment: dict, reason: str, actor) -> None:
    """The agenda appointment was cancelled from the agenda: the session is cancelled too."""
    if not appointment.get("id"):
        return
    row = storage.by_appointment(db, appointment["id"])
    if row is None or "cancelled" not in TRANSITIONS[row["status"]]:
        return
    with transaction(db):
        if not storage.update(
            db,
            row["id"],
            {
                "status": "cancelled",
                "outcome_reason": f"Rendez-vous annulé dans l'agenda : {reason}",
            },
            from_status=row["status"],
        ):
            return  # moved meanwhile (started, or cancelled from the session itself)
        audit.record(
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
    row = load(access, tc_id, "teleconsultation.read", action="teleconsultation.report")
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
        data=f"{header}\n{clean_text(data, 'Compte rendu', minimum=3, maximum=3500)}",
        actions=actions,
        results=results,
        category="soins",
        appointment_id=row["appointment_id"],
        client_id=f"teleconsultation-{row['id']}",
        source="teleconsultation",
    )
    return move(
        access,
        row,
        "reported",
        {"report_transmission_id": created.transmission["id"], "report_author_id": actor.user_id},
    )

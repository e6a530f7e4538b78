"""Use cases of orientation: every read and write goes through ``access.require`` (audited).

Readers:

- the **requesting structure** (permission ``orientation.request`` on the person's record) reads
  and edits the administrative part, sends, follows answers, accepts one admission or withdraws
  the request;
- the **medical part** is written and read, on the requesting side, by ``orientation.medical.write``
  (coordinator or nurse in the person's care team: the medical author, see the guide), and on the
  receiving side only by ``orientation.medical.read`` (coordinator, nurse) of a structure the request
  was sent to;
- a **receiving structure** (``orientation.receive``) sees only the requests sent to it.

The person's objection to sharing outside her care team (:mod:`virage.accounts.objections`) is
checked whenever the request leaves it: an objection to any sharing refuses the sending (audited);
an objection to the sharing of her health information sends the request without its medical part,
and a receiving structure never reads the medical part while such an objection is in force (even
for a request sent before it).
"""

from __future__ import annotations

from typing import Any

from virage.accounts import objections
from virage.accounts import storage as accounts_storage
from virage.accounts.context import AccessContext
from virage.db import transaction
from virage.directory import search as directory_search
from virage.directory import storage as directory_storage
from virage.errors import Conflict, Forbidden, InvalidInput, NotFound
from virage.plugins import PluginHost
from virage_orientation import matching, storage
from virage_orientation.catalog import (
    CONSENTS,
    CRITERIA,
    MOBILITY,
    MODULES,
    OFFERS,
    REFUSAL_REASONS,
    SENDING_STATUSES,
    TRANSITIONS,
    URGENCIES,
    WITHDRAWABLE_REQUEST,
    WITHDRAWABLE_SENDING,
)
from virage_orientation.models import AnswerIn, RequestIn

REQUEST_NOT_FOUND = "Cette demande d'orientation n'existe pas ou ne vous est pas accessible."
CHANGED = (
    "La demande a changé entre-temps (une autre réponse vient d'être enregistrée) : "
    "rechargez la page pour voir son état."
)
WITHOUT_MEDICAL = (
    "Envoyée sans le volet médical : la personne s'est opposée au partage de ses informations de "
    "santé hors de son équipe de soins."
)
WITHDRAWN = (
    "Le demandeur a retiré cette demande d'orientation : elle n'attend plus de réponse de votre "
    "structure."
)


# --------------------------------------------------------------------------- structures


def directory_id_of(db, structure_id: int) -> int | None:
    """The directory entry of a structure of the network: explicit link, else its FINESS."""
    linked = storage.linked_directory(db, structure_id)
    if linked is not None:
        return linked
    structure = accounts_storage.get_structure(db, structure_id)
    if structure and structure.get("finess"):
        row = directory_storage.get_structure_by_finess(db, structure["finess"])
        if row:
            return row["id"]
    return None


def receiving_directory(access: AccessContext, structure_id: int, perm: str) -> int:
    access.require(perm, structure_id=structure_id, action=perm)
    did = directory_id_of(access.db, structure_id)
    if did is None:
        raise InvalidInput(
            "Votre structure n'est pas reliée à l'annuaire : renseignez son numéro FINESS "
            "(administration du réseau) pour recevoir des demandes d'orientation."
        )
    return did


# --------------------------------------------------------------------------- validation


def _validate(db, data: RequestIn) -> dict[str, Any]:
    if data.module not in MODULES:
        raise InvalidInput("module : grand_age, domicile ou handicap.")
    offer = OFFERS.get(data.offer)
    if offer is None or offer.module != data.module:
        choices = ", ".join(o.code for o in OFFERS.values() if o.module == data.module)
        raise InvalidInput(
            f"offer : choisissez une offre du module {MODULES[data.module]} ({choices})."
        )
    if data.module == "handicap" and not (data.decision_ref or "").strip():
        raise InvalidInput(
            "decision_ref : une orientation handicap demande la référence de la décision "
            "d'orientation (CDAPH/MDPH)."
        )
    unknown = [c for c in data.criteria if c not in CRITERIA]
    if unknown:
        raise InvalidInput(f"criteria : besoin inconnu ({', '.join(unknown)}).")
    if data.urgency not in URGENCIES:
        raise InvalidInput("urgency : normale ou urgente.")
    if data.consent not in CONSENTS:
        raise InvalidInput(
            "consent : indiquez qui a consenti à la demande (personne ou representant)."
        )
    if data.consent == "representant" and not (data.consent_by or "").strip():
        raise InvalidInput("consent_by : indiquez le nom du représentant qui a consenti.")
    if data.mobility and data.mobility not in MOBILITY:
        raise InvalidInput(f"mobility : {', '.join(MOBILITY)}.")
    commune = directory_search.resolve_commune(db, data.commune)
    if commune.get("lat") is None:
        raise InvalidInput(f"commune : la position de {commune['name']} n'est pas connue.")
    return {
        "module": data.module,
        "offer": data.offer,
        "decision_ref": (data.decision_ref or "").strip() or None,
        "criteria": sorted(set(data.criteria)),
        "gir": data.gir,
        "mobility": data.mobility,
        "commune_code": commune["code"],
        "commune_label": f"{commune['name']} ({commune.get('postcode') or commune['code']})",
        "lat": commune["lat"],
        "lon": commune["lon"],
        "radius_km": data.radius_km,
        "wished_date": data.wished_date.isoformat() if data.wished_date else None,
        "urgency": data.urgency,
        "consent": data.consent,
        "consent_by": (data.consent_by or "").strip() or None,
        "admin_notes": data.admin_notes.strip(),
    }


# --------------------------------------------------------------------------- requester side


def create_request(access: AccessContext, data: RequestIn) -> dict[str, Any]:
    person = access.require(
        "orientation.request", person_id=data.person_id, action="orientation.request.create"
    )
    values = _validate(access.db, data)
    with transaction(access.db):
        rid = storage.create_request(
            access.db, person, person["structure_id"], access.actor.user_id, values
        )
        storage.add_event(
            access.db,
            rid,
            None,
            "brouillon",
            "Demande créée",
            access.actor.label,
            access.actor.user_id,
        )
    access.audit(
        "orientation.request.created",
        structure_id=person["structure_id"],
        person_id=person["id"],
        target=f"orientation_request:{rid}",
    )
    return requester_view(access, rid, audit=False)


def _requester_request(access: AccessContext, rid: int, action: str) -> dict[str, Any]:
    req = storage.get_request(access.db, rid)
    if req is None:
        access.require_login()
        raise NotFound(REQUEST_NOT_FOUND)
    access.require(
        "orientation.request",
        person_id=req["person_id"],
        action=action,
        target=f"orientation_request:{rid}",
    )
    return req


def update_request(access: AccessContext, rid: int, data: RequestIn) -> dict[str, Any]:
    req = _requester_request(access, rid, "orientation.request.update")
    if req["status"] != "brouillon":
        raise Conflict("Une demande envoyée ne se modifie plus : ses destinataires l'ont reçue.")
    if data.person_id != req["person_id"]:
        raise InvalidInput("person_id : une demande ne change pas de personne.")
    storage.update_request(access.db, rid, _validate(access.db, data))
    return requester_view(access, rid, audit=False)


def _decorate(req: dict[str, Any]) -> dict[str, Any]:
    offer = OFFERS[req["offer"]]
    req["module_label"] = MODULES[req["module"]]
    req["offer_label"] = offer.label
    req["criteria_labels"] = [CRITERIA[c].label for c in req["criteria"]]
    req["urgency_label"] = URGENCIES.get(req["urgency"], req["urgency"])
    req["consent_label"] = CONSENTS.get(req["consent"], req["consent"])
    req["mobility_label"] = MOBILITY.get(req["mobility"] or "", "")
    return req


def _sending_view(s: dict[str, Any]) -> dict[str, Any]:
    s["status_label"] = SENDING_STATUSES.get(s["status"], s["status"])
    s["refusal_label"] = REFUSAL_REASONS.get(s.get("refusal_reason") or "", None)
    return s


def requester_view(access: AccessContext, rid: int, *, audit: bool = True) -> dict[str, Any]:
    req = (
        _requester_request(access, rid, "orientation.request.read")
        if audit
        else storage.get_request(access.db, rid)
    )
    req = _decorate(req)
    _, ref = access.load_person(req["person_id"])
    medical = storage.get_medical(access.db, rid)
    req["medical_complete"] = medical is not None
    req["can_write_medical"] = access.allowed("orientation.medical.write", person=ref)
    req["medical"] = None
    if medical is not None and req["can_write_medical"]:
        access.require(
            "orientation.medical.write",
            person_id=req["person_id"],
            action="orientation.medical.read",
            target=f"orientation_request:{rid}",
        )
        req["medical"] = medical
    req["sendings"] = [_sending_view(s) for s in storage.sendings_of(access.db, rid)]
    req["events"] = storage.events_of(access.db, rid)
    req["withdrawal"] = _withdrawal(req["events"])
    sharing = objections.sharing(access.db, req["person_id"])
    req["objection"] = (
        {"scope": sharing.objection["scope"], "message": sharing.message}
        if sharing.objection
        else None
    )
    req["can_withdraw"] = req["status"] in WITHDRAWABLE_REQUEST
    req["duplicates"] = len(storage.possible_duplicates(access.db, req))
    return req


def _withdrawal(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The withdrawal of a request (its reason and date) from its history, if any."""
    for e in reversed(events):
        if e["status"] in ("retiree", "annulee"):
            return {"reason": e["detail"], "at": e["at"], "by": e["actor_label"]}
    return None


def save_medical(access: AccessContext, rid: int, content: str) -> dict[str, Any]:
    req = storage.get_request(access.db, rid)
    if req is None:
        access.require_login()
        raise NotFound(REQUEST_NOT_FOUND)
    content = (content or "").strip()
    if not content:
        raise InvalidInput("content : le volet médical ne peut pas être vide.")
    access.require(
        "orientation.medical.write",
        person_id=req["person_id"],
        action="orientation.medical.write",
        target=f"orientation_request:{rid}",
    )
    if req["status"] not in ("brouillon", "envoyee"):
        raise Conflict("Cette demande est close : le volet médical ne se modifie plus.")
    with transaction(access.db):
        storage.save_medical(access.db, rid, content, access.actor.user_id, access.actor.label)
        storage.add_event(
            access.db,
            rid,
            None,
            "medical",
            "Volet médical complété",
            access.actor.label,
            access.actor.user_id,
        )
    return {"request_id": rid, "medical_complete": True}


def proposals(access: AccessContext, plugins: PluginHost, rid: int) -> dict[str, Any]:
    req = _requester_request(access, rid, "orientation.proposals")
    ranked = matching.rank(access.db, plugins, req)
    sent = {s["directory_id"] for s in storage.sendings_of(access.db, rid)}
    for cand in ranked:
        cand["already_sent"] = cand["id"] in sent
    return {"request_id": rid, "results": ranked}


def send(access: AccessContext, plugins: PluginHost, rid: int, ids: list[int]) -> dict[str, Any]:
    req = _requester_request(access, rid, "orientation.request.send")
    if req["status"] not in ("brouillon", "envoyee"):
        raise Conflict("Cette demande est close : elle ne s'envoie plus.")
    # Refused (and audited) when the person objects to any sharing outside her care team; sent
    # without the medical part when she objects to the sharing of her health information.
    sharing = objections.require_sharing(
        access,
        req["person_id"],
        health=False,
        action="orientation.request.send",
        target=f"orientation_request:{rid}",
    )
    without_medical = not sharing.health_allowed
    if not without_medical and storage.get_medical(access.db, rid) is None:
        raise InvalidInput(
            "Le volet médical n'est pas complété : la demande ne peut pas être envoyée tant que "
            "le médecin (ou l'infirmier·e coordinateur·rice) ne l'a pas rempli."
        )
    allowed = {c["id"]: c for c in matching.rank(access.db, plugins, req)}
    already = {s["directory_id"] for s in storage.sendings_of(access.db, rid)}
    bad = [i for i in ids if i not in allowed]
    if bad:
        raise InvalidInput(
            "structures : ces structures ne font pas partie des propositions de la demande "
            f"({', '.join(map(str, bad))})."
        )
    new = [i for i in dict.fromkeys(ids) if i not in already]
    with transaction(access.db):
        if not storage.set_request_status(access.db, rid, "envoyee", ("brouillon", "envoyee")):
            raise Conflict(CHANGED)
        for did in new:
            sid = storage.add_sending(access.db, rid, did, allowed[did]["name"])
            storage.add_event(
                access.db,
                rid,
                sid,
                "envoyee",
                WITHOUT_MEDICAL if without_medical else None,
                access.actor.label,
                access.actor.user_id,
            )
    details: dict[str, Any] = {"structures": [allowed[d]["name"] for d in new]}
    if without_medical:
        details["sans_volet_medical"] = "opposition de la personne au partage de sa santé"
    access.audit(
        "orientation.request.sent",
        structure_id=req["structure_id"],
        person_id=req["person_id"],
        target=f"orientation_request:{rid}",
        details=details,
    )
    return requester_view(access, rid, audit=False)


def choose(access: AccessContext, rid: int, sending_id: int) -> dict[str, Any]:
    """The person accepts one proposed admission: the other sendings are closed."""
    req = _requester_request(access, rid, "orientation.admission.choose")
    sending = storage.get_sending(access.db, sending_id)
    if sending is None or sending["request_id"] != rid:
        raise NotFound("Cet envoi n'existe pas pour cette demande.")
    with transaction(access.db):
        if not storage.transition_sending(
            access.db, sending_id, "admission_choisie", ("acceptee",)
        ):
            raise Conflict(
                "Cette structure n'a pas (ou plus) proposé d'admission : seule une admission "
                "proposée peut être acceptée."
            )
        if not storage.set_request_status(access.db, rid, "admission_acceptee", ("envoyee",)):
            raise Conflict(CHANGED)
        storage.add_event(
            access.db,
            rid,
            sending_id,
            "admission_choisie",
            None,
            access.actor.label,
            access.actor.user_id,
        )
        for other in storage.close_sendings(
            access.db, rid, "close_autre_admission", keep_id=sending_id
        ):
            storage.add_event(
                access.db,
                rid,
                other,
                "close_autre_admission",
                None,
                access.actor.label,
                access.actor.user_id,
            )
    access.audit(
        "orientation.admission.chosen",
        structure_id=req["structure_id"],
        person_id=req["person_id"],
        target=f"orientation_sending:{sending_id}",
    )
    return requester_view(access, rid, audit=False)


def withdraw(access: AccessContext, rid: int, reason: str) -> dict[str, Any]:
    """The requester withdraws the request: every open sending is « annulée », the request closes.

    The reason is recorded in the history (and so shown to the receiving structures, on their
    own sending only): it must not carry medical information.
    """
    req = _requester_request(access, rid, "orientation.request.withdraw")
    reason = " ".join((reason or "").split())
    if not 3 <= len(reason) <= 300:
        raise InvalidInput(
            "reason : indiquez le motif du retrait (3 à 300 caractères), par exemple « Retour à "
            "domicile, souhait de la personne »."
        )
    if req["status"] not in WITHDRAWABLE_REQUEST:
        raise Conflict(
            "Cette demande est déjà close (admission réalisée ou demande retirée) : elle ne peut "
            "plus être retirée."
        )
    label, uid = access.actor.label, access.actor.user_id
    with transaction(access.db):
        # compare-and-set: an admission réalisée recorded meanwhile makes the withdrawal fail
        if not storage.set_request_status(access.db, rid, "cloturee", WITHDRAWABLE_REQUEST):
            raise Conflict(CHANGED)
        cancelled = storage.close_sendings(access.db, rid, "annulee", WITHDRAWABLE_SENDING)
        for sid in cancelled:
            storage.add_event(access.db, rid, sid, "annulee", reason, label, uid)
        storage.add_event(access.db, rid, None, "retiree", reason, label, uid)
    access.audit(
        "orientation.request.withdrawn",
        structure_id=req["structure_id"],
        person_id=req["person_id"],
        target=f"orientation_request:{rid}",
        details={"envois_annules": len(cancelled)},
    )
    return requester_view(access, rid, audit=False)


def requests_of_structure(access: AccessContext, structure_id: int) -> list[dict[str, Any]]:
    access.require("orientation.list", structure_id=structure_id, action="orientation.list")
    out = []
    for req in storage.requests_of_structure(access.db, structure_id):
        req = _decorate(req)
        req["sendings"] = [_sending_view(s) for s in storage.sendings_of(access.db, req["id"])]
        out.append(req)
    return out


# --------------------------------------------------------------------------- receiving side


def incoming(access: AccessContext, structure_id: int) -> list[dict[str, Any]]:
    did = receiving_directory(access, structure_id, "orientation.receive")
    rows = storage.incoming(access.db, did)
    for r in rows:
        _sending_view(r)
        r["offer_label"] = OFFERS[r["offer"]].label
    return rows


def _incoming_sending(access: AccessContext, structure_id: int, sending_id: int, perm: str):
    did = receiving_directory(access, structure_id, perm)
    sending = storage.get_sending(access.db, sending_id)
    if sending is None or sending["directory_id"] != did:
        raise NotFound(REQUEST_NOT_FOUND)
    return sending


#: Sendings whose structure no longer sees the medical part (withdrawn, admitted elsewhere).
MEDICAL_CLOSED = ("annulee", "close_autre_admission")


def incoming_view(access: AccessContext, structure_id: int, sending_id: int) -> dict[str, Any]:
    """A request as the receiving structure sees it (opening it marks it « consulté »)."""
    sending = _incoming_sending(access, structure_id, sending_id, "orientation.receive")
    req = _decorate(storage.get_request(access.db, sending["request_id"]))
    access.audit(
        "orientation.incoming.read",
        structure_id=structure_id,
        person_id=req["person_id"],
        target=f"orientation_sending:{sending_id}",
    )
    if sending["status"] == "envoyee" and access.allowed(
        "orientation.answer", structure_id=structure_id
    ):
        with transaction(access.db):
            if storage.transition_sending(
                access.db, sending_id, "consultee", ("envoyee",), answered=True
            ):
                storage.add_event(
                    access.db,
                    req["id"],
                    sending_id,
                    "consultee",
                    None,
                    access.actor.label,
                    access.actor.user_id,
                )
        sending = storage.get_sending(access.db, sending_id)
    req["medical"] = None
    # Data minimisation: once the requester withdrew the request, or the person was admitted
    # elsewhere, this structure has no more reason to read the medical part.
    req["medical_closed"] = sending["status"] in MEDICAL_CLOSED
    # The person's objection, even recorded after the sending, keeps the medical part home.
    req["medical_withheld"] = not objections.sharing(access.db, req["person_id"]).health_allowed
    req["can_read_medical"] = (
        not req["medical_closed"]
        and not req["medical_withheld"]
        and access.allowed("orientation.medical.read", structure_id=structure_id)
    )
    if req["can_read_medical"]:
        access.require(
            "orientation.medical.read",
            structure_id=structure_id,
            action="orientation.medical.read",
            target=f"orientation_sending:{sending_id}",
        )
        req["medical"] = storage.get_medical(access.db, req["id"])
    req["sending"] = _sending_view(sending)
    req["can_answer"] = access.allowed("orientation.answer", structure_id=structure_id)
    req["next_statuses"] = [s for s, froms in TRANSITIONS.items() if sending["status"] in froms]
    # only what concerns this structure: never the other recipients' answers
    req["events"] = [
        e for e in storage.events_of(access.db, req["id"]) if e["sending_id"] == sending_id
    ]
    req["withdrawal"] = _withdrawal(req["events"]) if sending["status"] == "annulee" else None
    return req


def answer(
    access: AccessContext, structure_id: int, sending_id: int, data: AnswerIn
) -> dict[str, Any]:
    sending = _incoming_sending(access, structure_id, sending_id, "orientation.answer")
    status = data.status
    if status not in TRANSITIONS:
        raise InvalidInput(f"status : {', '.join(TRANSITIONS)}.")
    values: dict[str, Any] = {"answered": True}
    detail = None
    if status == "refusee":
        if data.refusal_reason not in REFUSAL_REASONS:
            raise InvalidInput("refusal_reason : choisissez un motif de refus dans la liste.")
        if data.refusal_reason == "autre" and not (data.comment or "").strip():
            raise InvalidInput("comment : précisez le motif « Autre ».")
        values["refusal_reason"] = data.refusal_reason
        detail = REFUSAL_REASONS[data.refusal_reason]
    if status == "acceptee":
        if data.proposed_date is None:
            raise InvalidInput("proposed_date : indiquez la date d'admission proposée.")
        values["proposed_date"] = data.proposed_date.isoformat()
        detail = f"Admission proposée le {data.proposed_date.strftime('%d/%m/%Y')}"
    if data.comment is not None:
        values["comment"] = data.comment.strip() or None
        if values["comment"]:
            detail = f"{detail} — {values['comment']}" if detail else values["comment"]
    froms = TRANSITIONS[status]
    if sending["status"] == "annulee":
        raise Conflict(WITHDRAWN)
    if sending["status"] not in froms:
        raise Conflict(
            f"Passage impossible de « {SENDING_STATUSES[sending['status']]} » à "
            f"« {SENDING_STATUSES[status]} »."
        )
    rid = sending["request_id"]
    with transaction(access.db):
        # compare-and-set: a concurrent answer that changed the status makes this one fail
        if not storage.transition_sending(access.db, sending_id, status, froms, **values):
            raise Conflict(CHANGED)
        if status == "admission_realisee" and not storage.set_request_status(
            access.db, rid, "cloturee", ("admission_acceptee",)
        ):
            raise Conflict(CHANGED)
        storage.add_event(
            access.db, rid, sending_id, status, detail, access.actor.label, access.actor.user_id
        )
    req = storage.get_request(access.db, rid)
    access.audit(
        f"orientation.answer.{status}",
        structure_id=structure_id,
        person_id=req["person_id"],
        target=f"orientation_sending:{sending_id}",
    )
    return _sending_view(storage.get_sending(access.db, sending_id))


def places(access: AccessContext, structure_id: int) -> dict[str, Any]:
    did = receiving_directory(access, structure_id, "orientation.places")
    return {"directory_id": did, "places": storage.places_of(access.db, did)}


def set_places(access: AccessContext, structure_id: int, offer: str, count: int) -> dict[str, Any]:
    did = receiving_directory(access, structure_id, "orientation.places")
    if offer not in OFFERS:
        raise InvalidInput(f"offer : offre inconnue ({offer}).")
    if not 0 <= count <= 10000:
        raise InvalidInput("places : un nombre de 0 à 10 000.")
    storage.set_places(access.db, did, offer, count)
    access.audit(
        "orientation.places.update",
        structure_id=structure_id,
        details={"offre": offer, "places": count},
    )
    return places(access, structure_id)


# --------------------------------------------------------------------------- network


def dashboard(access: AccessContext) -> dict[str, Any]:
    actor = access.require_login()
    if not actor.is_network_admin and not any(
        access.allowed("orientation.dashboard", structure_id=sid) for sid in actor.structure_ids
    ):
        raise Forbidden(
            "Le tableau de bord du réseau est réservé à la direction et à la coordination."
        )
    data = storage.dashboard(access.db)
    data["refusal_reasons"] = [
        {"reason": REFUSAL_REASONS.get(r["reason"], r["reason"]), "count": r["n"]}
        for r in data["refusal_reasons"]
    ]
    return data

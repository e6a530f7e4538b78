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

The person's objection to sharing outside her care team (``virage.sdk.accounts.sharing``) is
checked whenever the request leaves it: an objection to any sharing refuses the sending (audited);
an objection to the sharing of her health information sends the request without its medical part,
and a receiving structure never reads the medical part while such an objection is in force (even
for a request sent before it).

The receiving side is in :mod:`virage_orientation.receiving` (its functions are importable from
here too).
"""

from __future__ import annotations

from typing import Any

from virage.sdk import (
    AccessContext,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PluginHost,
    accounts,
    transaction,
)
from virage_orientation import matching, network, storage
from virage_orientation.catalog import REFUSAL_REASONS, WITHDRAWABLE_REQUEST, WITHDRAWABLE_SENDING
from virage_orientation.common import (
    CHANGED,
    REQUEST_NOT_FOUND,
    WITHOUT_MEDICAL,
    decorate,
    directory_id_of,  # noqa: F401  (pages use it from here)
    sending_view,
    withdrawal,
)
from virage_orientation.models import RequestIn

# The receiving side, importable from here as before the split.
from virage_orientation.receiving import (  # noqa: F401
    MEDICAL_CLOSED,
    answer,
    incoming,
    incoming_view,
    places,
    set_places,
)
from virage_orientation.validation import validate

# --------------------------------------------------------------------------- requester side


def create_request(access: AccessContext, data: RequestIn) -> dict[str, Any]:
    person = access.require(
        "orientation.request", person_id=data.person_id, action="orientation.request.create"
    )
    values = validate(access.db, data)
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
    storage.update_request(access.db, rid, validate(access.db, data))
    return requester_view(access, rid, audit=False)


def requester_view(access: AccessContext, rid: int, *, audit: bool = True) -> dict[str, Any]:
    req = (
        _requester_request(access, rid, "orientation.request.read")
        if audit
        else storage.get_request(access.db, rid)
    )
    req = decorate(req)
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
    req["sendings"] = [sending_view(s) for s in storage.sendings_of(access.db, rid)]
    req["events"] = storage.events_of(access.db, rid)
    req["withdrawal"] = withdrawal(req["events"])
    sharing = accounts.sharing(access.db, req["person_id"])
    req["objection"] = (
        {"scope": sharing.objection["scope"], "message": sharing.message}
        if sharing.objection
        else None
    )
    req["can_withdraw"] = req["status"] in WITHDRAWABLE_REQUEST
    req["duplicates"] = len(storage.possible_duplicates(access.db, req))
    return req


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
    sharing = accounts.require_sharing(
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
    sent: list[str] = []
    with transaction(access.db):
        if not storage.set_request_status(access.db, rid, "envoyee", ("brouillon", "envoyee")):
            raise Conflict(CHANGED)
        for did in new:
            sid = storage.add_sending(access.db, rid, did, allowed[did]["name"])
            if sid is None:  # sent meanwhile by a colleague: recorded once
                continue
            sent.append(allowed[did]["name"])
            storage.add_event(
                access.db,
                rid,
                sid,
                "envoyee",
                WITHOUT_MEDICAL if without_medical else None,
                access.actor.label,
                access.actor.user_id,
            )
    details: dict[str, Any] = {"structures": sent}
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
        storage.lock_request(access.db, rid)
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
        req = decorate(req)
        req["sendings"] = [sending_view(s) for s in storage.sendings_of(access.db, req["id"])]
        out.append(req)
    return out


# --------------------------------------------------------------------------- network


def dashboard(access: AccessContext) -> dict[str, Any]:
    actor = access.require_login()
    if not actor.is_network_admin and not any(
        access.allowed("orientation.dashboard", structure_id=sid) for sid in actor.structure_ids
    ):
        raise Forbidden(
            "Le tableau de bord du réseau est réservé à la direction et à la coordination."
        )
    data = network.dashboard(access.db)
    data["refusal_reasons"] = [
        {"reason": REFUSAL_REASONS.get(r["reason"], r["reason"]), "count": r["n"]}
        for r in data["refusal_reasons"]
    ]
    return data

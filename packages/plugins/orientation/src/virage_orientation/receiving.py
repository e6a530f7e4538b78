"""Orientation on the receiving side: the requests sent to a structure, its answers, its places.

A receiving structure (``orientation.receive``) sees only the requests sent to it, never the other
recipients' answers; the medical part only with ``orientation.medical.read``, and never once the
request was withdrawn, the person admitted elsewhere, or while she objects to the sharing of her
health information.
"""

from __future__ import annotations

from typing import Any

from virage.sdk import AccessContext, Conflict, InvalidInput, NotFound, accounts, transaction
from virage_orientation import network, storage
from virage_orientation.catalog import OFFERS, REFUSAL_REASONS, SENDING_STATUSES, TRANSITIONS
from virage_orientation.common import (
    CHANGED,
    REQUEST_NOT_FOUND,
    WITHDRAWN,
    decorate,
    receiving_directory,
    sending_view,
    withdrawal,
)
from virage_orientation.models import AnswerIn


def incoming(access: AccessContext, structure_id: int) -> list[dict[str, Any]]:
    did = receiving_directory(access, structure_id, "orientation.receive")
    rows = storage.incoming(access.db, did)
    for r in rows:
        sending_view(r)
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
    req = decorate(storage.get_request(access.db, sending["request_id"]))
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
    req["medical_withheld"] = not accounts.sharing(access.db, req["person_id"]).health_allowed
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
    req["sending"] = sending_view(sending)
    req["can_answer"] = access.allowed("orientation.answer", structure_id=structure_id)
    req["next_statuses"] = [s for s, froms in TRANSITIONS.items() if sending["status"] in froms]
    # only what concerns this structure: never the other recipients' answers
    req["events"] = [
        e for e in storage.events_of(access.db, req["id"]) if e["sending_id"] == sending_id
    ]
    req["withdrawal"] = withdrawal(req["events"]) if sending["status"] == "annulee" else None
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
        storage.lock_request(access.db, rid)
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
    return sending_view(storage.get_sending(access.db, sending_id))


def places(access: AccessContext, structure_id: int) -> dict[str, Any]:
    did = receiving_directory(access, structure_id, "orientation.places")
    return {"directory_id": did, "places": network.places_of(access.db, did)}


def set_places(access: AccessContext, structure_id: int, offer: str, count: int) -> dict[str, Any]:
    did = receiving_directory(access, structure_id, "orientation.places")
    if offer not in OFFERS:
        raise InvalidInput(f"offer : offre inconnue ({offer}).")
    if not 0 <= count <= 10000:
        raise InvalidInput("places : un nombre de 0 à 10 000.")
    network.set_places(access.db, did, offer, count)
    access.audit(
        "orientation.places.update",
        structure_id=structure_id,
        details={"offre": offer, "places": count},
    )
    return places(access, structure_id)

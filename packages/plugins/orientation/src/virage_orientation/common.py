"""What the requester and the receiving sides of orientation share: the messages, the link of a
network structure to the directory, and how a request and its sendings read."""

from __future__ import annotations

from typing import Any

from virage.sdk import AccessContext, InvalidInput, accounts, directory
from virage_orientation import network
from virage_orientation.catalog import (
    CONSENTS,
    CRITERIA,
    MOBILITY,
    MODULES,
    OFFERS,
    REFUSAL_REASONS,
    SENDING_STATUSES,
    URGENCIES,
)

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
    linked = network.linked_directory(db, structure_id)
    if linked is not None:
        return linked
    structure = accounts.structure(db, structure_id)
    if structure and structure.get("finess"):
        row = directory.structure_by_finess(db, structure["finess"])
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


# --------------------------------------------------------------------------- views


def decorate(req: dict[str, Any]) -> dict[str, Any]:
    offer = OFFERS[req["offer"]]
    req["module_label"] = MODULES[req["module"]]
    req["offer_label"] = offer.label
    req["criteria_labels"] = [CRITERIA[c].label for c in req["criteria"]]
    req["urgency_label"] = URGENCIES.get(req["urgency"], req["urgency"])
    req["consent_label"] = CONSENTS.get(req["consent"], req["consent"])
    req["mobility_label"] = MOBILITY.get(req["mobility"] or "", "")
    return req


def sending_view(s: dict[str, Any]) -> dict[str, Any]:
    s["status_label"] = SENDING_STATUSES.get(s["status"], s["status"])
    s["refusal_label"] = REFUSAL_REASONS.get(s.get("refusal_reason") or "", None)
    return s


def withdrawal(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The withdrawal of a request (its reason and date) from its history, if any."""
    for e in reversed(events):
        if e["status"] in ("retiree", "annulee"):
            return {"reason": e["detail"], "at": e["at"], "by": e["actor_label"]}
    return None

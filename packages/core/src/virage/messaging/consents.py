"""The person's consent to exchanges with a partner structure, recorded in her file.

« La personne a accepté que l'équipe échange avec [structure] à son sujet » : the day she said
so, who recorded it; revocable (the revocation closes the conversations with that structure to
its professionals at their next read). Recorded by the direction, the coordination or the
secretariat of the person's structure; refused while she objects to sharing her information.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from virage.accounts import lookups, objections
from virage.accounts.context import AccessContext
from virage.db import transaction
from virage.errors import Conflict, InvalidInput, NotFound
from virage.french import PARIS, day_text, moment_text
from virage.messaging import storage

NOT_FOUND = "Cet accord n'existe pas ou a déjà été retiré."


def view(access: AccessContext, person_id: int) -> dict[str, Any]:
    person = access.require(
        "persons.identity.read", person_id=person_id, action="messages.consents.read"
    )
    rows = storage.consents(access.db, person_id)
    for r in rows:
        structure = lookups.structure(access.db, r["partner_structure_id"]) or {}
        r["partner_name"] = structure.get("name", "Structure retirée")
        r["expressed"] = day_text(r["expressed_on"])
        r["recorded"] = moment_text(r["recorded_at"])
        r["revoked"] = moment_text(r["revoked_at"]) if r["revoked_at"] else ""
    partners = [s for s in lookups.structures(access.db) if s["id"] != person["structure_id"]][:200]
    return {
        "person": person,
        "consents": rows,
        "partners": partners,
        "can_manage": access.allowed(
            "messages.consent.manage", structure_id=person["structure_id"]
        ),
        "objection": objections.sharing(access.db, person_id).message,
    }


def record(
    access: AccessContext, person_id: int, partner_structure_id: int, expressed_on: Any
) -> int:
    person = access.require(
        "messages.consent.manage",
        person_id=person_id,
        action="messages.consent.recorded",
        details={"structure": partner_structure_id},
    )
    if person["status"] != "active":
        raise Conflict("Ce dossier est clos : il ne peut plus être modifié.")
    objections.require_sharing(access, person_id, health=True, action="messages.consent.recorded")
    if (
        partner_structure_id == person["structure_id"]
        or lookups.structure(access.db, partner_structure_id) is None
    ):
        raise InvalidInput("Choisissez une autre structure du réseau.")
    try:
        day = date.fromisoformat(str(expressed_on or ""))
    except ValueError:
        raise InvalidInput("Indiquez le jour où la personne a donné son accord.") from None
    if day > datetime.now(PARIS).date() or day.year < 2000:
        raise InvalidInput("Le jour de l'accord ne peut pas être dans le futur.")
    with transaction(access.db):
        if storage.active_consent(access.db, person_id, partner_structure_id):
            raise Conflict("Un accord avec cette structure est déjà enregistré.")
        if storage.count_consents(access.db, person_id) >= storage.MAX_CONSENTS_PER_PERSON:
            raise Conflict("Ce dossier compte déjà trop d'accords : retirez les anciens.")
        return storage.add_consent(
            access.db,
            {
                "structure_id": person["structure_id"],
                "person_id": person_id,
                "partner_structure_id": partner_structure_id,
                "expressed_on": day.isoformat(),
                "recorded_by": access.actor.user_id,
                "recorded_by_label": access.actor.label,
            },
        )


def revoke(access: AccessContext, person_id: int, consent_id: int) -> None:
    access.require(
        "messages.consent.manage",
        person_id=person_id,
        action="messages.consent.revoked",
        target=f"accord:{consent_id}",
    )
    row = storage.consent(access.db, person_id, consent_id)
    if row is None or row["revoked_at"] is not None:
        raise NotFound(NOT_FOUND)
    storage.revoke_consent(access.db, consent_id, access.actor.label)

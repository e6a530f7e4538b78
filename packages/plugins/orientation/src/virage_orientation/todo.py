"""What orientation asks of a worker: the medical parts to complete (for the doctor or the
coordinating nurse, on the orientation home), and the choice of a person for a new request."""

from __future__ import annotations

from typing import Any

from virage.sdk import AccessContext, accounts
from virage_orientation import storage
from virage_orientation.common import decorate


def medical_to_complete(access: AccessContext, structure_id: int) -> list[dict[str, Any]]:
    """Draft requests of the structure waiting for a medical part this actor may write."""
    out = []
    for req in storage.drafts_without_medical(access.db, structure_id):
        _, ref = access.load_person(req["person_id"])
        if access.allowed("orientation.medical.write", person=ref):
            out.append(decorate(req))
    return out


def can_request_somewhere(access: AccessContext) -> list[int]:
    """The structures where the actor may create requests (the « Nouvelle demande » button)."""
    actor = access.require_login()
    return [
        sid
        for sid in actor.structure_ids
        if access.allowed("orientation.request", structure_id=sid)
    ]


def persons_to_choose(access: AccessContext, q: str) -> list[dict]:
    """The persons the actor may see in the structures where she may request, audited as a list
    read (field workers: their care teams only)."""
    actor = access.require_login()
    rows: list[dict] = []
    for sid in can_request_somewhere(access):
        if access.allowed("persons.list", structure_id=sid):
            found = accounts.persons(access.db, sid, query=q or None, limit=50)
        else:
            found = accounts.persons(
                access.db, sid, query=q or None, only_user_team=actor.user_id, limit=50
            )
        access.audit("persons.list", structure_id=sid, details={"nombre": len(found)})
        rows += found
    return rows

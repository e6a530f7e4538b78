"""« Envoyer au siège »: an administrative document filed into its structure's inbox, where the
secretariat classes it. Care documents never go there (no health document to head office), and
nothing is ever sent by email: the inbox is a list in Virage."""

from __future__ import annotations

from typing import Any

from virage.accounts.context import AccessContext
from virage.documents import storage
from virage.documents.kinds import ADMIN_KINDS, INBOX_STATUSES, KINDS
from virage.documents.service import MAX_TITLE, NOT_FOUND, clean_text
from virage.errors import Conflict, Forbidden, InvalidInput, NotFound

CARE_REFUSED = (
    "Les documents de soins ne partent jamais au siège : ils restent dans le dossier de la "
    "personne, lisibles par sa seule équipe de soins."
)
ITEM_NOT_FOUND = "Ce document à classer n'existe pas ou a déjà été classé."


def send(access: AccessContext, person_id: int, document_id: int) -> int:
    """File an administrative document into the inbox of the person's structure."""
    row = storage.document(access.db, person_id, document_id)
    person = access.require(
        "documents.write",
        person_id=person_id,
        action="documents.send",
        target=f"document:{document_id}",
    )
    if row is None or row["archived_at"]:
        raise NotFound(NOT_FOUND)
    if row["category"] != "admin":
        raise Forbidden(CARE_REFUSED)
    if storage.pending_for(access.db, document_id) is not None:
        raise Conflict("Ce document est déjà au siège, en attente d'être classé.")
    actor = access.require_login()
    return storage.send(
        access.db, person["structure_id"], document_id, person_id, actor.user_id, actor.label
    )


def _structures(access: AccessContext) -> list[int]:
    actor = access.require_login()
    allowed = [s for s in actor.structure_ids if access.allowed("documents.inbox", structure_id=s)]
    if not allowed:
        if actor.structure_ids:  # refused, and the refusal in the journal
            access.require(
                "documents.inbox",
                structure_id=actor.structure_ids[0],
                action="documents.inbox.read",
            )
        raise Forbidden(
            "Seuls le secrétariat, la coordination et la direction classent ces documents."
        )
    return allowed


def listing(access: AccessContext, status: str = "a_classer") -> dict[str, Any]:
    """The inbox of the actor's structures (``documents.inbox``), each read audited."""
    if status not in INBOX_STATUSES:
        status = "a_classer"
    structures = _structures(access)
    for structure_id in structures:
        access.require("documents.inbox", structure_id=structure_id, action="documents.inbox.read")
    items = storage.inbox(access.db, structures, status)
    names: dict[int, str] = {}
    for item in items:
        pid = item["person_id"]
        if pid not in names:
            try:
                person, _ = access.load_person(pid)
                names[pid] = f"{person['given_names']} {person['family_name'].upper()}"
            except NotFound:
                names[pid] = "Personne introuvable"
        item["person_label"] = names[pid]
        item["kind_label"] = KINDS[item["kind"]].label if item["kind"] in KINDS else item["kind"]
    return {"items": items, "status": status, "statuses": INBOX_STATUSES}


def file(access: AccessContext, item_id: int, kind: str, title: str) -> None:
    """Class a document sent to head office: its administrative kind and title; mark it filed."""
    item = storage.inbox_item(access.db, item_id)
    if item is None:
        _structures(access)
        raise NotFound(ITEM_NOT_FOUND)
    access.require(
        "documents.inbox",
        structure_id=item["structure_id"],
        action="documents.inbox.file",
        target=f"document:{item['document_id']}",
    )
    if item["status"] != "a_classer":
        raise Conflict(ITEM_NOT_FOUND)
    if kind not in ADMIN_KINDS:
        raise InvalidInput("Choisissez un type de document administratif dans la liste.")
    title = clean_text(title, MAX_TITLE, "Titre") or KINDS[kind].label
    label = access.require_login().label
    storage.reclassify(access.db, item["document_id"], kind, "admin", title)
    storage.file_item(access.db, item_id, label)

"""Attachments: a document of the person's file, joined to a message by its number.

Whoever attaches must be able to read the document (checked and audited by the documents
domain); whoever reads the conversation sees its title and link only if she may read the
document herself — a partner structure's professional sees « réservée à l'équipe de la
personne », never the title (a title may say what the document is about).
"""

from __future__ import annotations

from typing import Any

from virage.accounts.context import AccessContext
from virage.documents import service as documents
from virage.errors import Forbidden, NotFound
from virage.messaging import attachment_storage

RESERVED = "Pièce jointe réservée à l'équipe de la personne."
GONE = "Pièce jointe archivée ou retirée du dossier."


def check(access: AccessContext, person_id: int, document_id: int | None) -> int | None:
    """The document number to attach once the actor may read it (404 otherwise)."""
    if document_id is None:
        return None
    documents.metadata(access, person_id, document_id)
    return document_id


def choices(access: AccessContext, person_id: int) -> list[dict[str, Any]]:
    """The person's documents the actor may attach (the documents' list, its read audited)."""
    view = documents.view(access, person_id)
    rows = list(view["documents"]) + [r for s in view["series"].values() for r in s]
    return rows[:200]


def for_thread(access: AccessContext, thread: dict) -> dict[int, list[dict[str, Any]]]:
    """post id → its attachments as the reader may see them."""
    rows = attachment_storage.of_thread(access.db, thread["id"])
    inside = access.actor is not None and access.actor.role_in(thread["structure_id"]) is not None
    out: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        item: dict[str, Any] = {"document_id": r["document_id"], "title": None, "href": None}
        if not inside:
            item["note"] = RESERVED
        else:
            try:
                doc = documents.metadata(access, thread["person_id"], r["document_id"])
                item["title"] = doc["title"]
                item["href"] = f"/personnes/{thread['person_id']}/documents/{r['document_id']}"
            except NotFound:
                item["note"] = GONE
            except Forbidden:
                item["note"] = RESERVED
        out.setdefault(r["post_id"], []).append(item)
    return out

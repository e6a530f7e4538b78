"""Writing from a bridged inbox to an external professional chosen in the directory.

The recipient's address is the one the directory gives (the professional's MSSanté address in
the national registry, RPPS), never typed: a message leaves only towards the MSSanté trust space,
from the inbox's own address. Who may write: whoever may answer the inbox's items (its readers,
:func:`~virage.inboxes.service.reader_inbox`). The message is kept in the inbox as an item the
worker wrote, closed at once, whose outcome says to whom it went and whether it left; then it is
handed to the hook ``inbox_send_external`` (first result wins). An answer from the professional
comes back as a new external item.
"""

from __future__ import annotations

import re
from typing import Any

from virage.accounts.context import AccessContext
from virage.db import transaction
from virage.directory import service as directory
from virage.directory.search import SearchParams, search_professionals
from virage.errors import Forbidden, InvalidInput, NotFound
from virage.inboxes import clock, service, storage
from virage.inboxes.model import MAX_ADDRESS, ExternalIn

#: An address as the directory holds it: one ``@``, no space, a dotted domain.
_ADDRESS = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[a-z]{2,}$", re.IGNORECASE)
ACTION = "inboxes.item.written_external"
NOT_BRIDGED = (
    "Cette boîte n'est pas reliée à la messagerie sécurisée (aucune adresse MSSanté dans ses "
    "réglages) : elle ne peut pas écrire à l'extérieur. La direction peut la relier."
)
UNKNOWN = "Ce professionnel n'est pas dans l'annuaire : cherchez-le par son nom ou son numéro RPPS."
NO_ADDRESS = (
    "{name} n'a pas d'adresse de messagerie sécurisée (MSSanté) dans l'annuaire : "
    "joignez ce professionnel par un autre moyen."
)
#: Professionals shown per search, and looked at to find them (those with an MSSanté address).
MAX_CANDIDATES = 20
SEARCHED = 100


def written_message(sent: bool | None) -> str:
    """What the page says after writing."""
    if sent is True:
        return "Message envoyé au professionnel par la messagerie sécurisée."
    if sent is False:
        return (
            "Non envoyé : le connecteur a échoué, le message reste dans Virage. Joignez le "
            "professionnel par un autre moyen."
        )
    return (
        "Aucun connecteur de messagerie sécurisée n'est installé : le message est gardé dans "
        "Virage mais n'est pas parti."
    )


def _name(pro: dict) -> str:
    return (
        " ".join(filter(None, [pro.get("given_name"), pro.get("family_name")]))
        or "Ce professionnel"
    )


def _address(pro: dict) -> str | None:
    address = (pro.get("mssante") or "").strip()
    if len(address) > MAX_ADDRESS or not _ADDRESS.match(address):
        return None
    return address


def bridged_inbox(access: AccessContext, inbox_id: int) -> dict:
    """The inbox, if the actor answers it and it is bridged (else 404, 403 or 400, audited)."""
    inbox = service.reader_inbox(access, inbox_id, ACTION)
    target = f"inbox:{inbox_id}"
    if not access.allowed("inboxes.read", structure_id=inbox["structure_id"]):
        access.audit(ACTION, structure_id=inbox["structure_id"], target=target, outcome="denied")
        raise Forbidden(service.NOT_A_READER)
    if not (inbox["external_address"] or "").strip():
        access.audit(
            ACTION,
            structure_id=inbox["structure_id"],
            target=target,
            outcome="denied",
            details={"raison": "boîte non reliée"},
        )
        raise InvalidInput(NOT_BRIDGED)
    return inbox


def recipient(access: AccessContext, professional_id: int) -> dict[str, Any]:
    """The directory's professional and MSSanté address (404 unknown, 400 without address)."""
    directory.require_read(access)
    if not 1 <= professional_id <= 2**62:
        raise NotFound(UNKNOWN)
    try:
        pro = directory.professional_detail(access.db, professional_id)
    except NotFound:
        raise NotFound(UNKNOWN) from None
    address = _address(pro)
    name = _name(pro)
    if address is None:
        raise InvalidInput(NO_ADDRESS.format(name=name.strip()))
    if pro.get("status") == "closed":
        raise InvalidInput(f"{name} n'exerce plus d'après l'annuaire : choisissez-en un autre.")
    return {
        "id": pro["id"],
        "name": name,
        "profession": pro.get("profession_label") or "",
        "city": pro.get("city") or "",
        "address": address,
    }


def candidates(access: AccessContext, inbox_id: int, text: str) -> dict[str, Any]:
    """The search page: professionals of the directory matching a name or an RPPS number, with
    an MSSanté address (at most :data:`MAX_CANDIDATES`)."""
    inbox = bridged_inbox(access, inbox_id)
    directory.require_read(access)
    text = (text or "").strip()
    view: dict[str, Any] = {"inbox": inbox, "q": text[:200], "results": [], "error": ""}
    if not text:
        return view
    try:
        found = search_professionals(
            access.db, SearchParams(q=text, open_only=True, per_page=SEARCHED)
        ).results
    except InvalidInput as exc:
        view["error"] = exc.message
        return view
    view["results"] = [
        {
            "id": p["id"],
            "name": _name(p),
            "profession": p.get("profession_label") or "",
            "city": p.get("city") or "",
            "address": _address(p),
        }
        for p in found
        if _address(p)
    ][:MAX_CANDIDATES]
    return view


def form_view(access: AccessContext, inbox_id: int, professional_id: int) -> dict[str, Any]:
    inbox = bridged_inbox(access, inbox_id)
    return {"inbox": inbox, "pro": recipient(access, professional_id)}


def write_external(
    access: AccessContext, inbox_id: int, data: ExternalIn
) -> tuple[int, bool | None]:
    """Write to the professional from the inbox: kept as an item written (and closed) by the
    worker, then sent through ``inbox_send_external``. Returns the item's id and ``True`` sent,
    ``False`` the connector failed, ``None`` no connector (the message stays in Virage)."""
    inbox = bridged_inbox(access, inbox_id)
    pro = recipient(access, data.professional_id)
    service.cite_person(access, inbox, data.person_id)
    actor, at = access.actor, clock.now_iso()
    who = f"{pro['name']} ({pro['address']})"
    with transaction(access.db):
        item_id = storage.add_item(
            access.db,
            {
                "inbox_id": inbox_id,
                "structure_id": inbox["structure_id"],
                "source": "outgoing",
                "sender": actor.display_name,
                "subject": data.subject,
                "body": data.body,
                "person_id": data.person_id,
                "received_at": at,
                "status": "closed",
                "claimed_by": actor.user_id,
                "claimed_by_label": actor.display_name,
                "claimed_at": at,
                "closed_by": actor.user_id,
                "closed_by_label": actor.display_name,
                "closed_at": at,
                "outcome": f"Envoi en cours à {who}.",
                "posted_by": actor.user_id,
            },
        )
        storage.add_routing(
            access.db,
            {"id": item_id, "structure_id": inbox["structure_id"]},
            actor.user_id,
            "written",
            at,
        )
    sent = _send(access, inbox, pro["address"], data)
    outcome = {
        True: f"Envoyé à {who} par la messagerie sécurisée.",
        False: f"Non envoyé à {who} : le connecteur a échoué, le message reste dans Virage.",
        None: f"Non envoyé à {who} : aucun connecteur, le message reste dans Virage.",
    }[sent]
    with transaction(access.db):
        storage.update_item(access.db, item_id, {"outcome": outcome})
        access.audit(
            ACTION,
            structure_id=inbox["structure_id"],
            person_id=data.person_id,
            target=f"inbox_item:{item_id}",
            details={
                "boite": inbox["name"],
                "professionnel": pro["id"],
                "destinataire": pro["address"],
                "envoi": {True: "envoyé", False: "échec", None: "aucun connecteur"}[sent],
            },
        )
    return item_id, sent


def _send(access: AccessContext, inbox: dict, to: str, data: ExternalIn) -> bool | None:
    if access.plugins is None:
        return None
    found = access.plugins.call(  # each plugin isolated: one that raises counts as no answer
        "inbox_send_external",
        firstresult=True,
        inbox=dict(inbox),
        to=to,
        subject=data.subject,
        body=data.body,
        in_reply_to=None,
    )
    return bool(found[0]) if found else None

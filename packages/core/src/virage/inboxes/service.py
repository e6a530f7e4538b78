"""The organisational inboxes' use cases: receive, post, read, claim, answer, close, hand over.

- ``receive_external`` and ``list_bridged`` are for the connector plugin (no session): it files
  an external message into the inbox whose external address matches, once per ``Message-ID``.
- Everything else takes the worker's :class:`~virage.accounts.context.AccessContext`: only the
  inbox's readers (a setting: roles and named workers; plus whoever an item was routed to) read
  and treat its items, and an item about a person shows its text only to her care team.
  Every read and write is audited.
"""

from __future__ import annotations

from typing import Any

from virage.accounts.context import AccessContext
from virage.agenda.timeutil import iso
from virage.audit.service import record
from virage.db import Database, transaction
from virage.errors import Conflict, Forbidden, InvalidInput, NotFound
from virage.inboxes import clock, routing, storage
from virage.inboxes.model import (
    MAX_ANSWERS,
    MAX_BODY,
    MAX_ITEMS_SHOWN,
    MAX_MESSAGE_ID,
    MAX_SENDER,
    MAX_SUBJECT,
    SYSTEM_LABEL,
    AnswerIn,
    CloseIn,
    ExternalMessage,
    ItemIn,
    NoteIn,
)

INBOX_NOT_FOUND = "Cette boîte n'existe pas ou ne vous est pas accessible."
ITEM_NOT_FOUND = "Cet élément n'existe pas ou ne vous est pas accessible."
NOT_A_READER = (
    "Vous ne faites pas partie des destinataires de cette boîte : la direction choisit qui la lit "
    "et y répond (réglages de la boîte)."
)
CLOSED = "Cet élément est clos : il reste consultable mais ne peut plus être modifié."
CLAIM_FIRST = "Prenez d'abord cet élément (« Je prends ») : une seule personne le traite."
#: Bridged inboxes returned to a connector per poll.
MAX_BRIDGED = 500


# --------------------------------------------------------------------------- connector


def list_bridged(db: Database) -> list[dict]:
    """The inboxes with an external address (``id``, ``structure_id``, ``name``,
    ``external_address``…), for the connector's polling; read as the system."""
    return storage.bridged(db, MAX_BRIDGED)


def receive_external(
    db: Database, plugins, *, inbox_address: str, message: ExternalMessage
) -> int | None:
    """File an external message into the inbox whose external address is ``inbox_address``.

    Idempotent on ``message.message_id`` (a second delivery returns the existing item's id and
    creates nothing); ``None`` when no inbox has that address. Runs as the system, audited under
    :data:`SYSTEM_LABEL`; the item is routed and notified like an internal one.
    """
    address = (inbox_address or "").strip()[:MAX_SENDER]
    message_id = (message.message_id or "").strip()[:MAX_MESSAGE_ID]
    if not address or not message_id:
        return None
    inbox = storage.inbox_by_address(db, address)
    if inbox is None:
        return None
    with transaction(db):
        found = storage.item_by_message(db, inbox["id"], message_id)
        if found is not None:
            return found["id"]
        received = message.received_at
        values = {
            "inbox_id": inbox["id"],
            "structure_id": inbox["structure_id"],
            "source": "external",
            "message_id": message_id,
            "sender": (message.sender or "").strip()[:MAX_SENDER] or "expéditeur inconnu",
            "subject": (message.subject or "").strip()[:MAX_SUBJECT] or "(sans objet)",
            "body": (message.body or "")[:MAX_BODY],
            "received_at": routing_iso(received),
            "status": "open",
        }
        item_id = storage.add_item(db, values)
        item = storage.item(db, item_id)
        record(
            db,
            None,
            "inboxes.item.received",
            structure_id=inbox["structure_id"],
            target=f"inbox_item:{item_id}",
            route="inboxes.receive_external",
            details={"boite": inbox["name"]},
            actor_label=SYSTEM_LABEL,
        )
        routing.route_new(db, plugins, inbox, item)
    return item_id


def routing_iso(value) -> str:
    """An aware instant as stored; a naive or odd one is taken as now."""
    try:
        return iso(value)
    except (AttributeError, TypeError, ValueError):
        return clock.now_iso()


# --------------------------------------------------------------------------- readers


def is_reader(actor, inbox: dict, item: dict | None = None) -> bool:
    """Whether ``actor`` reads the inbox (its settings), or the item was routed to her."""
    role = actor.role_in(inbox["structure_id"])
    if role is None:
        return False
    if role in {r for r in inbox["reader_roles"].split(",") if r}:
        return True
    if str(actor.user_id) in inbox["reader_user_ids"].split(","):
        return True
    if actor.user_id == inbox.get("manager_user_id"):
        return True
    return item is not None and actor.user_id in (item["routed_to"], item["claimed_by"])


def _inbox(access: AccessContext, inbox_id: int, action: str, item: dict | None = None) -> dict:
    actor = access.require_login()
    inbox = storage.inbox(access.db, inbox_id)
    target = f"inbox_item:{item['id']}" if item else f"inbox:{inbox_id}"
    if inbox is None or actor.role_in(inbox["structure_id"]) is None:
        access.audit(action, target=target, outcome="denied", details={"raison": "inconnue"})
        raise NotFound(ITEM_NOT_FOUND if item else INBOX_NOT_FOUND)
    if not is_reader(actor, inbox, item):
        access.audit(action, structure_id=inbox["structure_id"], target=target, outcome="denied")
        raise Forbidden(NOT_A_READER)
    return inbox


def reader_inbox(access: AccessContext, inbox_id: int, action: str) -> dict:
    """The inbox if the actor reads and answers it: 404 another structure's or unknown, 403 not
    among its readers (denials audited under ``action``)."""
    return _inbox(access, inbox_id, action)


def _item(access: AccessContext, item_id: int, action: str) -> tuple[dict, dict]:
    item = storage.item(access.db, item_id)
    if item is None:
        access.require_login()
        access.audit(action, target=f"inbox_item:{item_id}", outcome="denied")
        raise NotFound(ITEM_NOT_FOUND)
    inbox = _inbox(access, item["inbox_id"], action, item)
    access.require(
        "inboxes.read",
        structure_id=inbox["structure_id"],
        action=action,
        target=f"inbox_item:{item_id}",
    )
    return inbox, item


def can_read_body(access: AccessContext, item: dict) -> bool:
    """The text of an item about a person: her care team only (health content rules)."""
    if item["person_id"] is None:
        return True
    try:
        _, ref = access.load_person(item["person_id"])
    except NotFound:
        return False
    return access.allowed("persons.health.read", person=ref)


# --------------------------------------------------------------------------- reading


def inboxes_for(access: AccessContext) -> dict[str, list[dict]]:
    """The inboxes of the actor's structures: those she reads (with open counts), those she may
    write to."""
    from virage.inboxes.model import MAX_INBOXES

    actor = access.require_login()
    rows = storage.inboxes_of(access.db, actor.structure_ids, MAX_INBOXES * 10)
    readable = [r for r in rows if is_reader(actor, r)]
    postable = [r for r in rows if access.allowed("inboxes.post", structure_id=r["structure_id"])]
    return {"readable": readable, "postable": postable}


def inbox_view(access: AccessContext, inbox_id: int) -> dict[str, Any]:
    """An inbox's open items and the latest closed ones (subjects, never texts), for a reader."""
    inbox = _inbox(access, inbox_id, "inboxes.inbox.read")
    access.require(
        "inboxes.read",
        structure_id=inbox["structure_id"],
        action="inboxes.inbox.read",
        target=f"inbox:{inbox_id}",
    )
    db = access.db
    people = routing.roster(db, access.plugins, inbox, clock.now())
    boss = routing.manager(db, inbox)
    return {
        "inbox": inbox,
        "open": storage.items_of(db, inbox_id, False, MAX_ITEMS_SHOWN),
        "closed": storage.items_of(db, inbox_id, True, 20),
        "on_call": people,
        "manager": boss,
        "my_note": storage.pending_note(db, inbox_id, access.actor.user_id),
        "can_manage": access.allowed("inboxes.manage", structure_id=inbox["structure_id"]),
    }


def item_view(access: AccessContext, item_id: int) -> dict[str, Any]:
    """One item, its answers; the text of an item about a person for her care team only."""
    inbox, item = _item(access, item_id, "inboxes.item.read")
    readable = can_read_body(access, item)
    if item["person_id"] is not None:
        access.audit(
            "inboxes.item.person.read" if readable else "inboxes.item.person.hidden",
            structure_id=inbox["structure_id"],
            person_id=item["person_id"],
            target=f"inbox_item:{item_id}",
        )
    answers = storage.answers(access.db, item_id, MAX_ANSWERS) if readable else []
    return {"inbox": inbox, "item": item, "body_readable": readable, "answers": answers}


# --------------------------------------------------------------------------- writing


def cite_person(access: AccessContext, inbox: dict, person_id: int | None) -> None:
    """A person cited in an item: one the worker may see, of the inbox's structure."""
    if person_id is None:
        return
    person = access.require(
        "persons.identity.read", person_id=person_id, action="inboxes.item.person.cited"
    )
    if person["structure_id"] != inbox["structure_id"]:
        raise InvalidInput(
            "Cette personne n'est pas accompagnée par la structure de cette boîte : "
            "écrivez sans la citer, ou à une boîte de sa structure."
        )


def post(access: AccessContext, inbox_id: int, data: ItemIn) -> int:
    """A worker writes to an inbox of her structure (with a person: one she may read)."""
    inbox = storage.inbox(access.db, inbox_id)
    actor = access.require_login()
    if inbox is None or actor.role_in(inbox["structure_id"]) is None:
        access.audit("inboxes.item.posted", target=f"inbox:{inbox_id}", outcome="denied")
        raise NotFound(INBOX_NOT_FOUND)
    access.require(
        "inboxes.post",
        structure_id=inbox["structure_id"],
        action="inboxes.item.posted",
        target=f"inbox:{inbox_id}",
    )
    cite_person(access, inbox, data.person_id)
    with transaction(access.db):
        item_id = storage.add_item(
            access.db,
            {
                "inbox_id": inbox_id,
                "structure_id": inbox["structure_id"],
                "source": "internal",
                "sender": actor.display_name,
                "subject": data.subject,
                "body": data.body,
                "person_id": data.person_id,
                "urgent": int(data.urgent),
                "received_at": clock.now_iso(),
                "status": "open",
                "posted_by": actor.user_id,
            },
        )
        routing.route_new(access.db, access.plugins, inbox, storage.item(access.db, item_id))
    return item_id


def claim(access: AccessContext, item_id: int) -> None:
    """« Je prends »: one person treats the item; the others see it is taken."""
    _, item = _item(access, item_id, "inboxes.item.claimed")
    actor = access.actor
    if item["status"] == "closed":
        raise Conflict(CLOSED)
    if item["status"] == "claimed":
        if item["claimed_by"] == actor.user_id:
            return
        raise Conflict(f"Déjà pris par {item['claimed_by_label']}.")
    at = clock.now_iso()
    with transaction(access.db):
        done = storage.update_item(
            access.db,
            item_id,
            {
                "status": "claimed",
                "claimed_by": actor.user_id,
                "claimed_by_label": actor.display_name,
                "claimed_at": at,
            },
            status="open",
        )
        if not done:
            raise Conflict("Quelqu'un vient de prendre cet élément : rechargez la page.")
        storage.add_routing(access.db, item, actor.user_id, "claimed", at)


def _mine(access: AccessContext, item: dict) -> None:
    if item["status"] == "closed":
        raise Conflict(CLOSED)
    if item["claimed_by"] != access.actor.user_id:
        raise Conflict(CLAIM_FIRST)


def answer(access: AccessContext, item_id: int, data: AnswerIn) -> bool | None:
    """Answer an item taken by oneself; an external item's answer goes out through the
    connector: ``True`` sent, ``False`` failed, ``None`` no connector (it stays in Virage)."""
    inbox, item = _item(access, item_id, "inboxes.item.answered")
    _mine(access, item)
    if storage.count_answers(access.db, item_id) >= MAX_ANSWERS:
        raise Conflict(f"Cet élément compte déjà {MAX_ANSWERS} réponses : closez-le.")
    sent = None
    if item["source"] == "external" and access.plugins is not None:
        found = access.plugins.call(
            "inbox_send_external",
            firstresult=True,
            inbox=dict(inbox),
            to=item["sender"],
            subject=f"Re : {item['subject']}"[:MAX_SUBJECT],
            body=data.body,
            in_reply_to=item["message_id"],
        )
        sent = bool(found[0]) if found else None
    actor = access.actor
    storage.add_answer(
        access.db, item, actor.user_id, actor.display_name, data.body, sent, clock.now_iso()
    )
    return sent


def close(access: AccessContext, item_id: int, data: CloseIn) -> None:
    """Close an item taken by oneself, with its outcome in a line."""
    _, item = _item(access, item_id, "inboxes.item.closed")
    _mine(access, item)
    actor, at = access.actor, clock.now_iso()
    with transaction(access.db):
        storage.update_item(
            access.db,
            item_id,
            {
                "status": "closed",
                "closed_by": actor.user_id,
                "closed_by_label": actor.display_name,
                "closed_at": at,
                "outcome": data.outcome,
            },
        )
        storage.add_routing(access.db, item, actor.user_id, "closed", at)


def write_note(access: AccessContext, inbox_id: int, data: NoteIn) -> int:
    """The handover note (« Note de relève ») the outgoing worker leaves for the next one."""
    inbox = _inbox(access, inbox_id, "inboxes.handover_note.written")
    access.require(
        "inboxes.read",
        structure_id=inbox["structure_id"],
        action="inboxes.handover_note.written",
        target=f"inbox:{inbox_id}",
    )
    actor = access.actor
    return storage.add_note(
        access.db, inbox, actor.user_id, actor.display_name, data.note, clock.now_iso()
    )

"""The conversations' use cases: start one about a person, read it, answer; every read and post
checked (:mod:`virage.messaging.access_rules`) and audited.

A read receipt says who read which message, and when: the participants see them in the thread.
They are never counted per worker anywhere (no figure, no export per worker).
"""

from __future__ import annotations

from typing import Any

from virage.accounts import lookups
from virage.accounts.context import AccessContext
from virage.db import transaction
from virage.errors import Conflict, InvalidInput, NotFound
from virage.french import moment_text
from virage.messaging import attachment_storage, attachments, storage
from virage.messaging.access_rules import THREAD_NOT_FOUND, may_join, may_read, scope
from virage.messaging.notify import Notice, recipients_except, send_notice

MAX_BODY = 5000
MAX_SUBJECT = 120
CLOSED = "Ce dossier est clos : on ne peut plus y ouvrir de conversation."
FULL = (
    f"Cette conversation compte déjà {storage.MAX_MESSAGES_PER_THREAD} messages : ouvrez-en une "
    "nouvelle depuis le dossier de la personne."
)


def clean_text(value: Any, what: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{what} : écrivez-le, il ne peut pas être vide.")
    text = value.strip()
    if len(text) > limit:
        raise InvalidInput(f"{what} : {limit} caractères au plus ({len(text)} ici).")
    return text


def _person_name(person: dict) -> str:
    return f"{person.get('given_names') or ''} {(person.get('family_name') or '').upper()}".strip()


def _participation(access: AccessContext, thread_id: int) -> dict:
    actor = access.require_login()
    part = storage.participation(access.db, thread_id, actor.user_id)
    if part is None:
        access.audit(
            "messages.thread.read",
            target=f"conversation:{thread_id}",
            outcome="denied",
            details={"raison": "inconnue ou non participant"},
        )
        raise NotFound(THREAD_NOT_FOUND)
    return part


def _checked(access: AccessContext, thread_id: int, action: str) -> tuple[dict, dict]:
    """(thread, participation) once the actor may read now, audited; 404 otherwise."""
    part = _participation(access, thread_id)
    with scope(access, part["structure_id"]):
        thread = storage.thread(access.db, thread_id)
        allowed = thread is not None and may_read(access, thread, part["member_structure_id"])
        access.audit(
            action,
            structure_id=part["structure_id"],
            person_id=part["person_id"],
            target=f"conversation:{thread_id}",
            outcome="allowed" if allowed else "denied",
        )
    if not allowed:
        raise NotFound(THREAD_NOT_FOUND)
    return thread, part


def candidates(access: AccessContext, person_id: int) -> dict[str, Any]:
    """Who may be asked into a conversation about the person: her care team (and the
    coordination), then the care workers of the partner structures she agreed to."""
    person = access.require("messages.write", person_id=person_id, action="messages.candidates")
    _, ref = access.load_person(person_id)
    me = access.actor.user_id
    inside = [
        m
        for m in lookups.members_of(access.db, person["structure_id"])
        if m["id"] != me and may_join(access, person, ref, m["id"], person["structure_id"])
    ]
    outside = []
    for c in storage.consents(access.db, person_id):
        if c["revoked_at"] is not None or any(
            o["structure"]["id"] == c["partner_structure_id"] for o in outside
        ):
            continue
        structure = lookups.structure(access.db, c["partner_structure_id"])
        if structure is None:
            continue
        members = [
            m
            for m in lookups.members_of(access.db, structure["id"])
            if may_join(access, person, ref, m["id"], structure["id"])
        ]
        outside.append({"structure": structure, "members": members[:50]})
    return {"person": person, "inside": inside[:100], "outside": outside}


def start(
    access: AccessContext,
    plugins: Any,
    person_id: int,
    subject: Any,
    body: Any,
    participant_ids: list[int],
    urgent: bool = False,
) -> int:
    """Open a conversation about the person with chosen participants and a first message."""
    person = access.require("messages.write", person_id=person_id, action="messages.thread.created")
    if person["status"] != "active":
        raise Conflict(CLOSED)
    subject = clean_text(subject, "L'objet", MAX_SUBJECT)
    body = clean_text(body, "Le message", MAX_BODY)
    _, ref = access.load_person(person_id)
    actor = access.actor
    wanted = [i for i in dict.fromkeys(participant_ids) if i != actor.user_id]
    if not wanted:
        raise InvalidInput("Choisissez au moins un professionnel avec qui échanger.")
    if len(wanted) > storage.MAX_PARTICIPANTS:
        raise InvalidInput(f"{storage.MAX_PARTICIPANTS} participants au plus par conversation.")
    chosen: list[tuple[int, int]] = []
    for uid in wanted:
        home = _structure_for(access, person, ref, uid)
        if home is None:
            raise InvalidInput(
                "Un des professionnels choisis ne peut pas échanger au sujet de cette personne "
                "(hors de son équipe de soins, ou structure sans accord enregistré)."
            )
        chosen.append((uid, home))
    with transaction(access.db):
        tid = storage.create_thread(
            access.db,
            person["structure_id"],
            person_id,
            subject,
            urgent,
            actor.user_id,
            actor.label,
        )
        row = storage.thread(access.db, tid)
        storage.add_participant(
            access.db, row, actor.user_id, person["structure_id"], actor.user_id
        )
        for uid, home in chosen:
            storage.add_participant(access.db, row, uid, home, actor.user_id)
        storage.add_post(access.db, row, actor.user_id, actor.label, body)
    access.audit(
        "messages.posted",
        structure_id=person["structure_id"],
        person_id=person_id,
        target=f"conversation:{tid}",
        details={"participants": len(chosen) + 1},
    )
    _notify(plugins, row, [u for u, _ in chosen], urgent)
    return tid


def _structure_for(access, person, ref, user_id: int) -> int | None:
    """The structure a worker would take part for: the person's, else a partner's."""
    if may_join(access, person, ref, user_id, person["structure_id"]):
        return person["structure_id"]
    for c in storage.consents(access.db, person["id"]):
        if c["revoked_at"] is None and may_join(
            access, person, ref, user_id, c["partner_structure_id"]
        ):
            return c["partner_structure_id"]
    return None


def _notify(plugins: Any, thread: dict, recipients: list[int], urgent: bool) -> None:
    title = "Message urgent dans Virage" if urgent else "Nouveau message dans Virage"
    notice = Notice("conversation.message", title, f"/messages/{thread['id']}", urgent=urgent)
    send_notice(plugins, recipients, notice)


def reply(
    access: AccessContext, plugins: Any, thread_id: int, body: Any, document_id: int | None = None
) -> int:
    """Answer in a conversation one may read now (with a document of the person's file, which
    the actor must be able to read)."""
    body = clean_text(body, "Le message", MAX_BODY)
    thread, part = _checked(access, thread_id, "messages.posted")
    attached = attachments.check(access, thread["person_id"], document_id)
    with scope(access, part["structure_id"]):
        if storage.post_count(access.db, thread_id) >= storage.MAX_MESSAGES_PER_THREAD:
            raise Conflict(FULL)
        actor = access.actor
        with transaction(access.db):
            post_id = storage.add_post(access.db, thread, actor.user_id, actor.label, body)
            if attached is not None:
                attachment_storage.add(access.db, thread, post_id, attached)
            storage.mark_read(access.db, thread, actor.user_id)
        others = recipients_except(
            [p["user_id"] for p in storage.participants(access.db, thread_id)], actor.user_id
        )
    _notify(plugins, thread, others, bool(thread["urgent"]))
    return post_id


def open_thread(access: AccessContext, thread_id: int, *, mark: bool = True) -> dict[str, Any]:
    """The conversation as a participant reads it (marked read), with its read receipts."""
    thread, part = _checked(access, thread_id, "messages.thread.read")
    with scope(access, part["structure_id"]):
        if mark:
            storage.mark_read(access.db, thread, access.actor.user_id)
        person = lookups.person(access.db, thread["person_id"]) or {}
        people = storage.participants(access.db, thread_id)
        names = {}
        for p in people:
            user = lookups.user(access.db, p["user_id"]) or {}
            home = lookups.structure(access.db, p["member_structure_id"]) or {}
            names[p["user_id"]] = user.get("display_name") or "Compte retiré"
            p["display_name"] = names[p["user_id"]]
            p["structure_name"] = home.get("name", "")
        receipts: dict[int, list[dict]] = {}
        for r in storage.reads(access.db, thread_id):
            receipts.setdefault(r["post_id"], []).append(
                {
                    "user_id": r["user_id"],
                    "display_name": names.get(r["user_id"], ""),
                    "read_at": r["read_at"],
                    "when": moment_text(r["read_at"]),
                }
            )
        posts = storage.posts(access.db, thread_id)
        joined = attachments.for_thread(access, thread)
        for p in posts:
            p["when"] = moment_text(p["created_at"])
            p["receipts"] = receipts.get(p["id"], [])
            p["attachments"] = joined.get(p["id"], [])
    return {
        "thread": thread,
        "person_id": thread["person_id"],
        "person_name": _person_name(person),
        "participants": people,
        "posts": posts,
        "can_reply": len(posts) < storage.MAX_MESSAGES_PER_THREAD,
        "can_attach": access.actor.role_in(thread["structure_id"]) is not None,
    }


def my_threads(access: AccessContext) -> list[dict[str, Any]]:
    """The conversations the actor takes part in and may read now: urgent first, then newest."""
    actor = access.require_login()
    out = []
    for part in storage.participations_of(access.db, actor.user_id):
        with scope(access, part["structure_id"]):
            thread = storage.thread(access.db, part["thread_id"])
            if thread is None or not may_read(access, thread, part["member_structure_id"]):
                continue
            person = lookups.person(access.db, thread["person_id"]) or {}
            unread = storage.unread_by_thread(access.db, actor.user_id, [thread["id"]])
        out.append(
            {
                **thread,
                "person_name": _person_name(person),
                "unread": unread.get(thread["id"], 0),
                "when": moment_text(thread["last_message_at"]),
            }
        )
    access.audit("messages.list.read", details={"conversations": len(out)})
    out.sort(key=lambda t: t["last_message_at"], reverse=True)
    out.sort(key=lambda t: not t["urgent"])
    return out


def unread_total(access: AccessContext) -> int:
    """Messages waiting for the actor, for the menu (no audit: a number, no content). Threads of
    her own structures in one query; a partner's, each under its consent check."""
    actor = access.actor
    if actor is None:
        return 0
    parts = storage.participations_of(access.db, actor.user_id)
    mine = set(actor.structure_ids)
    inside = {p["thread_id"]: p for p in parts if p["structure_id"] in mine}
    counts = storage.unread_by_thread(access.db, actor.user_id, list(inside))
    total = 0
    for part in parts:
        if part["thread_id"] in inside and not counts.get(part["thread_id"]):
            continue
        with scope(access, part["structure_id"]):
            thread = storage.thread(access.db, part["thread_id"])
            if thread is None or not may_read(access, thread, part["member_structure_id"]):
                continue
            if part["thread_id"] in inside:
                total += counts[part["thread_id"]]
            else:
                unread = storage.unread_by_thread(access.db, actor.user_id, [thread["id"]])
                total += sum(unread.values())
    return total


def threads_about(access: AccessContext, person_id: int) -> list[dict[str, Any]]:
    """The person's conversations the actor takes part in (the person's page)."""
    actor = access.require_login()
    rows = []
    for t in storage.threads_of_person(access.db, person_id):
        if storage.participation(access.db, t["id"], actor.user_id) is not None:
            t["when"] = moment_text(t["last_message_at"])
            rows.append(t)
    return rows

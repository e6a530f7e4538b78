"""Routing of an on-call inbox: to whoever is on call now according to the agenda, escalation of
what nobody took in time, handover at shift change.

- The **chain** of an on-call inbox: the workers on call now (on-call appointments covering now,
  in the agenda's order), then the inbox's manager (a setting; by default the structure's
  direction, else its coordination). A new item goes to the first of the chain.
- **Escalation**: an item nobody claimed within the inbox's ``claim_minutes`` goes to the next of
  the chain, then to the manager, where it stays.
- **Handover**: when the worker an item was routed to is no longer on call, the open items
  (unclaimed, or claimed by her and not closed) go to the incoming on-call worker, with the
  outgoing one's handover note.

Runs as the system (no session), audited under :data:`~virage.inboxes.model.SYSTEM_LABEL`.
Nothing here measures anyone: the routing log says to whom an item went, never how fast.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from virage import db_scope
from virage.accounts import lookups
from virage.agenda.on_call import on_call_at
from virage.audit.service import record
from virage.db import Database, transaction
from virage.inboxes import clock, storage
from virage.inboxes.model import MAX_ITEMS_SHOWN, SYSTEM_LABEL
from virage.messaging.notify import Notice, UnsafeNotice, send_notice

log = logging.getLogger("virage.inboxes")
#: On-call inboxes handled per round (a network has a few dozen).
MAX_INBOXES_PER_ROUND = 2000


def manager(db: Database, inbox: dict) -> dict | None:
    """The inbox's manager: its setting, else the structure's direction, else its coordination."""
    members = lookups.members_of(db, inbox["structure_id"])
    by_id = {m["id"]: m for m in members}
    if inbox.get("manager_user_id") in by_id:
        return by_id[inbox["manager_user_id"]]
    for role in ("director", "coordinator"):
        found = [m for m in members if m["role"] == role]
        if found:
            return found[0]
    return None


def readers_of(db: Database, inbox: dict) -> list[int]:
    """The workers of the structure who read a shared inbox (its settings), for its notices."""
    roles = {r for r in inbox["reader_roles"].split(",") if r}
    named = {int(u) for u in inbox["reader_user_ids"].split(",") if u.isdigit()}
    return [
        m["id"]
        for m in lookups.members_of(db, inbox["structure_id"])
        if m["role"] in roles or m["id"] in named
    ]


def roster(db: Database, plugins, inbox: dict, at: datetime) -> list[dict]:
    """The workers on call now (``user_id``, ``display_name``), in the agenda's order."""
    if inbox["kind"] != "on_call":
        return []
    return [
        {"user_id": s["user_id"], "display_name": s["display_name"]}
        for s in on_call_at(db, plugins, inbox["structure_id"], at)
    ]


def chain(db: Database, plugins, inbox: dict, at: datetime) -> list[dict]:
    """Who an item goes to, in turn: the workers on call, then the manager."""
    out = roster(db, plugins, inbox, at)
    boss = manager(db, inbox)
    if inbox["kind"] == "on_call" and boss and boss["id"] not in {r["user_id"] for r in out}:
        out.append({"user_id": boss["id"], "display_name": boss["display_name"]})
    return out


def notify(plugins, inbox: dict, url: str, user_ids: list[int], kind: str, urgent: bool) -> None:
    """A generic notice (the inbox's name, never the item's subject nor a person's name)."""
    titles = {
        "inbox.item": f"À prendre : {inbox['name']}",
        "inbox.escalated": f"Non pris à temps : {inbox['name']}",
        "inbox.handover": f"Reçu à la relève : {inbox['name']}",
    }
    try:
        notice = Notice(kind, titles[kind][:80], url, urgent)
    except UnsafeNotice:
        notice = Notice(kind, "Un élément vous attend dans une boîte de Virage", url, urgent)
    send_notice(plugins, user_ids, notice)


def _audit(db: Database, item: dict, action: str, details: dict) -> None:
    record(
        db,
        None,
        action,
        structure_id=item["structure_id"],
        person_id=item["person_id"],
        target=f"inbox_item:{item['id']}",
        route="inboxes.routing",
        details=details,
        actor_label=SYSTEM_LABEL,
    )


def _ahead(item: dict, at: datetime) -> bool:
    """An item dated after ``at`` (a sender's clock ahead) waits for its time."""
    try:
        return datetime.fromisoformat(item["received_at"]) > at
    except (TypeError, ValueError):
        return False


def route_new(db: Database, plugins, inbox: dict, item: dict) -> None:
    """Send a new item to the first of the chain (on-call inbox) or to the readers (shared)."""
    at = clock.now()
    if inbox["kind"] != "on_call":
        readers = readers_of(db, inbox)
        notify(
            plugins,
            inbox,
            f"/boites/elements/{item['id']}",
            readers,
            "inbox.item",
            bool(item["urgent"]),
        )
        return
    people = chain(db, plugins, inbox, at)
    if not people:
        return
    first = people[0]
    on_call = roster(db, plugins, inbox, at)
    values = {
        "routed_to": first["user_id"],
        "routed_to_label": first["display_name"],
        "routed_at": clock.now_iso(),
        "on_call_user_id": on_call[0]["user_id"] if on_call else None,
    }
    storage.update_item(db, item["id"], values)
    storage.add_routing(db, item, first["user_id"], "routed", values["routed_at"])
    notify(
        plugins,
        inbox,
        f"/boites/elements/{item['id']}",
        [first["user_id"]],
        "inbox.item",
        bool(item["urgent"]),
    )


def escalate_due(db: Database, plugins, inbox: dict) -> int:
    """Move up the chain every unclaimed item whose time is up; returns how many moved."""
    at = clock.now()
    limit = timedelta(minutes=int(inbox["claim_minutes"]))
    people = None
    moved = 0
    for item in storage.open_items(db, inbox["id"], MAX_ITEMS_SHOWN):
        if item["status"] != "open" or not item["routed_at"] or _ahead(item, at):
            continue
        if datetime.fromisoformat(item["routed_at"]) + limit > at:
            continue
        people = people if people is not None else chain(db, plugins, inbox, at)
        level = int(item["escalation_level"]) + 1
        if level >= len(people):
            continue  # already at the manager: it stays there
        nxt = people[level]
        now_iso = clock.now_iso()
        changed = storage.update_item(
            db,
            item["id"],
            {
                "routed_to": nxt["user_id"],
                "routed_to_label": nxt["display_name"],
                "routed_at": now_iso,
                "escalation_level": level,
            },
            status="open",
        )
        if not changed:
            continue
        storage.add_routing(db, item, nxt["user_id"], "escalated", now_iso)
        _audit(db, item, "inboxes.item.escalated", {"niveau": level, "vers": nxt["display_name"]})
        notify(
            plugins,
            inbox,
            f"/boites/elements/{item['id']}",
            [nxt["user_id"]],
            "inbox.escalated",
            True,
        )
        moved += 1
    return moved


def handover_due(db: Database, plugins, inbox: dict) -> int:
    """At shift change, hand the outgoing worker's open items to the incoming one, with her
    note; returns how many were handed over."""
    on_call = roster(db, plugins, inbox, clock.now())
    if not on_call:
        return 0
    present = {r["user_id"] for r in on_call}
    incoming = on_call[0]
    now_iso = clock.now_iso()
    handed, outgoing_ids = 0, set()
    for item in storage.open_items(db, inbox["id"], MAX_ITEMS_SHOWN):
        outgoing = item["on_call_user_id"]
        if outgoing in present or _ahead(item, clock.now()):
            continue
        if outgoing is None and item["status"] != "open":
            continue
        if item["status"] == "claimed" and item["claimed_by"] != outgoing:
            # Taken by someone else (the manager): it stays hers; the on-call is the new one.
            storage.update_item(db, item["id"], {"on_call_user_id": incoming["user_id"]})
            continue
        values = {
            "routed_to": incoming["user_id"],
            "routed_to_label": incoming["display_name"],
            "routed_at": now_iso,
            "escalation_level": 0,
            "on_call_user_id": incoming["user_id"],
            "handed_over_at": now_iso,
        }
        if outgoing is not None:
            note = storage.pending_note(db, inbox["id"], outgoing)
            who = lookups.user(db, outgoing)
            values["handover_note"] = note["note"] if note else None
            values["handover_from_label"] = who["display_name"] if who else None
            outgoing_ids.add(outgoing)
        if item["status"] == "claimed":
            values.update(
                claimed_by=incoming["user_id"],
                claimed_by_label=incoming["display_name"],
                claimed_at=now_iso,
            )
        storage.update_item(db, item["id"], values)
        storage.add_routing(db, item, incoming["user_id"], "handover", now_iso)
        _audit(
            db,
            item,
            "inboxes.item.handed_over",
            {"de": values.get("handover_from_label") or "", "vers": incoming["display_name"]},
        )
        handed += 1
    for outgoing in outgoing_ids:
        storage.use_notes(db, inbox["id"], outgoing, now_iso)
    if handed:
        notify(
            plugins, inbox, f"/boites/{inbox['id']}", [incoming["user_id"]], "inbox.handover", False
        )
    return handed


def run_inbox(db: Database, plugins, inbox: dict) -> int:
    """Handover, then escalation, for one on-call inbox, in one transaction."""
    token = db_scope.acting_for([inbox["structure_id"]])
    try:
        with transaction(db):
            return handover_due(db, plugins, inbox) + escalate_due(db, plugins, inbox)
    finally:
        db_scope.reset(token)


def run_once(db: Database, plugins) -> int:
    """One round over every on-call inbox; returns how many items moved. A failing inbox is
    logged and the others go on."""
    moved = 0
    for inbox in storage.on_call_inboxes(db, MAX_INBOXES_PER_ROUND):
        try:
            moved += run_inbox(db, plugins, inbox)
        except Exception:  # crash-safe: one inbox never stops the others
            log.exception("Boîtes : la relève ou l'escalade de la boîte %s a échoué.", inbox["id"])
    return moved

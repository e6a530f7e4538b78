"""Who may read what, and how rows are shown: the reader's scope, the audited lists that span
persons, and the display fields of each transmission (importable from the service too).
"""

from __future__ import annotations

from virage.access import PersonRef, check
from virage.accounts import lookups
from virage.accounts.context import AccessContext
from virage.db import transaction
from virage.errors import Forbidden, NotFound
from virage.transmissions import storage, timefmt, visits
from virage.transmissions.checks import _editable, _now
from virage.transmissions.targets import CATEGORIES, PRIORITIES


def decorate(access: AccessContext, rows: list[dict]) -> list[dict]:
    """Attach results and corrections (``children``), acknowledgements and display fields."""
    db = access.db
    actor_id = access.actor.user_id if access.actor else None
    now = _now()
    ids = [r["id"] for r in rows]
    kids = storage.children(db, ids)
    all_ids = ids + [k["id"] for k in kids]
    acks: dict[int, list[dict]] = {}
    readers: dict[int, dict] = {}
    for a in storage.acks_for(db, all_ids):
        if a["user_id"] not in readers:
            readers[a["user_id"]] = lookups.user(db, a["user_id"]) or {}
        a["display_name"] = readers[a["user_id"]].get("display_name")
        a["profession"] = readers[a["user_id"]].get("profession")
        acks.setdefault(a["transmission_id"], []).append(a)
    visit_labels = visits.describe(
        db, [r["appointment_id"] for r in rows if r["appointment_id"]], access.plugins
    )
    by_parent: dict[int, list[dict]] = {}
    for k in kids:
        by_parent.setdefault(k["parent_id"], []).append(k)

    def finish(row: dict) -> dict:
        row["acknowledgements"] = acks.get(row["id"], [])
        row["acknowledged_by_me"] = any(a["user_id"] == actor_id for a in row["acknowledgements"])
        row["mine"] = row["author_id"] == actor_id
        row["editable"] = _editable(row, actor_id, now) if actor_id else False
        row["when"] = timefmt.label(row["occurred_at"], now=now)
        row["written"] = timefmt.label(row["created_at"], now=now)
        row["category_label"] = CATEGORIES.get(row["category"], row["category"])
        row["priority_label"] = PRIORITIES.get(row["priority"], row["priority"])
        row["visit_label"] = visit_labels.get(row["appointment_id"])
        return row

    for row in rows:
        finish(row)
        row["children"] = [finish(k) for k in by_parent.get(row["id"], [])]
        row["results_added"] = [k for k in row["children"] if k["kind"] == "result"]
        row["corrections"] = [k for k in row["children"] if k["kind"] == "correction"]
    return rows


# --------------------------------------------------------------------------- scope


def reading_scope(access: AccessContext, perm: str = "transmissions.read") -> tuple[set, set]:
    """The persons and whole structures whose transmissions the actor may read.

    The decision is the core's (:func:`virage.access.check`) for each candidate: a role that reads
    without being in the care team (coordination) gets whole structures; otherwise the persons of
    the actor's care teams and of their active emergency accesses. Returns
    ``(person ids, structure ids)``.
    """
    actor = access.require_login()
    registry, db = access.registry, access.db
    structures: set[int] = set()
    for sid in actor.structure_ids:
        probe = PersonRef(id=0, structure_id=sid, care_team=frozenset())
        if check(registry, actor, perm, person=probe).allowed:
            structures.add(sid)
    persons: set[int] = set()
    me = frozenset({actor.user_id})
    team = [p["id"] for p in lookups.care_teams_of_user(db, actor.user_id)]
    emergency = lookups.emergency_person_ids(db, actor.user_id, timefmt.to_iso(_now()))
    known = lookups.persons_by_id(db, [*team, *emergency])
    for pid, sid in _with_structure(team, known):
        if (
            sid not in structures
            and check(registry, actor, perm, person=PersonRef(pid, sid, care_team=me)).allowed
        ):
            persons.add(pid)
    for pid, sid in _with_structure(emergency, known):
        if (
            sid not in structures
            and check(
                registry, actor, perm, person=PersonRef(pid, sid, frozenset(), emergency_users=me)
            ).allowed
        ):
            persons.add(pid)
    return persons, structures


def _with_structure(person_ids: list[int], known: dict[int, dict]) -> list[tuple[int, int]]:
    return [(pid, known[pid]["structure_id"]) for pid in person_ids if pid in known]


def _audited(access: AccessContext, rows: list[dict], view: str) -> list[dict]:
    """Audit the read of each person shown (one transaction), and keep only what ``require`` lets
    through: a list that spans persons is checked person by person, like a single record."""
    if not rows:
        return rows
    allowed: set[int] = set()
    with transaction(access.db):
        for pid in dict.fromkeys(r["person_id"] for r in rows):
            try:
                access.require(
                    "transmissions.read",
                    person_id=pid,
                    action="transmissions.read",
                    details={"vue": view},
                )
                allowed.add(pid)
            except (Forbidden, NotFound):
                continue  # refused (and audited as such): never shown
    return [r for r in rows if r["person_id"] in allowed]


def _with_persons(access: AccessContext, rows: list[dict]) -> list[dict]:
    names = lookups.persons_by_id(access.db, sorted({r["person_id"] for r in rows}))
    for r in rows:
        p = names.get(r["person_id"]) or {}
        r["person_name"] = f"{p.get('given_names', '')} {p.get('family_name', '').upper()}".strip()
    return rows

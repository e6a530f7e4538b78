"""The journal for humans: a structure's trail with names, French labels and filters.

Its legitimate use is « who accessed this person's data »: filters by person, period and action,
for the roles holding ``audit.read`` (direction, DPO). Reading one worker's activity over time is
another act: the DPO only (``audit.worker_activity``), with a stated reason, recorded, flagged,
and shown to that worker on « Ce qui est enregistré sur moi ». No count per worker anywhere.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from virage.accounts import persons, service
from virage.accounts.context import AccessContext
from virage.audit import query_storage
from virage.audit.labels import action_labels, flag_label
from virage.audit.query_storage import WORKER_ACTIVITY, Query
from virage.errors import InvalidInput, NotFound

PARIS = ZoneInfo("Europe/Paris")
#: Entries per page of the journal.
PAGE_SIZE = 50
#: Pages one may go back (50 × 200 = 10,000 entries); beyond, narrow the filters or export.
MAX_PAGE = 200
WORKER_REASON_HINT = (
    "Indiquez le motif de cette consultation (au moins 10 caractères) : il est enregistré au "
    "journal et la personne dont vous consultez l'activité le verra sur sa page « Ce qui est "
    "enregistré sur moi »."
)


class Filters(BaseModel):
    """The journal's filters, as the page and the API send them (dates of the Paris calendar)."""

    personne: int | None = Field(default=None, ge=1)
    du: date | None = None
    au: date | None = None
    action: str | None = Field(default=None, max_length=100)
    urgence: bool = False
    page: int = Field(default=1, ge=1, le=MAX_PAGE)

    def query(self, structure_id: int, actor_user_id: int | None = None) -> Query:
        if self.du and self.au and self.au < self.du:
            raise InvalidInput("La période est à l'envers : la date de fin précède celle du début.")
        return Query(
            structure_id=structure_id,
            person_id=self.personne,
            action=self.action or None,
            actor_user_id=actor_user_id,
            since=_utc(self.du) if self.du else None,
            until=_utc(self.au + timedelta(days=1)) if self.au else None,
            emergency_only=self.urgence,
        )


def _utc(day: date) -> str:
    """Midnight of a Paris day, as stored in the trail (UTC, ISO 8601, seconds)."""
    return datetime.combine(day, time(), PARIS).astimezone(ZoneInfo("UTC")).isoformat()


# --------------------------------------------------------------------------- reading


def structure_page(
    access: AccessContext,
    structure_id: int,
    filters: Filters,
    *,
    window: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """One page of a structure's journal (``audit.read``; the read is itself recorded).

    ``window``: (limit, offset) for the API; the pages use ``filters.page``.
    """
    details = _filter_details(filters)
    access.require("audit.read", structure_id=structure_id, action="audit.read", details=details)
    return _page(access, filters.query(structure_id), filters, window)


def worker_page(
    access: AccessContext,
    structure_id: int,
    user_id: int,
    reason: str | None,
    filters: Filters,
    *,
    window: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """One page of a worker's activity in the structure: the DPO, with a reason (recorded and
    flagged, target ``user:<id>``, shown to the worker). Everyone else is refused, and recorded."""
    access.require(
        "audit.worker_activity",
        structure_id=structure_id,
        action=WORKER_ACTIVITY,
        target=f"user:{user_id}",
        reason=reason,
        details=_filter_details(filters),
    )
    worker = next(
        (m for m in service.members_of(access.db, structure_id) if m["id"] == user_id), None
    )
    if worker is None:
        raise NotFound("Ce professionnel ne fait pas partie de la structure.")
    page = _page(access, filters.query(structure_id, actor_user_id=user_id), filters, window)
    page["worker"] = worker
    return page


def _filter_details(filters: Filters) -> dict[str, Any] | None:
    """The filters a read used, kept in its own audit entry."""
    used = filters.model_dump(mode="json", exclude_defaults=True)
    return {"filtres": used} if used else None


def _page(access: AccessContext, query: Query, filters: Filters, window) -> dict[str, Any]:
    limit, offset = window or (PAGE_SIZE, (filters.page - 1) * PAGE_SIZE)
    rows = query_storage.search(access.db, query, limit=limit + 1, offset=offset)
    entries = describe(access, rows[:limit])
    return {"entries": entries, "has_more": len(rows) > limit, "page": filters.page}


def describe(access: AccessContext, rows: list[dict]) -> list[dict]:
    """Entries as a page shows them: French label, the person's name when the reader may know
    her, the flag and reason of an exceptional act, the details in words."""
    labels = action_labels(access.plugins, access.registry)
    names = persons.names_for(access, {r["person_id"] for r in rows if r["person_id"]})
    for e in rows:
        e["label"] = labels.label(e["action"])
        e["person_name"] = names.get(e["person_id"]) if e["person_id"] else None
        e["flag"] = flag_label(e["action"]) if e["emergency"] else None
        details = _details(e["details"])
        e["motif"] = details.pop("motif", None) if isinstance(details.get("motif"), str) else None
        e["detail_items"] = [(k.replace("_", " "), _plain(v)) for k, v in details.items()]
    return rows


def _details(raw: str | None) -> dict:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {"détails": raw}
    return value if isinstance(value, dict) else {"détails": value}


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} : {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


# --------------------------------------------------------------------------- the page's lists


def form_choices(access: AccessContext, structure_id: int) -> dict[str, Any]:
    """What the filters offer: persons (if the role lists them), actions, and the workers for
    the DPO only (no one else is offered a filter by worker)."""
    labels = action_labels(access.plugins, access.registry)
    may_read_activity = access.allowed("audit.worker_activity", structure_id=structure_id)
    return {
        "person_choices": persons.choices_for_journal(access, structure_id),
        "action_choices": labels.choices(),
        "may_read_activity": may_read_activity,
        "worker_choices": service.members_of(access.db, structure_id) if may_read_activity else [],
    }


def reads_of_my_activity(access: AccessContext) -> list[dict]:
    """When the DPO read the signed-in worker's activity, who, in which structure, and why."""
    actor = access.require_login()
    rows = query_storage.worker_activity_reads(access.db, actor.user_id)
    structures = {
        s["id"]: s["name"] for s in service.list_structures(access.db, sorted(actor.memberships))
    }
    out = []
    for e in rows:
        details = _details(e["details"])
        out.append(
            {
                "at": e["at"],
                "by": e["actor_label"],
                "structure": structures.get(e["structure_id"], ""),
                "motif": details.get("motif", ""),
            }
        )
    return out

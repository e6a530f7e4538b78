"""The journal for humans: a structure's trail with names, French labels and filters.

Its legitimate use is « who accessed this person's data »: filters by person, period and action,
for the roles holding ``audit.read`` (direction, DPO). Reading one worker's activity over time is
another act: the DPO only (``audit.worker_activity``), with a stated reason, recorded, flagged,
and shown to that worker on « Ce qui est enregistré sur moi ». No count per worker anywhere.

Exports follow the same rule: the direction exports the entries about one person (CSV, API with
``person_id``); the whole journal of a structure (every line with its author, from which one could
rebuild anyone's activity) is the DPO's, with a reason (``audit.export_all``, flagged).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from virage.accounts import persons, service
from virage.accounts.context import AccessContext
from virage.audit import query_storage
from virage.audit import service as audit
from virage.audit.labels import action_labels, flag_label
from virage.audit.query_storage import WORKER_ACTIVITY, Query
from virage.errors import Forbidden, InvalidInput, NotFound
from virage.french import moment_text

PARIS = ZoneInfo("Europe/Paris")
#: Entries per page of the journal.
PAGE_SIZE = 50
#: Pages one may go back (50 × 200 = 10,000 entries); beyond, narrow the filters or export.
MAX_PAGE = 200
#: The DPO's complete export of a structure's journal (a permission with a reason).
FULL_EXPORT = "audit.export_all"
FULL_REFUSED = (
    "Tout le journal de la structure (toutes les personnes, tous les professionnels) ne s'exporte "
    "que par le ou la DPO, avec un motif. Choisissez une personne accompagnée : vous obtiendrez "
    "qui a consulté son dossier."
)
PERSON_FIRST = (
    "Choisissez d'abord une personne accompagnée : l'export donne qui a consulté son dossier."
)
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


def full_page(
    access: AccessContext,
    structure_id: int,
    reason: str | None,
    filters: Filters,
    *,
    window: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """The structure's journal without a person filter, for the API: the DPO, with a reason
    (flagged). The direction reads it person by person (:func:`structure_page` with ``personne``)."""
    require_full(access, structure_id, reason, filters)
    return _page(access, filters.query(structure_id), filters, window)


def person_csv(access: AccessContext, structure_id: int, filters: Filters) -> str:
    """The entries about one person as CSV (``audit.read``: « who accessed her data »)."""
    if filters.personne is None:
        raise InvalidInput(PERSON_FIRST)
    access.require(
        "audit.read",
        structure_id=structure_id,
        action="audit.export",
        details=_filter_details(filters),
    )
    return audit.entries_csv(query_storage.iter_matching(access.db, filters.query(structure_id)))


def full_csv(access: AccessContext, structure_id: int, reason: str | None, filters: Filters) -> str:
    """The whole journal of the structure as CSV, every person and every worker: the DPO only,
    with a reason (recorded, flagged)."""
    require_full(access, structure_id, reason, filters)
    return audit.entries_csv(query_storage.iter_matching(access.db, filters.query(structure_id)))


def require_full(
    access: AccessContext, structure_id: int, reason: str | None, filters: Filters
) -> None:
    """Enforce ``audit.export_all``. A reader of the journal who is not the DPO is told what she
    may do instead (choose a person); her attempt is recorded."""
    if access.allowed("audit.read", structure_id=structure_id) and not access.allowed(
        FULL_EXPORT, structure_id=structure_id
    ):
        access.audit(
            FULL_EXPORT,
            structure_id=structure_id,
            outcome="denied",
            details={"raison": "réservé au ou à la DPO"},
        )
        raise Forbidden(FULL_REFUSED)
    access.require(
        FULL_EXPORT,
        structure_id=structure_id,
        reason=reason,
        details=_filter_details(filters),
    )


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
    members = service.members_of(access.db, structure_id, with_inactive=True)
    worker = next((m for m in members if m["id"] == user_id), None)
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
    if isinstance(value, str) and _ISO.match(value):
        return moment_text(value)  # « 30 novembre 2026 », never « 2026-11-30 »
    return str(value)


#: A detail that is a stored date or instant (« 2026-11-30 », « 2026-11-30T08:00:00+00:00 »).
_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$"
)


# --------------------------------------------------------------------------- the page's lists


def form_choices(access: AccessContext, structure_id: int) -> dict[str, Any]:
    """What the filters offer: persons (if the role lists them), actions, and the workers for
    the DPO only (no one else is offered a filter by worker)."""
    labels = action_labels(access.plugins, access.registry)
    may_read_activity = access.allowed("audit.worker_activity", structure_id=structure_id)
    return {
        "may_export_all": access.allowed(FULL_EXPORT, structure_id=structure_id),
        "person_choices": persons.choices_for_journal(access, structure_id),
        "action_choices": labels.choices(),
        "may_read_activity": may_read_activity,
        # Departed (deactivated) workers too: a complaint may come after someone has left.
        "worker_choices": (
            service.members_of(access.db, structure_id, with_inactive=True)
            if may_read_activity
            else []
        ),
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

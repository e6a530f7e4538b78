"""Shared by the agenda's use cases: statuses that are history, allowed transitions, what the
``on_appointment_*`` hooks receive and how they are called.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from virage.accounts.context import AccessContext
from virage.agenda.kinds import AppointmentKind
from virage.agenda.timeutil import local_naive
from virage.plugins import PluginHost

log = logging.getLogger("virage.agenda")

#: Occurrences in these statuses happened: series edits never rewrite them.
PROTECTED = frozenset({"done", "missed"})

APPOINTMENT_NOT_FOUND = "Ce rendez-vous n'existe pas ou ne vous est pas accessible."
TRANSITIONS = {
    "planned": {"confirmed", "done", "missed"},
    "confirmed": {"planned", "done", "missed"},
    "done": {"missed"},
    "missed": {"done"},
    "cancelled": {"planned", "confirmed"},
}


def blocks(kinds: dict[str, AppointmentKind], kind_name: str, status: str) -> bool:
    kind = kinds.get(kind_name)
    return status != "cancelled" and (kind is None or kind.blocks)


def local_str(value: str) -> str:
    return local_naive(value).isoformat(timespec="minutes")


def hook_summary(
    row: dict, professional_ids: Sequence[int], occurrences: int = 1
) -> dict[str, Any]:
    """What the ``on_appointment_*`` hooks receive: no care notes."""
    return {
        "id": row.get("id"),
        "series_id": row.get("series_id"),
        "structure_id": row["structure_id"],
        "kind": row["kind"],
        "title": row["title"],
        "start": row.get("start_utc"),
        "end": row.get("end_utc"),
        "professional_ids": list(professional_ids),
        "person_id": row.get("person_id"),
        "place": row["place"],
        "status": row.get("status", "planned"),
        "occurrences": occurrences,
    }


def emit(plugins: PluginHost | None, hook: str, access: AccessContext, **kwargs: Any) -> None:
    if plugins is not None:
        plugins.call(hook, db=access.db, actor=access.actor, **kwargs)

"""Who is on call in a structure, from the agenda: the on-call appointments (kind ``on_call``)
covering a moment, for the domains that route work to them (the organisational inboxes).

Read as the system, without an actor: it names workers and their shifts only, never a person
supported, and writes nothing. Cancelled appointments do not count.
"""

from __future__ import annotations

from datetime import datetime

from virage.agenda import storage_appointments, storage_on_call
from virage.agenda.kinds import registry
from virage.agenda.series import ensure_materialised
from virage.agenda.timeutil import MAX_DURATION, iso
from virage.plugins import PluginHost

ON_CALL_KIND = "on_call"
#: On-call appointments read per question: a structure has a few a day.
MAX_SHIFTS = 200


def on_call_at(db, plugins: PluginHost | None, structure_id: int, at: datetime) -> list[dict]:
    """The on-call shifts covering ``at`` (oldest start first, then by appointment), one entry per
    worker: ``user_id``, ``display_name``, ``start_utc``, ``end_utc``, ``appointment_id``."""
    if plugins is not None:
        ensure_materialised(db, registry(plugins), at)
    shifts = storage_on_call.covering(
        db, structure_id, ON_CALL_KIND, iso(at), iso(at - MAX_DURATION), MAX_SHIFTS
    )
    attendees = storage_appointments.attendees_of(db, [r["id"] for r in shifts])
    out: list[dict] = []
    seen: set[int] = set()
    for row in shifts:
        for user_id, name in attendees.get(row["id"], []):
            if user_id in seen:
                continue
            seen.add(user_id)
            out.append(
                {
                    "user_id": user_id,
                    "display_name": name,
                    "start_utc": row["start_utc"],
                    "end_utc": row["end_utc"],
                    "appointment_id": row["id"],
                }
            )
    return out

"""The optional link between a transmission and the agenda visit it comes from.

The agenda is another domain: the transmissions never import it and store only a nullable
``appointment_id`` (no foreign key). They ask through their own hooks, ``transmission_visits`` and
``transmission_visit`` (:mod:`virage.transmissions.hookspecs`), which the agenda answers
(:mod:`virage.agenda.transmission_visits`). When nobody answers (no agenda, or a plugin host not
given), nothing is offered and no visit can be linked. The agenda's pages can
open the form with ``?visite=<appointment id>``.

The plugin host comes with the request's access context (``access.plugins``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from virage.db import Database
from virage.transmissions import timefmt

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.plugins import PluginHost


def _ask(plugins: PluginHost | None, hook: str, **kwargs: Any) -> Any:
    if plugins is None:
        return None
    answers = plugins.call(hook, firstresult=True, **kwargs)
    return answers[0] if answers else None


def _label(row: dict[str, Any]) -> str:
    start = timefmt.local(row["start_utc"])
    return f"{start:%H:%M} — {row.get('title') or 'visite'}"


def visits_of_day(
    db: Database, user_id: int, person_id: int, plugins: PluginHost | None = None
) -> list[dict[str, Any]]:
    """The worker's visits to this person today (Paris), as ``{"id", "label"}``; [] without agenda."""
    today = timefmt.local(timefmt.to_iso(datetime.now(UTC))).date()
    rows = _ask(plugins, "transmission_visits", db=db, user_id=user_id, day=today) or []
    return [
        {"id": r["id"], "label": _label(r)}
        for r in rows
        if r.get("person_id") == person_id and r.get("status") != "cancelled"
    ]


def _appointment(
    db: Database, appointment_id: int, plugins: PluginHost | None = None
) -> dict[str, Any] | None:
    return _ask(plugins, "transmission_visit", db=db, appointment_id=appointment_id)


def available(plugins: PluginHost | None = None) -> bool:
    """True when someone answers for visits (the agenda)."""
    return bool(plugins and plugins.pm.hook.transmission_visit.get_hookimpls())


def appointment_belongs_to(
    db: Database, appointment_id: int, person_id: int, plugins: PluginHost | None = None
) -> bool:
    """True when the appointment exists and concerns this person (False without agenda)."""
    row = _appointment(db, appointment_id, plugins)
    return bool(row and row.get("person_id") == person_id)


def describe(
    db: Database, appointment_ids: list[int], plugins: PluginHost | None = None
) -> dict[int, str]:
    """``{appointment id: "visite du 12/03 à 08:30"}`` for the cards ({} without agenda)."""
    out = {}
    for appointment_id in dict.fromkeys(appointment_ids):
        row = _appointment(db, appointment_id, plugins)
        if row and row.get("start_utc"):
            out[appointment_id] = f"visite du {timefmt.full(row['start_utc'])}"
    return out

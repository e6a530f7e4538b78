"""What the night board shows: open alerts by room (never a resident's name), their state in
colour and words, who is called at their level, and the alerts closed lately (shown closed).

Also the live feed: the steps after a given one (``Last-Event-ID``), as server-sent events.
"""

from __future__ import annotations

import json
from datetime import timedelta

from virage.sdk import AccessContext, Plugins, iso, to_local
from virage_alerts import adapters, clock, escalation, lifecycle, storage

READ = "alerts.respond"


def _hhmm(value: str | None) -> str:
    if not value:
        return ""
    local = to_local(value)
    return f"{local.hour} h {local.minute:02d}"


def view(alert: dict, duty: dict | None = None) -> dict:
    """An alert as the board shows it: room, unit, kind, state, times; no person."""
    return {
        "id": alert["id"],
        "room": alert["room"],
        "unit": alert["unit"],
        "kind": alert["kind"],
        "kind_label": adapters.KINDS.get(alert["kind"], alert["kind"]),
        "status": alert["status"],
        "status_label": lifecycle.STATUSES[alert["status"]],
        "level": alert["level"],
        "level_label": escalation.LEVELS.get(alert["level"], ""),
        "raised": _hhmm(alert["raised_at"]),
        "taken": _hhmm(alert["taken_at"]),
        "closed": _hhmm(alert["closed_at"]),
        "outcome": lifecycle.OUTCOMES.get(alert["outcome"] or "", ""),
        "called": escalation.called(duty, alert) if duty else [],
        "mine": False,
    }


def state(access: AccessContext, plugins: Plugins | None, structure_id: int) -> dict:
    """The board of a structure (checks and audits ``alerts.respond``)."""
    actor = access.require_login()
    access.require(READ, structure_id=structure_id, action="alerts.board.read")
    escalation.escalate_due(access.db, structure_id)
    duty = None
    if plugins is not None and access.allowed("agenda.read", structure_id=structure_id):
        duty = escalation.on_duty(access, plugins, structure_id)
    open_ = []
    for row in storage.open_alerts(access.db, structure_id):
        item = view(row, duty)
        item["mine"] = row["taken_by"] == actor.user_id
        open_.append(item)
    since = iso(clock.now() - timedelta(hours=12))
    return {
        "open": open_,
        "closed": [view(r) for r in storage.recent_closed(access.db, structure_id, since)],
        "last_id": storage.last_step_id(access.db, structure_id),
        "duty": duty,
        "outcomes": lifecycle.OUTCOMES,
    }


def feed(db, structure_id: int, after_id: int) -> list[dict]:
    """The steps after ``after_id`` with the alert's state now (a closed alert is never sent as
    open, even when a missed step said so): room and state only."""
    out = []
    for step in storage.steps_after(db, structure_id, after_id):
        alert = storage.alert(db, step["alert_id"])
        out.append(
            {
                "id": step["id"],
                "step": step["step"],
                "step_label": lifecycle.STEP_LABELS.get(step["step"], step["step"]),
                "alert": view(alert),
            }
        )
    return out


def message(item: dict) -> str:
    return json.dumps(item, ensure_ascii=False)

"""Routing and escalation: who is called now for an alert, and when it widens.

Who is on duty comes from the agenda (``virage.sdk.agenda.structure_window``), never from a
list kept here: the plugin adds the appointment kind « Poste de nuit » (``alerts_night``), whose
« précision du lieu » names the unit; the core's « Astreinte » (``on_call``) is the manager on
call. Levels:

0. the unit's night team (its « Poste de nuit » whose place detail is the unit: the binôme);
1. the whole night team of the structure (the night nurse among them);
2. the manager on call (« Astreinte »).

An alert nobody took within N minutes (per structure, « Réglages de la structure ») moves up one
level, then another. The level is computed from :mod:`virage_alerts.clock`, so tests pin it;
:func:`escalate_due` writes the step when the board, its live feed or ``virage alertes
escalader`` sees it due.
"""

from __future__ import annotations

from datetime import timedelta

from virage.sdk import AccessContext, Database, Plugins, audit, parse_iso, transaction
from virage_alerts import clock, storage

NIGHT_KIND = "alerts_night"
ON_CALL_KIND = "on_call"
LEVELS = {0: "Binôme de l'unité", 1: "Équipe de nuit", 2: "Cadre d'astreinte"}
TOP = max(LEVELS)


def due_level(alert: dict, minutes: int, now=None) -> int:
    """The level an alert should be at now: one more each ``minutes`` nobody took it."""
    if alert["status"] != "raised":
        return alert["level"]
    waited = ((now or clock.now()) - parse_iso(alert["raised_at"])).total_seconds()
    return max(alert["level"], min(TOP, int(waited // (max(1, minutes) * 60))))


def escalate_due(db: Database, structure_id: int) -> list[int]:
    """Move up every alert of the structure waiting too long; returns the alerts moved."""
    minutes = storage.escalation_minutes(db, structure_id)
    now = clock.now()
    moved = []
    for alert in storage.open_alerts(db, structure_id):
        level = due_level(alert, minutes, now)
        if level <= alert["level"]:
            continue
        with transaction(db):
            if not storage.set_level(db, alert["id"], level):
                continue  # taken or moved meanwhile: nothing to do
            details = {"niveau": level, "appeles": LEVELS[level], "chambre": alert["room"]}
            storage.add_step(db, alert, "escalated", None, clock.now_iso(), details)
            audit.record(
                db,
                None,
                "alerts.escalated",
                structure_id=structure_id,
                target=f"alerts_alert:{alert['id']}",
                route="/alertes",
                details=details,
                actor_label="Virage (élargissement automatique d'une alerte)",
            )
        moved.append(alert["id"])
    return moved


def on_duty(access: AccessContext, plugins: Plugins, structure_id: int) -> dict[str, list]:
    """Who is on duty now, from the agenda: ``{"units": {unit: [names]}, "night": [names],
    "on_call": [names]}`` (checks and audits ``agenda.read``)."""
    from virage.sdk import agenda

    now = clock.now()
    rows = agenda.structure_window(
        access, plugins, structure_id, now - timedelta(hours=16), now + timedelta(minutes=1)
    )
    out: dict = {"units": {}, "night": [], "on_call": []}
    for row in rows:
        if row["status"] == "cancelled" or not row["start"] <= clock.now_iso() < row["end"]:
            continue
        names = [p["display_name"] for p in row["professionals"]]
        if row["kind"] == NIGHT_KIND:
            out["night"].extend(names)
            unit = (row.get("place_detail") or "").strip().lower()
            out["units"].setdefault(unit, []).extend(names)
        elif row["kind"] == ON_CALL_KIND:
            out["on_call"].extend(names)
    return out


def called(duty: dict, alert: dict) -> list[str]:
    """Who an alert calls at its level (everyone of the lower levels stays called)."""
    names = list(duty["units"].get(alert["unit"].strip().lower(), []))
    if alert["level"] >= 1:
        names += [n for n in duty["night"] if n not in names]
    if alert["level"] >= 2:
        names += [n for n in duty["on_call"] if n not in names]
    return names

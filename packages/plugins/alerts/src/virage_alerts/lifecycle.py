"""The life of an alert: raised (latched until someone takes it) → « j'y vais » by one person
(the first taker wins, atomically; the others see it taken) → sur place → closed with an
outcome. « Fausse alerte » closes it in one tap, from any open state, and tells everyone.

Every step is timestamped (``alerts_steps``, also the live board's feed) and audited.
"""

from __future__ import annotations

from virage.sdk import AccessContext, Conflict, InvalidInput, NotFound, transaction
from virage_alerts import clock, quality_storage, storage

RESPOND = "alerts.respond"
STATUSES = {
    "raised": "En attente",
    "taken": "Prise en charge",
    "on_site": "Sur place",
    "closed": "Terminée",
}
OUTCOMES = {
    "fall_injury": "Chute avec blessure",
    "fall_no_injury": "Chute sans blessure",
    "false_alarm": "Fausse alerte",
    "other": "Autre",
}
FALLS = ("fall_injury", "fall_no_injury")
STEP_LABELS = {
    "raised": "Alerte déclenchée",
    "escalated": "Alerte élargie au niveau suivant",
    "taken": "« J'y vais »",
    "on_site": "Sur place",
    "closed": "Alerte terminée",
}


def _open_alert(access: AccessContext, structure_id: int, alert_id: int, action: str) -> dict:
    access.require_login()
    access.require(RESPOND, structure_id=structure_id, action=action)
    row = storage.alert(access.db, alert_id)
    if row is None or row["structure_id"] != structure_id:
        raise NotFound("Cette alerte est introuvable dans cette structure.")
    return row


def _step(access: AccessContext, alert: dict, step: str, at: str, details=None) -> None:
    storage.add_step(access.db, alert, step, access.actor.user_id, at, details)
    access.audit(
        f"alerts.{step}",
        structure_id=alert["structure_id"],
        target=f"alerts_alert:{alert['id']}",
        details={"chambre": alert["room"], **(details or {})},
    )


def take(access: AccessContext, structure_id: int, alert_id: int) -> dict:
    """« J'y vais »: the first taker wins; the others get a Conflict naming who took it."""
    alert = _open_alert(access, structure_id, alert_id, "alerts.take")
    at = clock.now_iso()
    with transaction(access.db):
        won = storage.move(
            access.db,
            alert_id,
            ("raised",),
            {"status": "taken", "taken_by": access.actor.user_id, "taken_at": at},
        )
        if won:
            _step(access, alert, "taken", at)
    if not won:
        current = storage.alert(access.db, alert_id)
        if current["status"] == "closed":
            raise Conflict(f"L'alerte de la chambre {alert['room']} est déjà terminée.")
        raise Conflict(
            f"L'alerte de la chambre {alert['room']} est déjà prise en charge par une collègue."
        )
    return storage.alert(access.db, alert_id)


def on_site(access: AccessContext, structure_id: int, alert_id: int) -> dict:
    alert = _open_alert(access, structure_id, alert_id, "alerts.on_site")
    if alert["taken_by"] not in (None, access.actor.user_id):
        raise Conflict("Cette alerte est prise en charge par une collègue.")
    at = clock.now_iso()
    with transaction(access.db):
        won = storage.move(
            access.db,
            alert_id,
            ("raised", "taken"),
            {
                "status": "on_site",
                "on_site_at": at,
                "taken_by": access.actor.user_id,
                "taken_at": alert["taken_at"] or at,
            },
        )
        if won:
            _step(access, alert, "on_site", at)
    if not won:
        raise Conflict("Cette alerte n'est plus en attente : rechargez le tableau.")
    return storage.alert(access.db, alert_id)


def close(
    access: AccessContext, structure_id: int, alert_id: int, outcome: str, person_id=None
) -> dict:
    """Close an open alert with its outcome (one tap for « fausse alerte »)."""
    if outcome not in OUTCOMES:
        raise InvalidInput(
            "Issue de l'alerte : choisissez chute avec ou sans blessure, fausse alerte ou autre."
        )
    alert = _open_alert(access, structure_id, alert_id, "alerts.close")
    if outcome in FALLS and person_id is None:  # the room's resident, for the after-fall steps
        person_id = quality_storage.resident_of(access.db, structure_id, alert["room"])
    at = clock.now_iso()
    with transaction(access.db):
        won = storage.move(
            access.db,
            alert_id,
            storage.OPEN,
            {
                "status": "closed",
                "closed_at": at,
                "closed_by": access.actor.user_id,
                "outcome": outcome,
                "person_id": person_id,
            },
        )
        if won:
            _step(access, alert, "closed", at, {"issue": outcome})
    if not won:
        raise Conflict(f"L'alerte de la chambre {alert['room']} est déjà terminée.")
    return storage.alert(access.db, alert_id)

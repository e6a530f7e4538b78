"""After a fall: the resident's DAR transmission, target « chute », prefilled with the alert's
times, for the person who closed it if she is in the resident's care team; and the prompt for
the post-fall assessment (a link to the person's file).

The resident comes from the room (:mod:`virage_alerts.rooms`), never from the board.
"""

from __future__ import annotations

from virage.sdk import AccessContext, InvalidInput, NotFound, Plugins, to_local, transmissions
from virage_alerts import board, lifecycle, quality_storage, storage

WRITE = "transmissions.write"


def resident_for(access: AccessContext, alert: dict) -> int | None:
    """The resident of a closed fall (remembered on the alert from its room)."""
    if alert["outcome"] not in lifecycle.FALLS:
        return None
    if alert["person_id"] is None:
        person_id = quality_storage.resident_of(access.db, alert["structure_id"], alert["room"])
        if person_id is None:
            return None
        quality_storage.set_person(access.db, alert["id"], person_id)
        return person_id
    return int(alert["person_id"])


def can_write(access: AccessContext, person_id: int | None) -> bool:
    """Whether the transmission form should open for this person (care team); writes nothing."""
    if person_id is None:
        return False
    try:
        _, ref = access.load_person(person_id)
    except NotFound:
        return False
    return access.allowed(WRITE, person=ref)


def _fall(access: AccessContext, structure_id: int, alert_id: int) -> tuple[dict, int]:
    access.require(board.READ, structure_id=structure_id, action="alerts.after_fall.read")
    alert = storage.alert(access.db, alert_id)
    if alert is None or alert["structure_id"] != structure_id:
        raise NotFound("Cette alerte est introuvable dans cette structure.")
    if alert["status"] != "closed" or alert["outcome"] not in lifecycle.FALLS:
        raise InvalidInput("Cette alerte n'a pas été terminée comme une chute.")
    person_id = resident_for(access, alert)
    if person_id is None:
        raise NotFound(
            "Aucune personne n'est indiquée pour cette chambre : la direction ou la "
            "coordination la renseigne dans « Chambres »."
        )
    return alert, person_id


def prefill(alert: dict) -> dict:
    """The form's values: target « chute », when it happened, what the alert knows."""
    t = board._hhmm
    injury = alert["outcome"] == "fall_injury"
    parts = [
        f"Chute en chambre {alert['room']} ({alert['unit']}), alerte à {t(alert['raised_at'])}"
    ]
    if alert["taken_at"]:
        parts.append(f"prise en charge à {t(alert['taken_at'])}")
    if alert["on_site_at"]:
        parts.append(f"soignante sur place à {t(alert['on_site_at'])}")
    parts.append(f"alerte terminée à {t(alert['closed_at'])}")
    data = ", ".join(parts) + (
        ". Blessure constatée : " if injury else ". Pas de blessure visible. "
    )
    local = to_local(alert["raised_at"])
    return {
        "target": "chute",
        "data": data,
        "actions": "",
        "results": "",
        "priority": "important" if injury else "normal",
        "occurred_at": local.strftime("%Y-%m-%dT%H:%M"),
    }


def form(access: AccessContext, structure_id: int, alert_id: int) -> dict:
    """The after-fall page: checks the alert and ``transmissions.write`` for the resident."""
    alert, person_id = _fall(access, structure_id, alert_id)
    person = access.require(WRITE, person_id=person_id, action="alerts.after_fall.form")
    return {"alert": board.view(alert), "person": person, "values": prefill(alert)}


def write(
    access: AccessContext, plugins: Plugins, structure_id: int, alert_id: int, form_data
) -> int:
    """Write the fall's transmission (once per alert: sending again returns the same one)."""
    alert, person_id = _fall(access, structure_id, alert_id)
    priority = form_data.get("priority", "normal")
    if priority not in ("normal", "important", "urgent"):
        raise InvalidInput("Priorité : normale, importante ou urgente.")
    transmissions.create_transmission(
        access,
        plugins,
        person_id,
        target="chute",
        data=str(form_data.get("data", "")).strip(),
        actions=str(form_data.get("actions", "")).strip(),
        results=str(form_data.get("results", "")).strip(),
        priority=priority,
        occurred_at=prefill(alert)["occurred_at"],
        client_id=f"alerte-chute-{alert_id}",
        source="alerts",
    )
    return person_id

"""Sensors and nurse-call systems: enrolment by the director (room, unit, format), revocation.

A device has no account: it signs its events with its own secret (:mod:`virage_alerts.signing`),
shown once at enrolment. Its events are audited in its name (« Capteur « Ch. 12 » (n° 3) »).
"""

from __future__ import annotations

from virage.sdk import AccessContext, InvalidInput, NotFound, Plugins, transaction
from virage_alerts import clock, signing, storage

MANAGE = "alerts.manage"


def label(device: dict) -> str:
    return f"Capteur « {device['name']} » (n° {device['id']})"


def vendors(plugins: Plugins | None) -> list[str]:
    """The formats offered: the generic one, and those other plugins declare they adapt."""
    return ["generique"]


def _text(value: str, what: str, example: str, longest: int = 40) -> str:
    value = (value or "").strip()
    if not 1 <= len(value) <= longest:
        raise InvalidInput(f"{what} : entre 1 et {longest} caractères (par exemple « {example} »).")
    return value


def enrol(
    access: AccessContext,
    secret_key: str,
    structure_id: int,
    name: str,
    room: str,
    unit: str,
    vendor: str = "generique",
) -> tuple[int, str]:
    """A director enrols a device; returns (device id, signing secret shown once)."""
    actor = access.require_login()
    access.require(MANAGE, structure_id=structure_id, action="alerts.device.enrol")
    values = {
        "structure_id": structure_id,
        "name": _text(name, "Nom du capteur", "Détecteur de chute chambre 12", 60),
        "room": _text(room, "Chambre", "12", 12),
        "unit": _text(unit, "Unité", "Les Tilleuls"),
        "vendor": _text(vendor or "generique", "Format", "generique"),
        "salt": signing.new_salt(),
        "created_by": actor.user_id,
        "created_at": clock.now_iso(),
    }
    with transaction(access.db):
        device_id = storage.add_device(access.db, values)
        access.audit(
            "alerts.device.enrolled", structure_id=structure_id, target=f"alerts_device:{device_id}"
        )
    return device_id, signing.device_secret(secret_key, device_id, values["salt"])


def revoke(access: AccessContext, structure_id: int, device_id: int) -> None:
    actor = access.require_login()
    access.require(MANAGE, structure_id=structure_id, action="alerts.device.revoke")
    row = storage.device(access.db, device_id)
    if row is None or row["structure_id"] != structure_id:
        raise NotFound("Ce capteur est introuvable dans cette structure.")
    with transaction(access.db):
        if storage.revoke_device(access.db, device_id, actor.user_id, clock.now_iso()):
            access.audit(
                "alerts.device.revoked",
                structure_id=structure_id,
                target=f"alerts_device:{device_id}",
            )


def listing(access: AccessContext, structure_id: int) -> list[dict]:
    access.require(MANAGE, structure_id=structure_id, action="alerts.device.list")
    return [
        {k: v for k, v in d.items() if k != "salt"}
        for d in storage.devices_of(access.db, structure_id)
    ]

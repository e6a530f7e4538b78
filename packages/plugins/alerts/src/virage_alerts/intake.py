"""Receiving a device's event: signature, freshness, replay, idempotence, storage.

The order matters: the body is bounded and the signature checked before anything is parsed; the
event is committed (alert, event, first step, audit entry) before the answer leaves, so that a
sensor's acknowledgement always means the alert is kept. A retry of the same event (same id, same
body, signed again) answers with the same alert and creates nothing; the very same signed
request sent twice is a replay, refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from virage.sdk import (
    Conflict,
    Database,
    InvalidInput,
    NotAuthenticated,
    Plugins,
    audit,
    iso,
    transaction,
)
from virage.sdk.devices import acting_for_structure
from virage_alerts import adapters, clock, devices, signing, storage

REFUSED = "Signature absente ou invalide : vérifiez le numéro et le secret du capteur."


@dataclass(frozen=True)
class Received:
    alert_id: int
    duplicate: bool


def _header(headers, name: str) -> str:
    value = headers.get(name) or ""
    if not value or len(value) > 200:
        raise NotAuthenticated(REFUSED)
    return value


def receive(
    db: Database, secret_key: str, plugins: Plugins | None, headers, body: bytes
) -> Received:
    """Check and store one event; raises a ``VirageError`` (401, 400, 409) with a French reason."""
    if len(body) > adapters.MAX_BODY:
        raise InvalidInput("Événement trop long (16 ko au plus) : aucune image, son ni vidéo.")
    raw_device = _header(headers, signing.DEVICE_HEADER)
    stamp = _header(headers, signing.TIME_HEADER)
    signature = _header(headers, signing.SIGNATURE_HEADER)
    if not raw_device.isdigit() or not stamp.isdigit() or len(raw_device) > 12:
        raise NotAuthenticated(REFUSED)
    device = storage.device(db, int(raw_device))
    if device is None or device["revoked_at"] is not None:
        raise NotAuthenticated(REFUSED)
    secret = signing.device_secret(secret_key, device["id"], device["salt"])
    if not signing.valid(secret, stamp, body, signature):
        _refusal(db, device, "signature")
        raise NotAuthenticated(REFUSED)
    now = clock.now()
    if abs(now.timestamp() - int(stamp)) > signing.TOLERANCE_SECONDS:
        _refusal(db, device, "horodatage")
        raise NotAuthenticated(
            "Horodatage trop éloigné de l'heure du serveur (5 minutes au plus) : "
            "réglez l'horloge du capteur."
        )
    content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise InvalidInput("Envoyez l'événement en JSON (Content-Type: application/json).")
    with acting_for_structure(device["structure_id"]):
        return _store(db, plugins, device, signature, body, now)


def _store(db: Database, plugins, device: dict, signature: str, body: bytes, now) -> Received:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("Événement illisible : envoyez un objet JSON.") from None
    if not isinstance(payload, dict):
        raise InvalidInput("Événement illisible : envoyez un objet JSON.")
    adapters.refuse_media(payload)
    event = adapters.to_event(_adapt(plugins, device["vendor"], payload))
    at = iso(now)
    digest = signing.body_hash(body)
    with transaction(db):
        if storage.signature_seen(
            db, device["id"], signature, at, iso(now - timedelta(seconds=2 * 300))
        ):
            raise Conflict("Requête déjà reçue (rejeu refusé) ; l'événement est enregistré.")
        known = storage.event(db, device["id"], event.event_id)
        if known is not None:
            if known["body_hash"] != digest:
                raise Conflict(
                    "Cet identifiant d'événement a déjà servi pour un autre contenu : "
                    "donnez un identifiant neuf à chaque événement."
                )
            return Received(int(known["alert_id"]), True)
        alert = {
            "structure_id": device["structure_id"],
            "device_id": device["id"],
            "room": device["room"],
            "unit": device["unit"],
            "kind": event.kind,
            "raised_at": at,
        }
        alert["id"] = storage.add_alert(db, alert)
        storage.add_event(
            db,
            {
                "structure_id": device["structure_id"],
                "device_id": device["id"],
                "event_id": event.event_id,
                "body_hash": digest,
                "alert_id": alert["id"],
                "received_at": at,
            },
        )
        details = {"chambre": alert["room"], "unite": alert["unit"], "type": event.kind}
        storage.add_step(db, alert, "raised", None, at, details)
        storage.touch_device(db, device["id"], at)
        audit.record(
            db,
            None,
            "alerts.raised",
            structure_id=device["structure_id"],
            target=f"alerts_alert:{alert['id']}",
            route="/alertes/evenements",
            details=details,
            actor_label=devices.label(device),
        )
    return Received(alert["id"], False)


def _adapt(plugins, vendor: str, payload: dict):
    if vendor == "generique":
        return adapters.adapt_generic(payload)
    answers = plugins.call("alerts_adapt_event", firstresult=True, vendor=vendor, payload=payload)
    if not answers:
        raise InvalidInput(
            f"Événement non reconnu pour le format « {vendor[:40]} » : vérifiez le réglage du "
            "capteur ou le plugin de son fabricant."
        )
    return answers[0]


def _refusal(db: Database, device: dict, reason: str) -> None:
    with acting_for_structure(device["structure_id"]), transaction(db):
        audit.record(
            db,
            None,
            "alerts.event.refused",
            structure_id=device["structure_id"],
            target=f"alerts_device:{device['id']}",
            route="/alertes/evenements",
            outcome="denied",
            details={"motif": reason},
            actor_label=devices.label(device),
        )

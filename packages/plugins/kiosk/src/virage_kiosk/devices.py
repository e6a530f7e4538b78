"""Kiosks and waiting-room screens: enrolment by a director, revocation, the device's own
credential, its rate limits and its audit entries.

A device has no account and no session: its credential (a cookie set at activation) opens the
``/borne/...`` pages of its structure and nothing else, since the core's authentication never
reads it. Every use by a kiosk is audited in the device's name (« Borne « Hall » (n° 3) »), with
the person concerned when there is one — on the server only, never on the kiosk's screen.
"""

from __future__ import annotations

from datetime import timedelta

from virage.sdk import (
    AccessContext,
    Database,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    TooManyRequests,
    audit,
    iso,
    transaction,
)
from virage_kiosk import clock, storage
from virage_kiosk.tokens import credential_hash, new_credential

COOKIE = "virage_borne"
KINDS = {"kiosk": "Borne d'accueil", "screen": "Écran de salle d'attente"}
#: A kiosk serves one person at a time: beyond this many requests a minute, something is wrong.
USES_PER_MINUTE = 30
#: Wrong codes or convocations a kiosk may send in GUESS_WINDOW before it waits.
FREE_FAILURES = 5
GUESS_WINDOW = timedelta(minutes=15)
TOO_MANY = "Trop d'essais sur cette borne. Présentez-vous à l'accueil, on va vous aider."


class DeviceUnknown(NotAuthenticated):
    """No credential, or a revoked or unknown one: the page asks to activate the device."""


def label(device: dict) -> str:
    return f"{KINDS.get(device['kind'], 'Borne')} « {device['name']} » (n° {device['id']})"


def enrol(access: AccessContext, structure_id: int, name: str, kind: str, place_id) -> tuple:
    """A director enrols a device; returns (device id, credential shown once)."""
    actor = access.require_login()
    access.require("kiosk.manage", structure_id=structure_id, action="kiosk.device.enrol")
    name = (name or "").strip()
    if not 2 <= len(name) <= 60:
        raise InvalidInput("Nom de l'appareil : entre 2 et 60 caractères (par exemple « Hall »).")
    if kind not in KINDS:
        raise InvalidInput("Type d'appareil : choisissez « borne d'accueil » ou « écran ».")
    if place_id is not None and storage.place(access.db, structure_id, place_id) is None:
        raise InvalidInput(
            "Lieu : choisissez un lieu de la liste (ou ajoutez-le dans les réglages)."
        )
    secret = new_credential()
    with transaction(access.db):
        device_id = storage.add_device(
            access.db,
            {
                "structure_id": structure_id,
                "place_id": place_id,
                "kind": kind,
                "name": name,
                "secret_hash": credential_hash(secret),
                "created_by": actor.user_id,
                "created_at": clock.now_iso(),
            },
        )
        access.audit(
            "kiosk.device.enrolled", structure_id=structure_id, target=f"kiosk_device:{device_id}"
        )
    return device_id, secret


def revoke(access: AccessContext, structure_id: int, device_id: int) -> None:
    actor = access.require_login()
    access.require("kiosk.manage", structure_id=structure_id, action="kiosk.device.revoke")
    row = storage.device(access.db, device_id)
    if row is None or row["structure_id"] != structure_id:
        raise NotFound("Cet appareil est introuvable dans cette structure.")
    with transaction(access.db):
        if storage.revoke_device(access.db, device_id, actor.user_id, clock.now_iso()):
            access.audit(
                "kiosk.device.revoked",
                structure_id=structure_id,
                target=f"kiosk_device:{device_id}",
            )


def listing(access: AccessContext, structure_id: int) -> list[dict]:
    access.require("kiosk.manage", structure_id=structure_id, action="kiosk.device.list")
    return [
        {**d, "kind_label": KINDS.get(d["kind"], d["kind"])}
        for d in storage.devices_of(access.db, structure_id)
    ]


def authenticate(db: Database, secret: str | None) -> dict:
    """The active device whose credential is ``secret``; raises ``DeviceUnknown`` otherwise."""
    if not secret or len(secret) > 100:
        raise DeviceUnknown("Cet appareil n'est pas activé.")
    row = storage.device_by_hash(db, credential_hash(secret))
    if row is None:
        raise DeviceUnknown("Cet appareil n'est pas ou plus activé.")
    return row


def count_use(db: Database, device: dict) -> None:
    """Count a request of the kiosk; refuse beyond :data:`USES_PER_MINUTE`."""
    now = clock.now()
    with transaction(db):
        if storage.count_attempts(db, device["id"], "use", iso(now - timedelta(minutes=1))) >= (
            USES_PER_MINUTE
        ):
            raise TooManyRequests(TOO_MANY)
        storage.add_attempt(db, device["id"], "use", iso(now))
        storage.touch_device(db, device["id"], iso(now))
        storage.forget_attempts(db, iso(now - timedelta(days=1)))


def check_guessing(db: Database, device: dict) -> None:
    """Refuse, before looking anything up, when the kiosk sent too many wrong codes lately."""
    since = iso(clock.now() - GUESS_WINDOW)
    if storage.count_attempts(db, device["id"], "fail", since) >= FREE_FAILURES:
        record(db, device, "kiosk.throttled", outcome="denied")
        raise TooManyRequests(TOO_MANY)


def count_failure(db: Database, device: dict, reason: str, person_id: int | None = None) -> None:
    with transaction(db):
        storage.add_attempt(db, device["id"], "fail", clock.now_iso())
        record(
            db,
            device,
            "kiosk.checkin.refused",
            person_id=person_id,
            outcome="denied",
            details={"motif": reason},
        )


def record(
    db: Database,
    device: dict,
    action: str,
    *,
    person_id: int | None = None,
    target: str | None = None,
    outcome: str = "allowed",
    details: dict | None = None,
) -> None:
    audit.record(
        db,
        None,
        action,
        structure_id=device["structure_id"],
        person_id=person_id,
        target=target,
        route="/borne",
        outcome=outcome,
        details=details,
        actor_label=label(device),
    )

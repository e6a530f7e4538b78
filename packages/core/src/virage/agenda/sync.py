"""The round's writes sent later by a device: check-in, check-out and status, each once.

The page of « Ma journée » keeps what the worker does without network in a queue on the device
(``/static/offline.js``), each entry with a client identifier, and sends it in order when the
network returns (``POST /agenda/pointages``). Sending the same entry again never writes twice: the
receipt of the first answer (:mod:`.sync_storage`) is given back. The moment of the tap is kept
(a check-in made at 9 h 10 and sent at 9 h 40 says 9 h 10), within the shift: never in the future,
never more than :data:`MAX_DELAY` ago.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from virage.accounts.context import AccessContext
from virage.agenda import status as agenda_status
from virage.agenda import sync_storage
from virage.agenda.checks import load_appointment
from virage.db import transaction, utcnow, utcnow_iso
from virage.errors import Conflict, Forbidden, InvalidInput, NotFound
from virage.plugins import PluginHost

#: An entry kept on the device longer than a shift is sent with the time it arrives.
MAX_DELAY = timedelta(hours=14)
#: A device clock a little ahead is tolerated, and the time brought back to now.
CLOCK_SKEW = timedelta(minutes=5)

ACTIONS = {"in": "arrivée", "out": "départ", "status": "statut"}


def tap_time(value: str | None) -> str | None:
    """The moment given by the device, in UTC ISO, or ``None`` (now) when absent or out of bounds."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput("Heure du pointage illisible.") from exc
    if when.tzinfo is None:
        raise InvalidInput("Heure du pointage sans fuseau horaire.")
    now = utcnow()
    when = when.astimezone(UTC)
    if when > now + CLOCK_SKEW or when < now - MAX_DELAY:
        return None
    return min(when, now).replace(microsecond=0).isoformat()


def send(
    access: AccessContext,
    plugins: PluginHost,
    *,
    client_id: str,
    appointment_id: int,
    action: str,
    status: str = "",
    at: str | None = None,
) -> tuple[bool, dict]:
    """Apply one entry of the device's queue. Returns ``(created, receipt)``; a refusal is raised
    (and kept, so that the same entry sent again is refused the same way)."""
    actor = access.require_login()
    if action not in ACTIONS:
        raise InvalidInput("Action inconnue : « in », « out » ou « status ».")
    db = access.db
    known = sync_storage.find(db, actor.user_id, client_id)
    if known is not None:
        if known["appointment_id"] != appointment_id or known["action"] != action:
            raise Conflict("Cet identifiant d'envoi a déjà servi pour autre chose.")
        if known["outcome"] != "ok":
            raise Conflict(known["detail"])
        return False, known
    row = load_appointment(access, appointment_id)
    try:
        if action == "status":
            agenda_status.set_status(access, plugins, appointment_id, status)
        else:
            agenda_status.checkin(access, plugins, appointment_id, action, at=tap_time(at))
    except (Conflict, Forbidden, NotFound) as exc:
        _keep(db, actor.user_id, client_id, row, action, "refused", exc.message)
        again = sync_storage.find(db, actor.user_id, client_id)
        if again is not None and again["outcome"] == "ok":  # a twin sent at the same moment
            return False, again
        raise
    _keep(db, actor.user_id, client_id, row, action, "ok", "Enregistré.")
    return True, sync_storage.find(db, actor.user_id, client_id) or {}


def _keep(db, user_id: int, client_id: str, row: dict, action: str, outcome: str, detail: str):
    with transaction(db):
        sync_storage.add(
            db,
            {
                "user_id": user_id,
                "client_id": client_id,
                "structure_id": row["structure_id"],
                "appointment_id": row["id"],
                "action": action,
                "outcome": outcome,
                "detail": detail,
                "received_at": utcnow_iso(),
            },
        )

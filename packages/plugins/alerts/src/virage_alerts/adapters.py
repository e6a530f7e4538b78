"""Virage's event, and the reference adapter for the generic JSON format (``generique``).

The generic format, documented in the guide « Les alertes de nuit »::

    {"id": "evt-2026-12-02-0001", "type": "chute", "horodatage": "2026-12-02T03:12:00+01:00"}

``id`` is unique per device (a retry sends the same), ``type`` one of ``chute``, ``appel``,
``aide``, ``test``; ``horodatage`` (optional) is when the sensor saw it. Nothing else is accepted:
no image, sound nor video, no name. The room and the unit come from the device's enrolment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from virage.sdk import InvalidInput, hookimpl

KINDS = {"fall": "Chute", "call": "Appel", "help": "Demande d'aide", "test": "Essai"}
GENERIC_KINDS = {"chute": "fall", "appel": "call", "aide": "help", "test": "test"}
#: Keys that would carry a picture, a sound or a video: refused whatever the vendor.
MEDIA_KEYS = ("image", "photo", "picture", "video", "vidéo", "audio", "sound", "son", "media")
MAX_BODY = 16 * 1024


class GenericEvent(BaseModel):
    """The generic JSON format of the reference adapter."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")
    type: Literal["chute", "appel", "aide", "test"]
    horodatage: datetime | None = None


class Event(BaseModel):
    """Virage's event, as an adapter returns it (hook ``alerts_adapt_event``)."""

    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(min_length=1, max_length=100)
    kind: Literal["fall", "call", "help", "test"]
    occurred_at: datetime | None = None


def refuse_media(value: Any, depth: int = 0) -> None:
    """Refuse a payload that carries media (by key) or nests too deep."""
    if depth > 5:
        raise InvalidInput("Événement trop imbriqué : envoyez un objet JSON simple.")
    if isinstance(value, dict):
        for key, inner in value.items():
            if any(m in str(key).lower() for m in MEDIA_KEYS):
                raise InvalidInput(
                    "Aucune image, aucun son ni aucune vidéo n'est accepté : retirez le champ "
                    f"« {str(key)[:40]} » de l'événement."
                )
            refuse_media(inner, depth + 1)
    elif isinstance(value, list):
        for inner in value:
            refuse_media(inner, depth + 1)


def _french(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "événement"
    return (
        f"Événement refusé : champ « {where} » absent ou invalide. Format attendu : "
        '{"id": "…", "type": "chute|appel|aide|test", "horodatage": "…"}.'
    )


def adapt_generic(payload: Any) -> dict[str, Any]:
    """The generic format to Virage's event; ``InvalidInput`` saying what is wrong."""
    try:
        event = GenericEvent.model_validate(payload)
    except ValidationError as exc:
        raise InvalidInput(_french(exc)) from None
    return {
        "event_id": event.id,
        "kind": GENERIC_KINDS[event.type],
        "occurred_at": event.horodatage,
    }


@hookimpl
def alerts_adapt_event(vendor: str, payload: dict[str, Any]) -> dict[str, Any] | None:
    """The reference adapter: the generic format, for ``vendor == "generique"`` (the webhook
    calls :func:`adapt_generic` itself for it, to give the sensor the precise refusal)."""
    if vendor != "generique":
        return None
    try:
        return adapt_generic(payload)
    except InvalidInput:
        return None


def to_event(answer: Any) -> Event:
    """Check what an adapter returned."""
    try:
        return Event.model_validate(answer)
    except ValidationError:
        raise InvalidInput(
            "Événement refusé : l'adaptateur du fabricant n'a pas rendu d'événement valide."
        ) from None

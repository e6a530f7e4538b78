"""The alerts plugin's own hook, declared through ``register_hookspecs``.

A vendor's sensor or nurse-call system posts its own JSON; a small plugin implementing
``alerts_adapt_event`` maps it to Virage's event. The plugin itself implements it for the
documented generic format (``generique``, see :mod:`virage_alerts.adapters`).
"""

from __future__ import annotations

from typing import Any

from virage.sdk import hookspec


@hookspec(firstresult=True)
def alerts_adapt_event(vendor: str, payload: dict[str, Any]) -> dict[str, Any] | None:
    """Map a vendor's event to Virage's event.

    :param vendor: the format the director chose when enrolling the device (``"generique"``, or
        the name your plugin answers to).
    :param payload: the request's JSON object, already bounded in size (16 kB) and checked to
        carry no image, sound nor video; the signature is already verified.

    Return ``None`` when ``vendor`` is not yours. Otherwise return a dict with ``event_id`` (the
    vendor's unique id of the event, 1 to 100 characters: a retry carries the same one),
    ``kind`` (``"fall"``, ``"call"``, ``"help"`` or ``"test"``) and optionally ``occurred_at``
    (ISO 8601 with its offset). Return ``None`` too when the payload is yours but malformed: the
    sensor gets a 400 saying its event was not recognised (an exception is reported as the
    plugin's failure and ends the same way). Never call an external service from here, never
    keep a copy of the payload.

    Called once per webhook request; stops at the first answer.
    """

"""The teleconsultation plugin's own hook, declared through ``register_hookspecs``.

A territory that runs its own video service writes a small plugin implementing
``teleconsultation_video_link`` to give the room's address.
"""

from __future__ import annotations

from typing import Any

from virage.sdk import hookspec


@hookspec(firstresult=True)
def teleconsultation_video_link(room: str, teleconsultation: dict[str, Any]) -> str | None:
    """Return the URL of the video room of a teleconsultation.

    :param room: the session's unguessable room name (URL-safe).
    :param teleconsultation: the session (``id``, ``structure_id``, ``status``,
        ``appointment_id``), without the person's identity nor the reason.

    Return an ``https://`` address, or ``None`` to leave it to another plugin or to the default
    (``VIRAGE_TELECONSULTATION_VIDEO_BASE`` followed by the room name). Never call an external
    service from here: build the URL.

    Called each time a participant opens a planned, ready or running session; stops at the first
    answer.
    """

"""The video link of a session: the plugin's own hook, and the default provider.

Virage implements no video. A session gets an unguessable room name (``secrets.token_urlsafe``)
when it is requested; the link is built from it each time a participant opens the session:

- a plugin implementing ``teleconsultation_video_link`` (:mod:`virage_teleconsultation.hookspecs`) returns the URL (its provider's room);
- otherwise the default joins the room name to ``VIRAGE_TELECONSULTATION_VIDEO_BASE``
  (a self-hosted video service, e.g. a Jitsi or BigBlueButton instance of the territory).

No network call is ever made here.
"""

from __future__ import annotations

import os
import secrets
from typing import Any
from urllib.parse import quote

from virage.sdk import PluginHost

DEFAULT_BASE = "https://visio.example.invalid/"
ENV_BASE = "VIRAGE_TELECONSULTATION_VIDEO_BASE"


def new_room() -> str:
    return "vir-" + secrets.token_urlsafe(18)


def default_link(room: str, base: str | None = None) -> str:
    base = (base or os.environ.get(ENV_BASE) or DEFAULT_BASE).strip()
    if not base.endswith("/"):
        base += "/"
    return base + quote(room, safe="-_")


def link_for(plugins: PluginHost, teleconsultation: dict[str, Any]) -> str:
    summary = {
        k: teleconsultation.get(k) for k in ("id", "structure_id", "status", "appointment_id")
    }
    found = plugins.call(
        "teleconsultation_video_link",
        firstresult=True,
        room=teleconsultation["room"],
        teleconsultation=summary,
    )
    if found and isinstance(found[0], str) and found[0].startswith("https://"):
        return found[0]
    return default_link(teleconsultation["room"])

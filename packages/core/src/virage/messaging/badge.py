"""The unread count beside « Messages » in the menu (template global ``nav_badge``).

A number only, for the reader herself: no content, no audit entry; computed with the same checks
as the pages (a conversation she may no longer read does not count).
"""

from __future__ import annotations

import logging
from typing import Any

from virage.accounts.context import AccessContext
from virage.messaging import service

log = logging.getLogger("virage.messaging")


def install(app: Any) -> None:
    from virage.app import build_registry

    engine = getattr(getattr(app, "template_engine", None), "engine", None)
    if engine is None:
        return
    state = app.state
    registry = build_registry(state["plugins"])

    def nav_badge(href: str, actor: Any) -> int:
        if href != "/messages" or actor is None:
            return 0
        try:
            access = AccessContext(state["pool"].get(), registry, actor)
            return service.unread_total(access)
        except Exception:  # the menu never breaks a page
            log.exception("nav_badge")
            return 0

    engine.globals["nav_badge"] = nav_badge

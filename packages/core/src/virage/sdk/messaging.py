"""Notifications, as plugins may send and receive them: a :class:`Notice` (generic, without
health content nor a person's name) handed to every plugin implementing the hook ``notify``.

    from virage.sdk.messaging import Notice, send_notice
    send_notice(plugins, [user_id], Notice("inbox.item", "Élément à prendre dans l'astreinte",
                                           "/boites/3", urgent=True))
"""

from __future__ import annotations

from virage.messaging.notify import MAX_TITLE, Notice, UnsafeNotice, send_notice

__all__ = ["MAX_TITLE", "Notice", "UnsafeNotice", "send_notice"]

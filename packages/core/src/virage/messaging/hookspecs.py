"""The messaging's hooks: notifications handed to plugins (SMS, push connectors…).

Added to the plugin manager by the domain (hook ``register_hookspecs``); implement them with
``@hookimpl`` from :mod:`virage.sdk`. See :mod:`virage.hookspecs` for the conventions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.messaging.notify import Notice

hookspec = pluggy.HookspecMarker("virage")


@hookspec
def notify(recipient_user_ids: Sequence[int], notice: Notice) -> None:
    """Tell professionals that something waits for them in Virage (a message, an inbox item).

    :param recipient_user_ids: the user accounts to notify (deduplicated, 500 at most).
    :param notice: a :class:`virage.messaging.notify.Notice`: ``kind``
        (``conversation.message``, ``inbox.item``, ``inbox.escalated``…), a generic ``title``,
        a relative ``url`` into Virage and ``urgent``. It never carries health content nor a
        person's name (its constructor refuses digits runs, civilities, long texts): send it as
        it is, never enrich it with what the link leads to.

    Called for every plugin after the message or item is stored (through
    :func:`virage.messaging.notify.send_notice`); raise nothing: an exception is logged and
    reported, the message stays in Virage and its in-app unread counter still shows it.
    """

"""Notifications: a :class:`Notice` handed to plugins (SMS, push…) through the hook ``notify``.

A notice leaves Virage: it never carries health content nor a person's name. Its title is
generic (« Nouveau message dans Virage »), its link relative; the constructor refuses what looks
like an identifier (a run of digits: an INS, a phone number), a civility, a long text or a link
outside Virage. :func:`send_notice` calls the plugins, each isolated: a broken connector is
logged and reported, the message it was about stays in Virage.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("virage.messaging.notify")

#: Longest title a notice may carry (an SMS is 160 characters; a title is a line).
MAX_TITLE = 80
MAX_URL = 300
MAX_RECIPIENTS = 500
_KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,4}$")
_DIGITS = re.compile(r"\d[\d\s.\-]{3,}\d")  # five digits or more, spaced or not
_CIVILITY = re.compile(r"\b(mme|mlle|m\.|monsieur|madame|mademoiselle|dr)\b", re.IGNORECASE)
_URL = re.compile(r"^/(?!/)[A-Za-z0-9/_\-.?=&#%]*$")


class UnsafeNotice(ValueError):
    """A notice that would carry more than a generic line out of Virage."""


@dataclass(frozen=True)
class Notice:
    """A notification for plugins: generic, without health content nor a person's name.

    :param kind: what happened, dotted lower case (``conversation.message``, ``inbox.item``,
        ``inbox.escalated``).
    :param title: a generic French line (« Nouveau message dans Virage »), at most 80
        characters, no run of digits, no civility.
    :param url: a relative link into Virage (``/messages/12``), never an absolute address.
    :param urgent: whether the sender marked it urgent (a connector may ring louder).
    """

    kind: str
    title: str
    url: str
    urgent: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or len(self.kind) > 64 or not _KIND.match(self.kind):
            raise UnsafeNotice("kind: dotted lower-case words, 64 characters at most")
        if not isinstance(self.title, str) or not self.title.strip():
            raise UnsafeNotice("title: a generic line is required")
        if len(self.title) > MAX_TITLE or any(ord(c) < 32 for c in self.title):
            raise UnsafeNotice(f"title: one line of {MAX_TITLE} characters at most")
        if _DIGITS.search(self.title):
            raise UnsafeNotice("title: no run of digits (an identifier, a phone number)")
        if _CIVILITY.search(self.title):
            raise UnsafeNotice("title: no civility nor name of a person")
        if not isinstance(self.url, str) or len(self.url) > MAX_URL or not _URL.match(self.url):
            raise UnsafeNotice("url: a relative link into Virage (starting with one /)")
        if not isinstance(self.urgent, bool):
            raise UnsafeNotice("urgent: True or False")


def send_notice(plugins: Any, recipients: Iterable[int], notice: Notice) -> list[int]:
    """Hand ``notice`` to every plugin implementing ``notify``; return the recipients sent.

    Recipients are deduplicated and bounded (:data:`MAX_RECIPIENTS`). A plugin that raises is
    logged (and reported by the plugin host); nothing is raised to the caller: the message or
    item the notice is about is already stored.
    """
    ids: list[int] = []
    for r in recipients:
        if isinstance(r, int) and not isinstance(r, bool) and r > 0 and r not in ids:
            ids.append(r)
        if len(ids) >= MAX_RECIPIENTS:
            break
    if plugins is None or not ids:
        return ids
    try:
        plugins.call("notify", recipient_user_ids=tuple(ids), notice=notice)
    except Exception:  # a plugin host without the hook, or a failure outside isolation
        log.exception("notify: the notice %s was not handed to the plugins", notice.kind)
    return ids


def recipients_except(user_ids: Sequence[int], sender_id: int | None) -> list[int]:
    """The participants to notify: everyone but the sender."""
    return [u for u in user_ids if u != sender_id]

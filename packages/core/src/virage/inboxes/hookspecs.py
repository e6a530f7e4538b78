"""The organisational inboxes' hook: sending a message out through a connector plugin.

Added to the plugin manager by the domain (hook ``register_hookspecs``); implement it with
``@hookimpl`` from :mod:`virage.sdk`. See :mod:`virage.hookspecs` for the conventions.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("virage")


@hookspec(firstresult=True)
def inbox_send_external(
    inbox: dict, to: str, subject: str, body: str, in_reply_to: str | None
) -> bool | None:
    """Send a worker's message through your secure-messaging connector: an answer to an
    external item, or a new message to a professional chosen in the directory.

    :param inbox: the inbox (``id``, ``structure_id``, ``name``, ``external_address``…): send from
        its external address.
    :param to: the address the message goes to: the external sender's for an answer, the
        professional's MSSanté address in the directory for a new message.
    :param subject: the subject line (« Re : … » for an answer, the worker's for a new message).
    :param body: the text (bounded, already stored in Virage).
    :param in_reply_to: the ``Message-ID`` of the message answered, or ``None`` for a new message.
    :return: ``True`` when sent, ``False`` when your connector failed (the answer stays in Virage
        and the page says so), ``None`` when you do not bridge this inbox (the next plugin is
        asked; with no connector, the answer stays in Virage).

    Called once per answer to an external item and once per new message, first result wins.
    """

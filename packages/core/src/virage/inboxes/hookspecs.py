"""The organisational inboxes' hook: sending an answer out through a connector plugin.

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
    """Send a worker's answer to an external item through your secure-messaging connector.

    :param inbox: the inbox (``id``, ``structure_id``, ``name``, ``external_address``…): send from
        its external address.
    :param to: the external sender's address the answer goes to.
    :param subject: the subject line (« Re : … »).
    :param body: the answer's text (bounded, already stored in Virage).
    :param in_reply_to: the ``Message-ID`` of the message answered, or ``None``.
    :return: ``True`` when sent, ``False`` when your connector failed (the answer stays in Virage
        and the page says so), ``None`` when you do not bridge this inbox (the next plugin is
        asked; with no connector, the answer stays in Virage).

    Called once per answer to an external item, first result wins.
    """

"""The organisational inboxes, as plugins may use them (SDK 1.x): a connector plugin delivers
external secure messages into inboxes and sends their answers out.

- :func:`receive_external` files an :class:`ExternalMessage` into the inbox whose external
  address matches (idempotent on ``message_id``; ``None`` when no inbox has that address).
- :func:`list_bridged` lists the inboxes with an external address, for the connector's polling.
- Implement the hook ``inbox_send_external`` to send answers (see ``docs/developpeurs/hooks.md``).
"""

from __future__ import annotations

from virage.inboxes.model import ExternalMessage
from virage.inboxes.service import list_bridged, receive_external

__all__ = ["ExternalMessage", "list_bridged", "receive_external"]

"""Devices that act without a worker (a reception kiosk, a waiting-room screen), as plugins may
use them (SDK 1.6).

Such a device proves itself with its own credential, checked by the plugin; no session, no
account, no role. Once the plugin knows the device's structure, it acts for that structure only
(:func:`acting_for_structure`): on PostgreSQL, row-level security then shows and lets write that
structure's rows and no other's, as for a worker of that structure. The command line and
migrations act as the system and need nothing of this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from virage import db_scope


@contextmanager
def acting_for_structure(structure_id: int) -> Iterator[None]:
    """Within the block, the current request acts for ``structure_id`` only (never the system)."""
    token = db_scope.acting_for([structure_id])
    try:
        yield
    finally:
        db_scope.reset(token)


__all__ = ["acting_for_structure"]

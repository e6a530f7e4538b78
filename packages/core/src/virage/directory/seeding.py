"""Writing directory entries without an import run: demo data, regional fixtures, tests.

Registries are imported through a :class:`~virage.directory.sources.DirectorySource` and
``virage directory import`` (checked, reported, audited). These functions are for an
administrator's own data (a demo territory, a test), never for a request.
"""

from __future__ import annotations

from typing import Any

from virage.db import Database
from virage.directory import storage


def insert_structure(
    db: Database, values: dict[str, Any], *, extra: dict[str, Any] | None = None
) -> int:
    """Add a structure (the fields of ``directory_structures``: ``finess``, ``name``…); its id."""
    return storage.insert_structure(db, values, extra=extra)


def set_structure_extra(db: Database, structure_id: int, extra: dict[str, Any]) -> None:
    """Replace the network's own fields of a structure (places, criteria…)."""
    storage.set_structure_extra(db, structure_id, extra)


def save_professional(
    db: Database,
    values: dict[str, Any],
    roles: list[dict[str, Any]],
    places: list[str],
    *,
    user_id: int | None = None,
) -> int:
    """Add a professional (RPPS fields), their roles and the communes where they practise; their id.

    ``user_id`` links the directory entry to a Virage account (a doctor who logs in).
    """
    return storage.save_professional(db, values, roles, places, user_id=user_id)


def refresh_communes(db: Database) -> None:
    """Rebuild the communes known to the directory from its structures (after seeding)."""
    storage.refresh_communes(db)

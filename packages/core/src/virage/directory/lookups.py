"""What other domains and plugins may ask the directory without reading its tables.

Directory content is professional registry data (FINESS, RPPS), readable by every role: these
lookups do not audit. A page shows it after ``directory.service.require_read(access)``.
"""

from __future__ import annotations

from typing import Any

from virage.db import Database
from virage.directory import search, storage


def structure(db: Database, structure_id: int) -> dict | None:
    """One structure of the directory (with ``extra``, the network's fields), or ``None``."""
    return storage.get_structure(db, structure_id)


def structure_by_finess(db: Database, finess: str) -> dict | None:
    """One structure by its FINESS number, or ``None``."""
    return storage.get_structure_by_finess(db, finess)


def structures_matching(db: Database, params: search.SearchParams, limit: int) -> list[dict]:
    """Every structure matching ``params`` (checked like a search), up to ``limit``, unpaged.

    For a plugin that ranks structures itself (the orientation): ``params.sort`` decides the
    order (``"distance"`` nearest first when ``near`` is given).
    """
    query, _center = search.structure_query(db, params)
    query.limit = max(1, min(int(limit), 5000))
    rows, _total = storage.search_structures(db, query)
    return rows


def imports(db: Database) -> list[dict[str, Any]]:
    """The last import runs (source, status, counts, report), newest first."""
    return storage.list_imports(db)

"""Filling the SQLite full-text tables again from the directory's index text (after a copy)."""

from __future__ import annotations

from virage.db import Database
from virage.directory.search_index_storage import PROFESSIONALS, STRUCTURES


def rebuild(db: Database) -> None:
    """Index every entry of the text tables (the FTS5 tables are empty: a new copy)."""
    if db.dialect != "sqlite":
        return
    for index in (STRUCTURES, PROFESSIONALS):
        # The very text ``search_index_storage.add`` gives the index: ``other`` then the facets.
        db.execute(
            f"INSERT INTO {index.fts} (rowid, {index.columns})"
            f" SELECT id, name, {index.second}, place, other || ' ' || facets FROM {index.text}"
        )

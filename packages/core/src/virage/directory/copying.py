"""The directory after ``virage db copy``: SQLite's full-text tables are filled again from the
copied index text (PostgreSQL's index is a generated column of that text: nothing to do)."""

from __future__ import annotations

from virage.db import Database
from virage.directory import search_rebuild_storage
from virage.plugins import hookimpl


@hookimpl
def on_database_copied(db: Database) -> None:
    search_rebuild_storage.rebuild(db)

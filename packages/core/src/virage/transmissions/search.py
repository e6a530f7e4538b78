"""Full-text search of transmissions, accent-insensitive, always inside the reader's scope."""

from __future__ import annotations

import re

from virage.accounts.context import AccessContext
from virage.transmissions import storage
from virage.transmissions.scope import _audited, _with_persons, decorate, reading_scope

WORD = re.compile(r"(\w+)(\*?)", re.UNICODE)


def words_of(text: str) -> list[tuple[str, bool]]:
    """The searched words, each with whether it was typed as a word start (``chut*``)."""
    for ligature, plain in storage.LIGATURES:
        text = (text or "").replace(ligature, plain)
    return [(w, bool(star)) for w, star in WORD.findall(text) if w.strip("_")][:8]


def search_query(
    dialect: str, text: str, scope: tuple[set[int], set[int]], limit: int = 50
) -> tuple[str, list] | None:
    """The storage's query (SQL and parameters) of the ids found for ``text`` in ``scope`` on
    the engine ``dialect`` (the benchmark's raw floor runs it on a bare connection)."""
    return storage.search_ids(dialect, words_of(text), *scope, limit)


def search(
    access: AccessContext, text: str, *, person_id: int | None = None, limit: int = 50
) -> list[dict]:
    """Full-text search (accent-insensitive) in what the actor may read, newest first."""
    access.require_login()
    if person_id is not None:
        access.require(
            "transmissions.read",
            person_id=person_id,
            action="transmissions.search",
            details={"recherche": (text or "")[:100]},
        )
        scope: tuple[set, set] = ({person_id}, set())
    else:
        scope = reading_scope(access)
    persons, structures = scope
    rows = storage.search(
        access.db, words_of(text), persons, structures, limit=max(1, min(limit, 200))
    )
    rows = _audited(access, rows, "recherche")
    return decorate(access, _with_persons(access, rows))

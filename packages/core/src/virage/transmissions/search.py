"""Full-text search of transmissions, accent-insensitive, always inside the reader's scope."""

from __future__ import annotations

import re
from collections.abc import Iterable

from virage.accounts.context import AccessContext
from virage.transmissions import storage
from virage.transmissions.scope import _audited, _with_persons, decorate, reading_scope

WORD = re.compile(r"(\w+)(\*?)", re.UNICODE)


def _term(word: str, prefix: bool) -> str:
    """One searched word: exact (singular and plural), or a word start when typed with ``*``.

    Exact words use the index directly (a few milliseconds on millions of transmissions); a word
    start has to merge every indexed word that begins with it, so it is only done on request.
    """
    if prefix and len(word) >= 3:
        return f'"{word}"*'
    other = word[:-1] if word.endswith("s") and len(word) > 3 else f"{word}s"
    return f'("{word}" OR "{other}")'


def fts_query(text: str, scope: tuple[Iterable[int], Iterable[int]]) -> str | None:
    """The FTS5 expression of a search: every word, inside the reader's scope only.

    Words are quoted, so nothing typed can change the expression (no operator, no column filter).
    """
    for ligature, plain in storage.LIGATURES:
        text = (text or "").replace(ligature, plain)
    words = [(w, bool(star)) for w, star in WORD.findall(text) if w.strip("_")][:8]
    persons, structures = scope
    tokens = [f"p{int(p)}" for p in sorted(persons)] + [f"s{int(s)}" for s in sorted(structures)]
    if not words or not tokens:
        return None
    terms = " AND ".join(_term(w, star) for w, star in words)
    return f"{{target body}} : ({terms}) AND scope : ({' OR '.join(tokens)})"


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
    match = fts_query(text, scope)
    if match is None:
        return []
    rows = storage.search(access.db, match, limit=max(1, min(limit, 200)))
    rows = _audited(access, rows, "recherche")
    return decorate(access, _with_persons(access, rows))

"""The full-text expression of a transmissions search, in the engine's syntax (SQLite FTS5).

Services hand over words (``(word, is a word start)``) and a scope; only storage knows how the
engine spells a search (the index and its ``scope`` column: see :mod:`.schema_storage`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def _fts_term(word: str, prefix: bool) -> str:
    """One searched word: exact (singular and plural), or a word start when typed with ``*``.

    Exact words use the index directly (a few milliseconds on millions of transmissions); a word
    start has to merge every indexed word that begins with it, so it is only done on request.
    """
    word = word.replace('"', "")
    if prefix and len(word) >= 3:
        return f'"{word}"*'
    other = word[:-1] if word.endswith("s") and len(word) > 3 else f"{word}s"
    return f'("{word}" OR "{other}")'


def fts_match(
    words: Sequence[tuple[str, bool]], persons: Iterable[int], structures: Iterable[int]
) -> str | None:
    """The engine's expression for a search (here FTS5; every word quoted, so that nothing typed
    becomes an operator), or ``None`` when there is no word or no scope."""
    tokens = [f"p{int(p)}" for p in sorted(persons)] + [f"s{int(s)}" for s in sorted(structures)]
    words = [(w, prefix) for w, prefix in words if w.replace('"', "")]
    if not words or not tokens:
        return None
    terms = " AND ".join(_fts_term(w, prefix) for w, prefix in words)
    return f"{{target body}} : ({terms}) AND scope : ({' OR '.join(tokens)})"

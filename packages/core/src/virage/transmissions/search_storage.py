"""The full-text side of a transmissions search, in each engine's syntax.

Services hand over words (``(word, is a word start)``) and a scope; only storage knows how the
engine spells a search (the indexes: see :mod:`.schema_storage`):

- SQLite: an FTS5 expression whose ``scope`` column (``p<person> s<structure>`` tokens) restricts
  the search inside the index itself;
- PostgreSQL: a ``to_tsquery('simple', …)`` over the generated ``search`` column (folded with
  ``virage_fold``, under a GIN index), restricted by the query's own ``WHERE`` on the person and
  the structure.

Both search the same way: every word is required, accents and case are ignored, a word matches
its singular and plural, and a word typed with ``*`` (three letters at least) is a word start.
Nothing typed ever becomes an operator.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from virage.db_ddl import fold_text


def _clean(words: Sequence[tuple[str, bool]]) -> list[tuple[str, bool]]:
    return [(w, prefix) for w, prefix in words if w.replace('"', "")]


def _variants(word: str) -> tuple[str, str]:
    """A word and its singular or plural (searched together)."""
    other = word[:-1] if word.endswith("s") and len(word) > 3 else f"{word}s"
    return word, other


def _fts_term(word: str, prefix: bool) -> str:
    """One searched word: exact (singular and plural), or a word start when typed with ``*``.

    Exact words use the index directly (a few milliseconds on millions of transmissions); a word
    start has to merge every indexed word that begins with it, so it is only done on request.
    """
    word = word.replace('"', "")
    if prefix and len(word) >= 3:
        return f'"{word}"*'
    word, other = _variants(word)
    return f'("{word}" OR "{other}")'


def fts_match(
    words: Sequence[tuple[str, bool]], persons: Iterable[int], structures: Iterable[int]
) -> str | None:
    """The FTS5 expression for a search (every word quoted, so that nothing typed becomes an
    operator), or ``None`` when there is no word or no scope."""
    tokens = [f"p{int(p)}" for p in sorted(persons)] + [f"s{int(s)}" for s in sorted(structures)]
    words = _clean(words)
    if not words or not tokens:
        return None
    terms = " AND ".join(_fts_term(w, prefix) for w, prefix in words)
    return f"{{target body}} : ({terms}) AND scope : ({' OR '.join(tokens)})"


def _ts_lexeme(word: str) -> str:
    """A word as a quoted ``tsquery`` operand (quoted: never an operator)."""
    return "'" + word.replace("\\", "").replace("'", "") + "'"


def _ts_term(word: str, prefix: bool) -> str | None:
    word = fold_text(word.replace('"', "")).replace("\\", "").replace("'", "")
    if not word:
        return None
    if prefix and len(word) >= 3:
        return f"{_ts_lexeme(word)}:*"
    word, other = _variants(word)
    return f"({_ts_lexeme(word)} | {_ts_lexeme(other)})"


def ts_query(words: Sequence[tuple[str, bool]]) -> str | None:
    """The text given to ``to_tsquery('simple', …)`` for a search (PostgreSQL), or ``None``."""
    terms = [t for t in (_ts_term(w, prefix) for w, prefix in _clean(words)) if t]
    return " & ".join(terms) if terms else None


def search_ids(
    dialect: str,
    words: Sequence[tuple[str, bool]],
    persons: Iterable[int],
    structures: Iterable[int],
    limit: int,
) -> tuple[str, list] | None:
    """The query of the ids of the newest matching transmissions in scope (at most ``limit``),
    with its parameters; ``None`` when there is nothing to search (no word or no scope).

    The search itself and the benchmark's raw floor run this same SQL.
    """
    persons, structures = sorted(int(p) for p in persons), sorted(int(s) for s in structures)
    if dialect != "postgresql":
        match = fts_match(words, persons, structures)
        if match is None:
            return None
        return (
            "SELECT rowid AS id FROM transmissions_fts WHERE transmissions_fts MATCH ?"
            " ORDER BY rowid DESC LIMIT ?",
            [match, limit],
        )
    query = ts_query(words)
    if query is None or not (persons or structures):
        return None
    scope, params = [], []
    if persons:
        scope.append(f"person_id IN ({','.join('?' * len(persons))})")
        params.extend(persons)
    if structures:
        scope.append(f"structure_id IN ({','.join('?' * len(structures))})")
        params.extend(structures)
    return (
        f"SELECT id FROM transmissions WHERE ({' OR '.join(scope)})"
        " AND search @@ to_tsquery('simple', ?) ORDER BY id DESC LIMIT ?",
        [*params, query, limit],
    )

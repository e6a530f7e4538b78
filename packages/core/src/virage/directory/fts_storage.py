"""The full-text expression of a directory search, in the engine's syntax (SQLite FTS5).

The service hands over engine-neutral words (:class:`Term`); only storage spells them for the
engine, with the filters as facet tokens of the index (see :mod:`.search_index_storage`).
"""

from __future__ import annotations

from dataclasses import dataclass

from virage.directory import search_index_storage as search_index


@dataclass(frozen=True)
class Term:
    """One searched word, whatever the engine: its spellings (the folded word, then its
    synonyms) and whether it is a word start (the word being typed)."""

    spellings: tuple[str, ...]
    prefix: bool = False


def match_expression(terms: tuple[Term, ...]) -> str | None:
    """The engine's full-text expression (FTS5 here), every spelling quoted so that nothing
    typed becomes an operator; ``None`` without a word. The only place that spells a search."""
    parts = []
    for term in terms:
        spellings = [s.replace('"', "") for s in term.spellings if s.replace('"', "")]
        if not spellings:
            continue
        star = "*" if term.prefix and len(spellings[0]) >= 2 else ""
        variants = [f'"{spellings[0]}"{star}'] + [f'"{s}"' for s in spellings[1:]]
        parts.append(variants[0] if len(variants) == 1 else f"({' OR '.join(variants)})")
    return " AND ".join(parts) or None


def facet_query(match: str, facets: list[list[str]], open_only: bool) -> str:
    """The person's query with the filters as facets: ``(…) AND ("_c500" OR "_c354") NOT …``."""
    query = f"({match})"
    for group in facets:
        query += " AND (" + " OR ".join(f'"{token}"' for token in group) + ")"
    if open_only:
        query = f'({query}) NOT "{search_index.CLOSED}"'
    return query

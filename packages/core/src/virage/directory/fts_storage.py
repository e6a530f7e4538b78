"""The full-text condition of a directory search, in the engine's syntax.

The service hands over engine-neutral words (:class:`Term`); only storage spells them for the
engine, with the filters as facets of the index (see :mod:`.search_index_storage`):

- SQLite: an FTS5 ``MATCH`` expression, the facets being tokens of the query, ranked by ``bm25``
  with the column weights :data:`WEIGHTS`;
- PostgreSQL: ``to_tsquery('simple', …)`` against the generated ``doc`` column (``word:*`` for
  the word being typed, ``|`` between synonyms), the facets tested on the ``tags`` array
  (``&&``: one of a group; ``NOT @>``: not closed), ranked by ``ts_rank`` with the same weights
  scaled to PostgreSQL's range (:data:`PG_WEIGHTS`), negated so that on both engines the smaller
  rank is the better.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from virage.db import Database
from virage.directory import search_index_storage as search_index

#: bm25 weights of the indexed columns: name, category (or profession), place, other.
WEIGHTS = "10.0, 4.0, 2.0, 1.0"
#: The same weights for ``ts_rank`` (given D, C, B, A; at most 1): 10 : 4 : 2 : 1.
PG_WEIGHTS = "'{0.1, 0.2, 0.4, 1.0}'"
_WORD = re.compile(r"[0-9a-z]+")


@dataclass(frozen=True)
class Term:
    """One searched word, whatever the engine: its spellings (the folded word, then its
    synonyms) and whether it is a word start (the word being typed)."""

    spellings: tuple[str, ...]
    prefix: bool = False


def match_expression(terms: tuple[Term, ...]) -> str | None:
    """The FTS5 expression of ``terms``, every spelling quoted so that nothing typed becomes an
    operator; ``None`` without a word."""
    parts = []
    for term in terms:
        spellings = [s.replace('"', "") for s in term.spellings if s.replace('"', "")]
        if not spellings:
            continue
        star = "*" if term.prefix and len(spellings[0]) >= 2 else ""
        variants = [f'"{spellings[0]}"{star}'] + [f'"{s}"' for s in spellings[1:]]
        parts.append(variants[0] if len(variants) == 1 else f"({' OR '.join(variants)})")
    return " AND ".join(parts) or None


def ts_query(terms: tuple[Term, ...]) -> str | None:
    """The ``to_tsquery('simple', …)`` text of ``terms`` (PostgreSQL): only letters and digits
    reach it, so nothing typed becomes an operator; ``None`` without a word."""
    parts = []
    for term in terms:
        variants = []
        for i, spelling in enumerate(term.spellings):
            words = _WORD.findall(spelling.lower())
            if not words:
                continue
            if i == 0 and term.prefix and len(spelling) >= 2:
                words[-1] += ":*"
            variants.append(words[0] if len(words) == 1 else f"({' <-> '.join(words)})")
        if variants:
            parts.append(variants[0] if len(variants) == 1 else f"({' | '.join(variants)})")
    return " & ".join(parts) or None


def facet_query(match: str, facets: list[list[str]], open_only: bool) -> str:
    """The person's query with the filters as facets: ``(…) AND ("_c500" OR "_c354") NOT …``."""
    query = f"({match})"
    for group in facets:
        query += " AND (" + " OR ".join(f'"{token}"' for token in group) + ")"
    if open_only:
        query = f'({query}) NOT "{search_index.CLOSED}"'
    return query


@dataclass(frozen=True)
class FullText:
    """A full-text condition spelled for one engine.

    ``SELECT … FROM {source} WHERE {where}`` gives the matches, ``{id}`` being their ids and
    ``{rank}`` their rank (smaller is better); ``source_params`` and ``where_params`` are the
    parameters of the two clauses.
    """

    source: str
    id: str
    where: str
    rank: str
    source_params: tuple = ()
    where_params: tuple = ()

    def ids(self) -> tuple[str, list]:
        """A subquery of the ids of the matches (unranked), and its parameters."""
        return (
            f"SELECT {self.id} FROM {self.source} WHERE {self.where}",
            [*self.source_params, *self.where_params],
        )


def full_text(
    db: Database,
    index: search_index.Index,
    terms: tuple[Term, ...],
    facets: list[list[str]] | None = None,
    open_only: bool = False,
) -> FullText:
    """The condition matching ``terms`` (and, when given, the ``facets`` groups and the open
    entries only) in the index of ``index``."""
    if db.dialect == "postgresql":
        where, params = ["f.doc @@ query"], []
        for group in facets or ():
            where.append(f"f.tags && ARRAY[{', '.join('?' * len(group))}]::text[]")
            params.extend(group)
        if facets is not None and open_only:
            where.append(f"NOT f.tags @> ARRAY['{search_index.CLOSED}']::text[]")
        return FullText(
            source=f"to_tsquery('simple', ?) query, {index.text} f",
            id="f.id",
            where=" AND ".join(where),
            rank=f"-ts_rank({PG_WEIGHTS}, f.doc, query)",
            source_params=(ts_query(terms),),
            where_params=tuple(params),
        )
    match = match_expression(terms) or ""
    if facets is not None:
        match = facet_query(match, facets, open_only)
    return FullText(
        source=index.fts,
        id=f"{index.fts}.rowid",
        where=f"{index.fts} MATCH ?",
        rank=f"bm25({index.fts}, {WEIGHTS})",
        where_params=(match,),
    )

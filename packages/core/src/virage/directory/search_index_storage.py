"""The full-text index of the directory: one per entity (structures, professionals).

Each entity has a table of *index text* (``directory_structures_search``: id, name, category,
place, other, facets) and a **contentless** FTS5 table over it (``directory_structures_fts``,
``content=''``, ``columnsize=0``). Contentless without column sizes, ``bm25()`` needs no look-up
per match (it would otherwise read each match's length from a separate table): ranking 30,000
matches costs a few milliseconds instead of twenty. The price is that ``bm25`` no longer favours
short texts; the column weights (name first) still rank. A contentless table can only forget a row
given the exact text it indexed: the text table keeps it.

*Facets* are tokens that only Virage writes (``_closed``, ``_ket``, ``_c500``, ``_d01``,
``_m01053``, ``_p60``): the tokenizer keeps ``_`` inside tokens, and what a person types never
contains one (:func:`virage.directory.normalize.fold`), so filters (open only, category,
département, commune, profession) are part of the full-text query and a search never joins the
entity table before its page is known. Facets are indexed in the ``other`` column.

On PostgreSQL the text table is the index: a generated ``tsvector`` (``doc``) weights the columns
A to D, and the facets are an array (``tags``); both under GIN indexes. The text is folded as the
searched words are (:func:`virage.directory.normalize.fold`: Unicode NFKD, combining marks dropped,
lower case) and cut into words at every character that is not a letter or a digit, as FTS5's
``unicode61`` does (PostgreSQL's own parser would keep « a.b@c.fr » or « 04.74 » whole). The fold
is PostgreSQL's ``normalize`` rather than ``virage_fold``: the same result on Latin letters, three
times faster to index (``virage_fold``'s ``translate`` over four hundred letters costs 20 µs a
column). The queries are spelled in :mod:`.fts_storage`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from virage.db import Database

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2 tokenchars ''_''', prefix = '2 3 4'"
CLOSED = "_closed"
_NOT_TOKEN = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Index:
    """The index of one entity table."""

    table: str  # directory_structures
    second: str  # the second indexed column: "category" or "profession"

    @property
    def fts(self) -> str:
        return f"{self.table}_fts"

    @property
    def text(self) -> str:
        return f"{self.table}_search"

    @property
    def columns(self) -> str:
        return f"name, {self.second}, place, other"


STRUCTURES = Index("directory_structures", "category")
PROFESSIONALS = Index("directory_professionals", "profession")


#: PostgreSQL: the index is the text table itself, with a generated ``tsvector`` (columns weighted
#: A to D, folded, words of letters and digits only) and the facets as an array, both under GIN
#: indexes. Lower case after the accents are gone: ``lower`` of ASCII does not depend on the locale.
PG_COMBINING = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
PG_WORDS = (
    "to_tsvector('simple', regexp_replace(lower(regexp_replace(normalize({column}, NFKD),"
    f" '{PG_COMBINING}', '', 'g')), '[^0-9a-z]+', ' ', 'g'))"
)
PG_DOCUMENT = " || ".join(
    f"setweight({PG_WORDS.format(column=column)}, '{weight}')"
    for column, weight in (("name", "A"), ("{second}", "B"), ("place", "C"), ("other", "D"))
)


def create(db: Database, index: Index) -> None:
    if db.dialect == "postgresql":
        db.execute(
            f"CREATE TABLE {index.text} (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            f" {index.second} TEXT NOT NULL, place TEXT NOT NULL, other TEXT NOT NULL,"
            " facets TEXT NOT NULL,"
            " tags TEXT[] GENERATED ALWAYS AS (string_to_array(facets, ' ')) STORED,"
            f" doc tsvector GENERATED ALWAYS AS ({PG_DOCUMENT.format(second=index.second)})"
            " STORED)"
        )
        db.execute(f"CREATE INDEX {index.text}_doc ON {index.text} USING gin (doc)")
        db.execute(f"CREATE INDEX {index.text}_tags ON {index.text} USING gin (tags)")
        return
    db.execute(
        f"CREATE TABLE {index.text} (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        f" {index.second} TEXT NOT NULL, place TEXT NOT NULL, other TEXT NOT NULL,"
        " facets TEXT NOT NULL)"
    )
    db.execute(
        f"CREATE VIRTUAL TABLE {index.fts} USING fts5({index.columns},"
        f" content = '', columnsize = 0, {TOKENIZE})"
    )


def facet(prefix: str, value: Any) -> str | None:
    """One facet token (``facet("_c", "500")`` → ``_c500``), None for an empty value."""
    if value is None:
        return None
    text = str(value).lower()
    if not (text.isascii() and text.isalnum()):
        text = _NOT_TOKEN.sub("", text)
    return f"{prefix}{text}" if text else None


def facets(*tokens: str | None) -> str:
    return " ".join(t for t in tokens if t)


def structure_facets(status, kind, category, departement, commune) -> str:
    return facets(
        CLOSED if status == "closed" else None,
        facet("_k", kind),
        facet("_c", category),
        facet("_d", departement),
        facet("_m", commune),
    )


def professional_facets(status, profession, departement, commune) -> str:
    return facets(
        CLOSED if status == "closed" else None,
        facet("_p", profession),
        facet("_d", departement),
        facet("_m", commune),
    )


Row = Sequence[Any]  # (id, name, second, place, other, facets)


def _fts_values(row: Row) -> tuple:
    # The text given to the index; forgetting the row later must give the very same text.
    return (row[0], row[1], row[2], row[3], f"{row[4]} {row[5]}")


def add(db: Database, index: Index, rows: Iterable[Row]) -> None:
    """Index new entries (their ids are not indexed yet)."""
    rows = [tuple(r) for r in rows]
    if not rows:
        return
    db.executemany(
        f"INSERT INTO {index.text} (id, name, {index.second}, place, other, facets)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    if db.dialect == "postgresql":
        return  # the text table is the index
    # One-row VALUES statements: an INSERT … SELECT into FTS5 opens a statement savepoint, which
    # flushes the index's pending terms at every row (four times slower).
    db.executemany(
        f"INSERT INTO {index.fts} (rowid, {index.columns}) VALUES (?, ?, ?, ?, ?)",
        [_fts_values(r) for r in rows],
    )


def _stored(db: Database, index: Index, ids: Sequence[int]) -> list[tuple]:
    out: list[tuple] = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        out += db.execute(
            f"SELECT id, name, {index.second}, place, other, facets FROM {index.text}"
            f" WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
    return out


def remove(db: Database, index: Index, ids: Iterable[int]) -> None:
    """Forget entries (FTS5 'delete' command, given the text it indexed)."""
    if db.dialect == "postgresql":
        db.executemany(f"DELETE FROM {index.text} WHERE id = ?", [(i,) for i in ids])
        return
    stored = _stored(db, index, list(ids))
    if not stored:
        return
    db.executemany(
        f"INSERT INTO {index.fts} ({index.fts}, rowid, {index.columns})"
        " VALUES ('delete', ?, ?, ?, ?, ?)",
        [_fts_values(r) for r in stored],
    )
    db.executemany(f"DELETE FROM {index.text} WHERE id = ?", [(r[0],) for r in stored])


def replace(db: Database, index: Index, rows: Iterable[Row]) -> None:
    """Index entries again, with new text."""
    rows = [tuple(r) for r in rows]
    if db.dialect == "postgresql":  # one statement per entry (the index follows the text)
        columns = ("name", index.second, "place", "other", "facets")
        db.executemany(
            f"INSERT INTO {index.text} (id, {', '.join(columns)}) VALUES (?, ?, ?, ?, ?, ?)"
            f" ON CONFLICT (id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in columns)}",
            rows,
        )
        return
    remove(db, index, (r[0] for r in rows))
    add(db, index, rows)


def mark_closed(db: Database, index: Index, ids: Sequence[int]) -> None:
    """Add the ``_closed`` facet to entries just closed."""
    if db.dialect == "postgresql":
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            db.execute(
                f"UPDATE {index.text} SET facets = CASE facets WHEN '' THEN '{CLOSED}'"
                f" ELSE '{CLOSED} ' || facets END WHERE id IN ({','.join('?' * len(chunk))})"
                f" AND NOT tags @> ARRAY['{CLOSED}']::text[]",
                chunk,
            )
        return
    rows = _stored(db, index, ids)
    replace(
        db,
        index,
        [(*r[:5], r[5] if CLOSED in r[5].split() else facets(CLOSED, r[5])) for r in rows],
    )


def fill_from(db: Database, index: Index, rows: Iterable[Row]) -> None:
    """Fill an empty index (a migration), a thousand entries at a time."""
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 1000:
            add(db, index, batch)
            batch = []
    add(db, index, batch)

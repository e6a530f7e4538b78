"""The SQL of directory searches: full text, filters, distance, sort and pages.

:mod:`virage.directory.search` validates what a person asked and builds a :class:`SearchQuery`;
this module runs it. ``floor=True`` runs the same SQL bare, for the benchmark.

A text search without a radius stays inside the full-text index until its page is known (see
:mod:`.search_index_storage`): the filters are facets of the full-text query (see
:mod:`.fts_storage`, the only place that spells it for the engine), and one pass in the index
ranks the matches (``bm25`` on SQLite, ``ts_rank`` on PostgreSQL, then id: a stable order) and
keeps the best ``COUNT_CAP + 1``, whose number is the total. Up to ``EXACT_ORDER_MAX`` matches,
their rows are read and equal ranks are put in name order, open before closed; beyond, only the
rows of the page are read.

A word start typed in a national directory (« ehpad sa », 10,000 matches) costs a few
milliseconds this way, against 20 to 35 with a join of every match before the ``LIMIT``. The sort
by name reads the rows of every match.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from virage.db import Database
from virage.db import fetch_all as _rows
from virage.directory import search_index_storage as search_index
from virage.directory.fts_storage import Term, full_text, match_expression


def haversine_km(lat1: float, lon1: float, lat2: float | None, lon2: float | None) -> float | None:
    """Great-circle distance in kilometres (None when a point is unknown)."""
    if lat2 is None or lon2 is None:
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


#: PostgreSQL: the distance function, made by the directory's first migration (SQLite's is
#: :func:`haversine_km`, given to each connection by :func:`_register_functions`).
PG_DISTANCE_FUNCTION = """CREATE OR REPLACE FUNCTION dir_distance_km(
    lat1 double precision, lon1 double precision, lat2 double precision, lon2 double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 2 * 6371.0088 * asin(least(1.0, sqrt(
        power(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2))))
$$"""


def _register_functions(db: Database) -> None:
    if db.dialect == "sqlite":
        db.conn.create_function("dir_distance_km", 4, haversine_km, deterministic=True)


@dataclass
class SearchQuery:
    """A search, already validated and translated (see :mod:`virage.directory.search`)."""

    terms: tuple[Term, ...] = ()
    kinds: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    professions: tuple[str, ...] = ()
    departement: str | None = None
    commune_code: str | None = None
    open_only: bool = True
    center: tuple[float, float] | None = None
    radius_km: float | None = None
    sort: str = "relevance"  # relevance, distance, name
    limit: int = 20
    offset: int = 0
    extra_where: list[str] = field(default_factory=list)

    @property
    def match(self) -> str | None:
        """The full-text expression of :attr:`terms` (``None`` without a word)."""
        return match_expression(self.terms)


def _bbox(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    dlat = radius_km / 111.2
    dlon = radius_km / (111.32 * max(0.01, math.cos(math.radians(lat))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


STRUCTURE_SUMMARY_COLUMNS = (
    "s.id, s.kind, s.finess, s.ej_finess, s.name, s.long_name, s.category_code,"
    " s.category_label, s.address_line, s.postcode, s.city, s.commune_code, s.departement,"
    " s.lat, s.lon, s.phone, s.status"
)


#: Totals are counted up to this number; beyond, the result says « more than COUNT_CAP ».
COUNT_CAP = 1000
#: Up to this many text matches, all are read with their rows to order equal ranks by name;
#: beyond, the index ranks alone and only the page's rows are read.
EXACT_ORDER_MAX = 200
#: Below this many structures in the bounding box, a text + distance search walks the box and
#: probes the full-text index for each; above, it ranks the text matches and checks the box.
GEO_FIRST_MAX_CANDIDATES = 1500


def _by_ids(db, table: str, columns: str, ids: list[int], *, raw: bool = False) -> dict[int, Any]:
    marks = ",".join("?" * len(ids))
    sql = f"SELECT {columns} FROM {table} s WHERE s.id IN ({marks})"
    if raw:
        return {r[0]: r for r in db.execute(sql, ids).fetchall()}
    return {r["id"]: r for r in _rows(db, sql, ids)}


def _name_sort_key(row: dict, names: list[str]) -> tuple:
    # as SQLite orders them: NULL first, then texts by code point (BINARY on UTF-8)
    return tuple((row[n] is not None, row[n] or "") for n in names)


def _text_search(
    db: Database,
    q: SearchQuery,
    *,
    index: search_index.Index,
    columns: str,
    facets: list[list[str]],
    name_order: str,
    floor: bool,
) -> tuple[list, int]:
    table = index.table
    ft = full_text(db, index, q.terms, facets, q.open_only)
    match = [*ft.source_params, *ft.where_params]
    if q.sort != "relevance":
        total = db.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {ft.source} WHERE {ft.where}"
            f" LIMIT {COUNT_CAP + 1}) AS m",
            match,
        ).fetchone()[0]
        sql = (
            f"SELECT * FROM (SELECT {columns}, NULL AS rank, NULL AS distance_km FROM {ft.source}"
            f" JOIN {table} s ON s.id = {ft.id} WHERE {ft.where}) AS m"
            f" ORDER BY {name_order}, id LIMIT ? OFFSET ?"
        )
        if floor:
            raw = db.execute(sql, [*match, q.limit, q.offset]).fetchall()
            return raw, len(raw)
        return _rows(db, sql, [*match, q.limit, q.offset]), total
    # One pass in the index ranks every match and keeps the best COUNT_CAP + 1 (or down to the
    # page asked): their number is the total, « more than COUNT_CAP » beyond.
    ranked = db.execute(
        f"SELECT {ft.id} AS id, {ft.rank} AS rank FROM {ft.source} WHERE {ft.where}"
        f" ORDER BY rank, {ft.id} LIMIT ?",
        [*match, max(COUNT_CAP + 1, q.offset + q.limit)],
    ).fetchall()
    total = min(len(ranked), COUNT_CAP + 1)
    if total <= min(EXACT_ORDER_MAX, COUNT_CAP):  # few: equal ranks in name order, open first
        rows = _by_ids(db, table, columns, [m[0] for m in ranked]) if ranked else {}
        names = [n.strip() for n in name_order.split(",")]
        ranks = dict(ranked)
        ordered = sorted(
            rows.values(),
            key=lambda r: (
                ranks[r["id"]],
                r["status"] != "open",
                _name_sort_key(r, names),
                r["id"],
            ),
        )[q.offset : q.offset + q.limit]
        for row in ordered:
            row["rank"], row["distance_km"] = ranks[row["id"]], None
        if floor:
            return [tuple(r.values()) for r in ordered], len(ordered)
        return ordered, total
    page = ranked[q.offset : q.offset + q.limit]
    by_id = _by_ids(db, table, columns, [r[0] for r in page], raw=floor) if page else {}
    if floor:
        return [(*by_id[rid], rank) for rid, rank in page], len(page)
    rows = []
    for rid, rank in page:
        row = by_id[rid]
        row["rank"], row["distance_km"] = rank, None
        rows.append(row)
    return rows, total


def _search(
    db: Database,
    q: SearchQuery,
    *,
    index: search_index.Index,
    columns: str,
    filters: list[tuple[str, list[Any]]],
    facets: list[list[str]],
    name_order: str,
    floor: bool = False,
) -> tuple[list, int]:
    _register_functions(db)
    table = index.table
    source_params: list[Any] = []
    params: list[Any] = []
    where: list[str] = []
    box: tuple[float, float, float, float] | None = None
    if q.center is not None and q.radius_km is not None:
        box = _bbox(q.center[0], q.center[1], q.radius_km)
    if q.match and box is None and q.sort != "distance":
        return _text_search(
            db,
            q,
            index=index,
            columns=columns,
            facets=facets,
            name_order=name_order,
            floor=floor,
        )
    geo_first = False
    if q.match and box is not None and q.sort == "distance":
        candidates = db.execute(
            f"SELECT COUNT(*) FROM {table} WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
            list(box),
        ).fetchone()[0]
        geo_first = candidates <= GEO_FIRST_MAX_CANDIDATES
    if q.match and geo_first:
        # Few structures around the point: walk them with the (lat, lon) index and test each
        # against the set of text matches (computed once, unranked), rather than rank every
        # text match of the country. The unary + keeps SQLite from driving the query by id.
        source = f"{table} s"
        rank = "0"
        matches, match_params = full_text(db, index, q.terms).ids()
        unary = "+" if db.dialect == "sqlite" else ""
        where.append(f"{unary}s.id IN ({matches})")
        params.extend(match_params)
    elif q.match:
        ft = full_text(db, index, q.terms)
        source = f"{ft.source} JOIN {table} s ON s.id = {ft.id}"
        source_params.extend(ft.source_params)
        rank = ft.rank
        where.append(ft.where)
        params.extend(ft.where_params)
    else:
        source = f"{table} s"
        rank = "0"
    for clause, values in filters:
        where.append(clause)
        params.extend(values)
    if q.open_only:
        where.append("s.status = 'open'")
    distance = "NULL"
    dist_params: list[Any] = []
    if q.center is not None:
        lat, lon = q.center
        distance = "dir_distance_km(?, ?, s.lat, s.lon)"
        dist_params = [lat, lon]
        if box is not None:
            where.append("s.lat BETWEEN ? AND ? AND s.lon BETWEEN ? AND ?")
            params.extend(box)
            where.append(f"{distance} <= ?")
            params.extend([lat, lon, q.radius_km])
    order = {
        "relevance": f"rank, status DESC, {name_order}",
        "distance": f"distance_km IS NULL, distance_km, rank, {name_order}",
        "name": f"{name_order}, id",
    }[q.sort]
    where_sql = f" WHERE {' AND '.join(where)}" if where else ""

    if box is not None:
        # Within a radius the matches are few: one pass gives the order and the total, then the
        # page's rows are read by id.
        order_ids = order.replace(name_order, "name_key")
        ids_sql = (
            f"SELECT id, rank, distance_km FROM (SELECT s.id AS id, {rank} AS rank,"
            f" {distance} AS distance_km, s.status AS status,"
            f" {_name_key(name_order)} AS name_key FROM {source}{where_sql}) AS m"
            f" ORDER BY {order_ids}"
        )
        ranked = db.execute(ids_sql, [*dist_params, *source_params, *params]).fetchall()
        page = ranked[q.offset : q.offset + q.limit]
        if floor:
            return page, len(ranked)
        if not page:
            return [], len(ranked)
        by_id = {
            r["id"]: r
            for r in _rows(
                db,
                f"SELECT {columns} FROM {table} s WHERE s.id IN ({','.join('?' * len(page))})",
                [r[0] for r in page],
            )
        }
        rows = []
        for rid, rnk, dist in page:
            row = by_id[rid]
            row["rank"], row["distance_km"] = rnk, dist
            rows.append(row)
        return rows, len(ranked)

    # The rank in a subquery, so that the outer ORDER BY can use its alias.
    sql = (
        f"SELECT * FROM (SELECT {columns}, {rank} AS rank, {distance} AS distance_km"
        f" FROM {source}{where_sql}) AS m ORDER BY {order} LIMIT ? OFFSET ?"
    )
    page_params = [*dist_params, *source_params, *params, q.limit, q.offset]
    if floor:  # the bare query, for the benchmark: no total count, raw tuples
        raw = db.execute(sql, page_params).fetchall()
        return raw, len(raw)
    rows = _rows(db, sql, page_params)
    if rows and len(rows) < q.limit:
        total = q.offset + len(rows)  # the last page: no need to count
    elif rows or q.offset:
        # A separate count (no ranking, no sorting, stopped after COUNT_CAP + 1 matches) is much
        # cheaper than a window function, which would keep every match in memory.
        total = db.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {source}{where_sql} LIMIT {COUNT_CAP + 1}) AS m",
            [*source_params, *params],
        ).fetchone()[0]
    else:
        total = 0
    return rows, total


def _name_key(name_order: str) -> str:
    """The sort key of names, as one expression (``s.family_name || ' ' || …``)."""
    return " || ' ' || ".join(f"COALESCE(s.{c.strip()}, '')" for c in name_order.split(","))


def search_structures(db: Database, q: SearchQuery, *, floor: bool = False) -> tuple[list, int]:
    """Structures matching ``q``; returns (rows of the page, total count).

    ``floor=True`` runs the same SQL without the total count and returns raw tuples: the cost of
    the query in the engine alone, which the benchmark compares with the full search.
    """
    filters: list[tuple[str, list[Any]]] = []
    facets: list[list[str]] = []
    if q.kinds:
        filters.append((f"s.kind IN ({','.join('?' * len(q.kinds))})", list(q.kinds)))
        facets.append(_tokens("_k", q.kinds))
    if q.categories:
        filters.append(
            (f"s.category_code IN ({','.join('?' * len(q.categories))})", list(q.categories))
        )
        facets.append(_tokens("_c", q.categories))
    _place_filters(q, filters, facets)
    index = search_index.STRUCTURES
    return _search(
        db,
        q,
        index=index,
        columns=STRUCTURE_SUMMARY_COLUMNS,
        filters=filters,
        facets=facets,
        name_order="name",
        floor=floor,
    )


def _tokens(prefix: str, values) -> list[str]:
    # A value without a token (only punctuation) matches nothing, as its SQL filter would.
    return [search_index.facet(prefix, v) or f"{prefix}none" for v in values]


def _place_filters(q: SearchQuery, filters: list, facets: list) -> None:
    if q.departement:
        filters.append(("s.departement = ?", [q.departement]))
        facets.append(_tokens("_d", [q.departement]))
    if q.commune_code:
        filters.append(("s.commune_code = ?", [q.commune_code]))
        facets.append(_tokens("_m", [q.commune_code]))


PROFESSIONAL_SUMMARY_COLUMNS = (
    "s.id, s.idnps, s.rpps, s.adeli, s.civility, s.family_name, s.given_name,"
    " s.profession_code, s.profession_label, s.specialties, s.city, s.departement, s.phone,"
    " s.mssante, s.lat, s.lon, s.status"
)


def search_professionals(db: Database, q: SearchQuery, *, floor: bool = False) -> tuple[list, int]:
    filters: list[tuple[str, list[Any]]] = []
    facets: list[list[str]] = []
    if q.professions:
        filters.append(
            (f"s.profession_code IN ({','.join('?' * len(q.professions))})", list(q.professions))
        )
        facets.append(_tokens("_p", q.professions))
    _place_filters(q, filters, facets)
    index = search_index.PROFESSIONALS
    return _search(
        db,
        q,
        index=index,
        columns=PROFESSIONAL_SUMMARY_COLUMNS,
        filters=filters,
        facets=facets,
        name_order="family_name, given_name",
        floor=floor,
    )

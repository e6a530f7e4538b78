"""Storage of the directory: structures, professionals, their roles, communes, imports, and the
full-text index (SQLite FTS5). The only SQL of the domain.

The search index is a separate FTS5 table per entity (``directory_structures_fts``,
``directory_professionals_fts``), keyed by the entity's id, with the ``unicode61
remove_diacritics 2`` tokenizer (accent- and case-insensitive; hyphens and apostrophes separate
words) and prefix indexes of 2 and 3 characters for search-as-you-type. It is written by the same
functions that write the entities, so it never drifts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row
from virage.db import utcnow_iso
from virage.directory import categories
from virage.directory.normalize import fold

# --------------------------------------------------------------------------- migrations


def create_tables(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE directory_structures (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('ET', 'EJ')),
            finess TEXT UNIQUE,
            ej_finess TEXT,
            name TEXT NOT NULL,
            long_name TEXT,
            category_code TEXT,
            category_label TEXT,
            legal_status_code TEXT,
            legal_status_label TEXT,
            siret TEXT,
            address_line TEXT,
            address_extra TEXT,
            postcode TEXT,
            city TEXT,
            commune_code TEXT,
            departement TEXT,
            lat REAL,
            lon REAL,
            phone TEXT,
            fax TEXT,
            email TEXT,
            opened_on TEXT,
            closed_on TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            extra TEXT NOT NULL DEFAULT '{}',
            source TEXT NOT NULL,
            source_updated TEXT,
            content_hash TEXT,
            seen_import INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX directory_structures_geo ON directory_structures (lat, lon)")
    db.execute("CREATE INDEX directory_structures_category ON directory_structures (category_code)")
    db.execute("CREATE INDEX directory_structures_dep ON directory_structures (departement)")
    db.execute("CREATE INDEX directory_structures_commune ON directory_structures (commune_code)")
    db.execute("CREATE INDEX directory_structures_ej ON directory_structures (ej_finess)")
    db.execute("CREATE INDEX directory_structures_source ON directory_structures (source, kind)")
    db.execute(
        """CREATE TABLE directory_professionals (
            id INTEGER PRIMARY KEY,
            idnps TEXT UNIQUE,
            rpps TEXT,
            adeli TEXT,
            civility TEXT,
            family_name TEXT NOT NULL,
            given_name TEXT,
            profession_code TEXT,
            profession_label TEXT,
            specialties TEXT NOT NULL DEFAULT '[]',
            mssante TEXT,
            phone TEXT,
            user_id INTEGER REFERENCES users(id),
            city TEXT,
            commune_code TEXT,
            departement TEXT,
            lat REAL,
            lon REAL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            extra TEXT NOT NULL DEFAULT '{}',
            source TEXT NOT NULL,
            content_hash TEXT,
            seen_import INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX directory_professionals_rpps ON directory_professionals (rpps)")
    db.execute("CREATE INDEX directory_professionals_user ON directory_professionals (user_id)")
    db.execute("CREATE INDEX directory_professionals_geo ON directory_professionals (lat, lon)")
    db.execute(
        "CREATE INDEX directory_professionals_profession ON directory_professionals (profession_code)"
    )
    db.execute("CREATE INDEX directory_professionals_dep ON directory_professionals (departement)")
    db.execute("CREATE INDEX directory_professionals_source ON directory_professionals (source)")
    db.execute(
        """CREATE TABLE directory_roles (
            id INTEGER PRIMARY KEY,
            professional_id INTEGER NOT NULL
                REFERENCES directory_professionals(id) ON DELETE CASCADE,
            structure_id INTEGER REFERENCES directory_structures(id),
            finess TEXT,
            function TEXT,
            phone TEXT,
            mssante TEXT
        )"""
    )
    db.execute("CREATE INDEX directory_roles_professional ON directory_roles (professional_id)")
    db.execute("CREATE INDEX directory_roles_structure ON directory_roles (structure_id)")
    db.execute(
        """CREATE TABLE directory_communes (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            departement TEXT,
            postcode TEXT,
            lat REAL,
            lon REAL
        )"""
    )
    db.execute("CREATE INDEX directory_communes_key ON directory_communes (name_key)")
    db.execute("CREATE INDEX directory_communes_postcode ON directory_communes (postcode)")
    db.execute(
        """CREATE TABLE directory_imports (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            format TEXT,
            filename TEXT NOT NULL,
            actor TEXT NOT NULL,
            partial INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
            generated_at TEXT,
            report TEXT NOT NULL DEFAULT '{}'
        )"""
    )


def create_search_index(db: sqlite_utils.Database) -> None:
    tokenizer = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"
    db.execute(
        "CREATE VIRTUAL TABLE directory_structures_fts USING fts5("
        f"name, category, place, other, {tokenizer})"
    )
    db.execute(
        "CREATE VIRTUAL TABLE directory_professionals_fts USING fts5("
        f"name, profession, place, other, {tokenizer})"
    )


# --------------------------------------------------------------------------- helpers


def haversine_km(lat1: float, lon1: float, lat2: float | None, lon2: float | None) -> float | None:
    """Great-circle distance in kilometres (None when a point is unknown)."""
    if lat2 is None or lon2 is None:
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _register_functions(db: sqlite_utils.Database) -> None:
    db.conn.create_function("dir_distance_km", 4, haversine_km, deterministic=True)


# --------------------------------------------------------------------------- structures

STRUCTURE_FIELDS = (
    "kind",
    "finess",
    "ej_finess",
    "name",
    "long_name",
    "category_code",
    "category_label",
    "legal_status_code",
    "legal_status_label",
    "siret",
    "address_line",
    "address_extra",
    "postcode",
    "city",
    "commune_code",
    "departement",
    "lat",
    "lon",
    "phone",
    "fax",
    "email",
    "opened_on",
    "closed_on",
    "status",
    "source",
    "source_updated",
)
_S_COLS = ", ".join(STRUCTURE_FIELDS)
_S_MARKS = ", ".join("?" * len(STRUCTURE_FIELDS))
_S_SET = ", ".join(f"{f} = ?" for f in STRUCTURE_FIELDS)


def _structure_index_text(values: dict[str, Any], extra: dict[str, Any]) -> list[str]:
    names = [values.get("name") or ""]
    if values.get("long_name") and values["long_name"] != values.get("name"):
        names.append(values["long_name"])
    code = values.get("category_code")
    category = " ".join(
        filter(
            None,
            [
                values.get("category_label"),
                categories.category_keywords(code),
                categories.SHORT_NAMES.get(code or ""),
                code,
            ],
        )
    )
    place = " ".join(
        filter(
            None,
            [
                values.get("city"),
                values.get("postcode"),
                values.get("commune_code"),
                values.get("address_line"),
            ],
        )
    )
    other = " ".join(
        filter(
            None,
            [
                values.get("finess"),
                values.get("ej_finess"),
                values.get("siret"),
                *(_flatten(v) for v in extra.values()),
            ],
        )
    )
    return [" ".join(names), category, place, other]


def _flatten(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(_flatten(v) for v in value.values())
    if isinstance(value, list | tuple):
        return " ".join(_flatten(v) for v in value)
    return "" if value is None else str(value)


def _index_structure(
    db: sqlite_utils.Database, sid: int, values: dict, extra: dict, *, replace: bool
) -> None:
    if replace:
        db.execute("DELETE FROM directory_structures_fts WHERE rowid = ?", [sid])
    db.execute(
        "INSERT INTO directory_structures_fts (rowid, name, category, place, other)"
        " VALUES (?, ?, ?, ?, ?)",
        [sid, *_structure_index_text(values, extra)],
    )


def structure_for_import(db: sqlite_utils.Database, finess: str) -> tuple | None:
    """(id, content_hash, status, seen_import, extra) of the structure with this FINESS number."""
    return db.execute(
        "SELECT id, content_hash, status, seen_import, extra FROM directory_structures"
        " WHERE finess = ?",
        [finess],
    ).fetchone()


def insert_structure(
    db: sqlite_utils.Database,
    values: dict[str, Any],
    *,
    content_hash: str | None = None,
    import_id: int | None = None,
    extra: dict[str, Any] | None = None,
) -> int:
    now = utcnow_iso()
    extra = extra or {}
    cur = db.execute(
        f"INSERT INTO directory_structures ({_S_COLS}, extra, content_hash, seen_import,"
        f" created_at, updated_at) VALUES ({_S_MARKS}, ?, ?, ?, ?, ?)",
        [
            *(values.get(f) for f in STRUCTURE_FIELDS),
            json.dumps(extra, ensure_ascii=False),
            content_hash,
            import_id,
            now,
            now,
        ],
    )
    sid = cur.lastrowid
    _index_structure(db, sid, values, extra, replace=False)
    return sid


def update_structure(
    db: sqlite_utils.Database,
    sid: int,
    values: dict[str, Any],
    *,
    content_hash: str | None,
    import_id: int | None,
    extra: dict[str, Any],
) -> None:
    db.execute(
        f"UPDATE directory_structures SET {_S_SET}, content_hash = ?, seen_import = ?,"
        " updated_at = ? WHERE id = ?",
        [*(values.get(f) for f in STRUCTURE_FIELDS), content_hash, import_id, utcnow_iso(), sid],
    )
    _index_structure(db, sid, values, extra, replace=True)


def mark_structure_seen(db: sqlite_utils.Database, sid: int, import_id: int) -> None:
    db.execute("UPDATE directory_structures SET seen_import = ? WHERE id = ?", [import_id, sid])


def close_missing_structures(
    db: sqlite_utils.Database, source: str, kinds: Iterable[str], import_id: int, today: str
) -> int:
    """Mark closed the open structures of ``source`` and ``kinds`` that this import did not see."""
    kinds = list(kinds)
    if not kinds:
        return 0
    marks = ",".join("?" * len(kinds))
    cur = db.execute(
        "UPDATE directory_structures SET status = 'closed', closed_on = COALESCE(closed_on, ?),"
        " content_hash = NULL, updated_at = ?"
        f" WHERE source = ? AND kind IN ({marks}) AND status = 'open'"
        " AND (seen_import IS NULL OR seen_import != ?)",
        [today, utcnow_iso(), source, *kinds, import_id],
    )
    return cur.rowcount


def count_missing_structures(
    db: sqlite_utils.Database, source: str, kinds: Iterable[str], import_id: int
) -> tuple[int, int]:
    """(open entries of the source not seen by this import, open entries before the import)."""
    kinds = list(kinds)
    if not kinds:
        return 0, 0
    marks = ",".join("?" * len(kinds))
    row = db.execute(
        "SELECT SUM(seen_import IS NULL OR seen_import != ?), COUNT(*) FROM directory_structures"
        f" WHERE source = ? AND kind IN ({marks}) AND status = 'open'",
        [import_id, source, *kinds],
    ).fetchone()
    return int(row[0] or 0), int(row[1] or 0)


def get_structure(db: sqlite_utils.Database, sid: int) -> dict | None:
    return _row(db, "SELECT * FROM directory_structures WHERE id = ?", [sid])


def get_structure_by_finess(db: sqlite_utils.Database, finess: str) -> dict | None:
    return _row(db, "SELECT * FROM directory_structures WHERE finess = ?", [finess])


def establishments_of(db: sqlite_utils.Database, ej_finess: str) -> list[dict]:
    return _rows(
        db,
        "SELECT id, finess, name, category_code, category_label, city, status"
        " FROM directory_structures WHERE ej_finess = ? AND kind = 'ET'"
        " ORDER BY status, name",
        [ej_finess],
    )


def set_structure_extra(db: sqlite_utils.Database, sid: int, extra: dict[str, Any]) -> None:
    row = get_structure(db, sid)
    db.execute(
        "UPDATE directory_structures SET extra = ?, updated_at = ? WHERE id = ?",
        [json.dumps(extra, ensure_ascii=False), utcnow_iso(), sid],
    )
    _index_structure(db, sid, row, extra, replace=True)


def categories_in_use(db: sqlite_utils.Database) -> list[dict]:
    return _rows(
        db,
        "SELECT category_code AS code, MAX(category_label) AS label,"
        " SUM(status = 'open') AS open_count, COUNT(*) AS count"
        " FROM directory_structures WHERE category_code IS NOT NULL"
        " GROUP BY category_code ORDER BY label",
    )


def count_structures(db: sqlite_utils.Database) -> dict[str, int]:
    row = db.execute("SELECT COUNT(*), SUM(status = 'open') FROM directory_structures").fetchone()
    return {"total": row[0] or 0, "open": row[1] or 0}


@dataclass
class SearchQuery:
    """A search, already validated and translated (see :mod:`virage.directory.search`)."""

    match: str | None = None
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
#: Below this many structures in the bounding box, a text + distance search walks the box and
#: probes the full-text index for each; above, it ranks the text matches and checks the box.
GEO_FIRST_MAX_CANDIDATES = 1500


def _search(
    db: sqlite_utils.Database,
    q: SearchQuery,
    *,
    table: str,
    fts: str,
    columns: str,
    weights: str,
    filters: list[tuple[str, list[Any]]],
    name_order: str,
    floor: bool = False,
) -> tuple[list, int]:
    _register_functions(db)
    params: list[Any] = []
    where: list[str] = []
    box: tuple[float, float, float, float] | None = None
    if q.center is not None and q.radius_km is not None:
        box = _bbox(q.center[0], q.center[1], q.radius_km)
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
        where.append(f"+s.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?)")
        params.append(q.match)
    elif q.match:
        source = f"{fts} JOIN {table} s ON s.id = {fts}.rowid"
        rank = f"bm25({fts}, {weights})"
        where.append(f"{fts} MATCH ?")
        params.append(q.match)
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
            f" {_name_key(name_order)} AS name_key FROM {source}{where_sql})"
            f" ORDER BY {order_ids}"
        )
        ranked = db.execute(ids_sql, [*dist_params, *params]).fetchall()
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

    # bm25() in a subquery, so that the outer ORDER BY can use its alias.
    sql = (
        f"SELECT * FROM (SELECT {columns}, {rank} AS rank, {distance} AS distance_km"
        f" FROM {source}{where_sql}) ORDER BY {order} LIMIT ? OFFSET ?"
    )
    page_params = [*dist_params, *params, q.limit, q.offset]
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
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {source}{where_sql} LIMIT {COUNT_CAP + 1})",
            params,
        ).fetchone()[0]
    else:
        total = 0
    return rows, total


def _name_key(name_order: str) -> str:
    """The sort key of names, as one expression (``s.family_name || ' ' || …``)."""
    return " || ' ' || ".join(f"COALESCE(s.{c.strip()}, '')" for c in name_order.split(","))


def search_structures(
    db: sqlite_utils.Database, q: SearchQuery, *, floor: bool = False
) -> tuple[list, int]:
    """Structures matching ``q``; returns (rows of the page, total count).

    ``floor=True`` runs the same SQL without the total count and returns raw tuples: the cost of
    the query in SQLite alone, which the benchmark compares with the full search.
    """
    filters: list[tuple[str, list[Any]]] = []
    if q.kinds:
        filters.append((f"s.kind IN ({','.join('?' * len(q.kinds))})", list(q.kinds)))
    if q.categories:
        filters.append(
            (f"s.category_code IN ({','.join('?' * len(q.categories))})", list(q.categories))
        )
    if q.departement:
        filters.append(("s.departement = ?", [q.departement]))
    if q.commune_code:
        filters.append(("s.commune_code = ?", [q.commune_code]))
    return _search(
        db,
        q,
        table="directory_structures",
        fts="directory_structures_fts",
        columns=STRUCTURE_SUMMARY_COLUMNS,
        weights="10.0, 4.0, 2.0, 1.0",
        filters=filters,
        name_order="name",
        floor=floor,
    )


# --------------------------------------------------------------------------- professionals

PROFESSIONAL_FIELDS = (
    "idnps",
    "rpps",
    "adeli",
    "civility",
    "family_name",
    "given_name",
    "profession_code",
    "profession_label",
    "specialties",
    "mssante",
    "phone",
    "city",
    "commune_code",
    "departement",
    "lat",
    "lon",
    "status",
    "source",
)
_P_COLS = ", ".join(PROFESSIONAL_FIELDS)
_P_MARKS = ", ".join("?" * len(PROFESSIONAL_FIELDS))
_P_SET = ", ".join(f"{f} = ?" for f in PROFESSIONAL_FIELDS)


def _professional_index_text(values: dict[str, Any], places: list[str]) -> list[str]:
    specialties = json.loads(values.get("specialties") or "[]")
    return [
        " ".join(filter(None, [values.get("given_name"), values.get("family_name")])),
        " ".join(
            filter(None, [values.get("profession_label"), *(s.get("label") for s in specialties)])
        ),
        " ".join(places),
        " ".join(filter(None, [values.get("rpps"), values.get("adeli"), values.get("mssante")])),
    ]


def professional_for_import(db: sqlite_utils.Database, idnps: str) -> tuple | None:
    return db.execute(
        "SELECT id, content_hash, status, seen_import FROM directory_professionals WHERE idnps = ?",
        [idnps],
    ).fetchone()


def structure_ref(db: sqlite_utils.Database, finess: str) -> tuple | None:
    """(id, city, postcode, commune_code, departement, lat, lon) of a structure, for roles."""
    return db.execute(
        "SELECT id, city, postcode, commune_code, departement, lat, lon"
        " FROM directory_structures WHERE finess = ?",
        [finess],
    ).fetchone()


def save_professional(
    db: sqlite_utils.Database,
    values: dict[str, Any],
    roles: list[dict[str, Any]],
    places: list[str],
    *,
    pid: int | None = None,
    content_hash: str | None = None,
    import_id: int | None = None,
    user_id: int | None = None,
) -> int:
    """Insert (``pid`` None) or replace a professional, their roles and their index entry."""
    now = utcnow_iso()
    row = [values.get(f) for f in PROFESSIONAL_FIELDS]
    if pid is None:
        cur = db.execute(
            f"INSERT INTO directory_professionals ({_P_COLS}, user_id, content_hash,"
            f" seen_import, created_at, updated_at) VALUES ({_P_MARKS}, ?, ?, ?, ?, ?)",
            [*row, user_id, content_hash, import_id, now, now],
        )
        pid = cur.lastrowid
    else:
        db.execute(
            f"UPDATE directory_professionals SET {_P_SET}, content_hash = ?, seen_import = ?,"
            " updated_at = ? WHERE id = ?",
            [*row, content_hash, import_id, now, pid],
        )
        db.execute("DELETE FROM directory_roles WHERE professional_id = ?", [pid])
        db.execute("DELETE FROM directory_professionals_fts WHERE rowid = ?", [pid])
    if roles:
        db.conn.executemany(
            "INSERT INTO directory_roles (professional_id, structure_id, finess, function,"
            " phone, mssante) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    pid,
                    r.get("structure_id"),
                    r.get("finess"),
                    r.get("function"),
                    r.get("phone"),
                    r.get("mssante"),
                )
                for r in roles
            ],
        )
    db.execute(
        "INSERT INTO directory_professionals_fts (rowid, name, profession, place, other)"
        " VALUES (?, ?, ?, ?, ?)",
        [pid, *_professional_index_text(values, places)],
    )
    return pid


def mark_professional_seen(db: sqlite_utils.Database, pid: int, import_id: int) -> None:
    db.execute("UPDATE directory_professionals SET seen_import = ? WHERE id = ?", [import_id, pid])


def close_missing_professionals(db: sqlite_utils.Database, source: str, import_id: int) -> int:
    cur = db.execute(
        "UPDATE directory_professionals SET status = 'closed', content_hash = NULL,"
        " updated_at = ? WHERE source = ? AND status = 'open'"
        " AND (seen_import IS NULL OR seen_import != ?)",
        [utcnow_iso(), source, import_id],
    )
    return cur.rowcount


def count_missing_professionals(
    db: sqlite_utils.Database, source: str, import_id: int
) -> tuple[int, int]:
    row = db.execute(
        "SELECT SUM(seen_import IS NULL OR seen_import != ?), COUNT(*)"
        " FROM directory_professionals WHERE source = ? AND status = 'open'",
        [import_id, source],
    ).fetchone()
    return int(row[0] or 0), int(row[1] or 0)


def link_professionals_to_users(db: sqlite_utils.Database) -> int:
    """Link directory entries to the user accounts that carry the same RPPS number."""
    cur = db.execute(
        "UPDATE directory_professionals SET user_id ="
        " (SELECT u.id FROM users u WHERE u.rpps = directory_professionals.rpps AND u.active = 1)"
        " WHERE rpps IS NOT NULL AND user_id IS NULL"
        " AND EXISTS (SELECT 1 FROM users u WHERE u.rpps = directory_professionals.rpps"
        " AND u.active = 1)"
    )
    return cur.rowcount


def set_professional_user(db: sqlite_utils.Database, pid: int, user_id: int | None) -> None:
    db.execute(
        "UPDATE directory_professionals SET user_id = ?, updated_at = ? WHERE id = ?",
        [user_id, utcnow_iso(), pid],
    )


def get_professional(db: sqlite_utils.Database, pid: int) -> dict | None:
    return _row(db, "SELECT * FROM directory_professionals WHERE id = ?", [pid])


def professional_of_user(db: sqlite_utils.Database, user_id: int) -> dict | None:
    return _row(db, "SELECT * FROM directory_professionals WHERE user_id = ?", [user_id])


def roles_of(db: sqlite_utils.Database, pid: int) -> list[dict]:
    return _rows(
        db,
        "SELECT r.id, r.function, r.phone, r.mssante, r.finess, r.structure_id,"
        " s.name AS structure_name, s.city, s.postcode, s.address_line, s.status"
        " FROM directory_roles r LEFT JOIN directory_structures s ON s.id = r.structure_id"
        " WHERE r.professional_id = ? ORDER BY r.id",
        [pid],
    )


def get_role(db: sqlite_utils.Database, role_id: int) -> dict | None:
    return _row(db, "SELECT * FROM directory_roles WHERE id = ?", [role_id])


def professionals_in(db: sqlite_utils.Database, structure_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT p.id, p.civility, p.family_name, p.given_name, p.profession_label,"
        " r.function, p.status FROM directory_roles r"
        " JOIN directory_professionals p ON p.id = r.professional_id"
        " WHERE r.structure_id = ? ORDER BY p.status, p.family_name, p.given_name",
        [structure_id],
    )


PROFESSIONAL_SUMMARY_COLUMNS = (
    "s.id, s.idnps, s.rpps, s.adeli, s.civility, s.family_name, s.given_name,"
    " s.profession_code, s.profession_label, s.specialties, s.city, s.departement, s.phone,"
    " s.mssante, s.lat, s.lon, s.status"
)


def search_professionals(
    db: sqlite_utils.Database, q: SearchQuery, *, floor: bool = False
) -> tuple[list, int]:
    filters: list[tuple[str, list[Any]]] = []
    if q.professions:
        filters.append(
            (f"s.profession_code IN ({','.join('?' * len(q.professions))})", list(q.professions))
        )
    if q.departement:
        filters.append(("s.departement = ?", [q.departement]))
    if q.commune_code:
        filters.append(("s.commune_code = ?", [q.commune_code]))
    return _search(
        db,
        q,
        table="directory_professionals",
        fts="directory_professionals_fts",
        columns=PROFESSIONAL_SUMMARY_COLUMNS,
        weights="10.0, 4.0, 2.0, 1.0",
        filters=filters,
        name_order="family_name, given_name",
        floor=floor,
    )


def professions_in_use(db: sqlite_utils.Database) -> list[dict]:
    return _rows(
        db,
        "SELECT profession_code AS code, MAX(profession_label) AS label, COUNT(*) AS count"
        " FROM directory_professionals WHERE profession_code IS NOT NULL"
        " GROUP BY profession_code ORDER BY label",
    )


# --------------------------------------------------------------------------- communes


def refresh_communes(db: sqlite_utils.Database) -> None:
    """Rebuild the communes known to the directory from its structures (centre = mean position)."""
    rows = db.execute(
        "SELECT commune_code, MAX(city), MAX(departement), MIN(postcode), AVG(lat), AVG(lon)"
        " FROM directory_structures WHERE commune_code IS NOT NULL AND city IS NOT NULL"
        " GROUP BY commune_code"
    ).fetchall()
    db.execute("DELETE FROM directory_communes")
    db.conn.executemany(
        "INSERT INTO directory_communes (code, name, name_key, departement, postcode, lat, lon)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(code, name, fold(name), dep, pc, lat, lon) for code, name, dep, pc, lat, lon in rows],
    )


def find_communes(db: sqlite_utils.Database, text: str, limit: int = 10) -> list[dict]:
    """Communes by INSEE code, postcode, or name (accent-insensitive; exact first, then prefix)."""
    text = text.strip()
    if text.isdigit() or (len(text) == 5 and text[:2].upper() in ("2A", "2B")):
        return _rows(
            db,
            "SELECT * FROM directory_communes WHERE code = ? OR postcode = ?"
            " ORDER BY code = ? DESC, name LIMIT ?",
            [text.upper(), text, text.upper(), limit],
        )
    key = fold(text)
    if not key:
        return []
    return _rows(
        db,
        "SELECT * FROM directory_communes WHERE name_key = ? OR name_key LIKE ?"
        " ORDER BY name_key = ? DESC, length(name_key), name LIMIT ?",
        [key, key.replace("%", "").replace("_", "") + "%", key, limit],
    )


# --------------------------------------------------------------------------- imports


def start_import(
    db: sqlite_utils.Database, source: str, fmt: str, filename: str, actor: str, partial: bool
) -> int:
    cur = db.execute(
        "INSERT INTO directory_imports (source, format, filename, actor, partial, started_at,"
        " status) VALUES (?, ?, ?, ?, ?, ?, 'running')",
        [source, fmt, filename, actor, int(partial), utcnow_iso()],
    )
    return cur.lastrowid


def finish_import(
    db: sqlite_utils.Database,
    import_id: int,
    status: str,
    report: dict[str, Any],
    generated_at: str | None,
) -> None:
    db.execute(
        "UPDATE directory_imports SET status = ?, finished_at = ?, report = ?, generated_at = ?"
        " WHERE id = ?",
        [status, utcnow_iso(), json.dumps(report, ensure_ascii=False), generated_at, import_id],
    )


def record_failed_import(
    db: sqlite_utils.Database,
    source: str,
    fmt: str | None,
    filename: str,
    actor: str,
    partial: bool,
    report: dict[str, Any],
) -> int:
    now = utcnow_iso()
    cur = db.execute(
        "INSERT INTO directory_imports (source, format, filename, actor, partial, started_at,"
        " finished_at, status, report) VALUES (?, ?, ?, ?, ?, ?, ?, 'failed', ?)",
        [
            source,
            fmt,
            filename,
            actor,
            int(partial),
            now,
            now,
            json.dumps(report, ensure_ascii=False),
        ],
    )
    return cur.lastrowid


def list_imports(db: sqlite_utils.Database, limit: int = 50) -> list[dict]:
    rows = _rows(db, "SELECT * FROM directory_imports ORDER BY id DESC LIMIT ?", [limit])
    for r in rows:
        r["report"] = json.loads(r["report"] or "{}")
    return rows


def last_successful_import(db: sqlite_utils.Database, source: str) -> dict | None:
    return _row(
        db,
        "SELECT id, source, format, filename, finished_at, generated_at FROM directory_imports"
        " WHERE source = ? AND status = 'done' ORDER BY id DESC LIMIT 1",
        [source],
    )

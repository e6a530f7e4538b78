"""The SQL of imports: look-ups and writes a batch of records at a time, counts and closures.

An import holds the write lock from its first statement (SQLite's ``BEGIN IMMEDIATE``; on
PostgreSQL, :func:`lock_for_import` locks the directory's tables against other writers, readers
go on), so the ids of new rows are given here (after the largest one), which lets one
``executemany`` write a batch of entities, their roles and their index entries (PostgreSQL sends
a batch in one pipeline).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from virage.db import Database, utcnow_iso
from virage.directory import search_index_storage as search_index
from virage.directory.professional_storage import (
    PROFESSIONAL_FIELDS,
    professional_index_row,
)
from virage.directory.storage import STRUCTURE_FIELDS, structure_index_row

_S_COLS = ", ".join(STRUCTURE_FIELDS)
_S_MARKS = ", ".join("?" * len(STRUCTURE_FIELDS))
_S_SET = ", ".join(f"{f} = ?" for f in STRUCTURE_FIELDS)
_P_COLS = ", ".join(PROFESSIONAL_FIELDS)
_P_MARKS = ", ".join("?" * len(PROFESSIONAL_FIELDS))
_P_SET = ", ".join(f"{f} = ?" for f in PROFESSIONAL_FIELDS)
_structure_row = itemgetter(*STRUCTURE_FIELDS)
_professional_row = itemgetter(*PROFESSIONAL_FIELDS)
#: SQLite accepts at least 999 parameters per statement.
_IN_CHUNK = 500


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start : start + _IN_CHUNK]


def lock_for_import(db: Database) -> None:
    """PostgreSQL: keep other writers of the directory out until the import's transaction ends,
    as SQLite's write lock does (searches still read)."""
    if db.dialect == "postgresql":
        db.execute(
            "LOCK TABLE directory_structures, directory_professionals, directory_roles,"
            " directory_communes, directory_structures_search, directory_professionals_search"
            " IN SHARE ROW EXCLUSIVE MODE"
        )


def _next_id(db: Database, table: str) -> int:
    return db.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()[0]


# --------------------------------------------------------------------------- counts


def count_open(db: Database, source: str) -> dict[str, int]:
    """Open entries of ``source`` per kind (ET, EJ, PS), and its structures with coordinates
    (``geolocated``)."""
    out = dict(
        db.execute(
            "SELECT kind, COUNT(*) FROM directory_structures WHERE source = ? AND status = 'open'"
            " GROUP BY kind",
            [source],
        ).fetchall()
    )
    out["geolocated"] = db.execute(
        "SELECT COUNT(*) FROM directory_structures WHERE source = ? AND lat IS NOT NULL", [source]
    ).fetchone()[0]
    out["PS"] = db.execute(
        "SELECT COUNT(*) FROM directory_professionals WHERE source = ? AND status = 'open'",
        [source],
    ).fetchone()[0]
    return out


# --------------------------------------------------------------------------- structures


def structures_for_import(db: Database, numbers: Sequence[str]) -> dict[str, tuple]:
    """FINESS number → (id, content_hash, status, seen_import, extra, has coordinates)."""
    found: dict[str, tuple] = {}
    for chunk in _chunks(list(numbers)):
        for row in db.execute(
            "SELECT finess, id, content_hash, status, seen_import, extra, lat IS NOT NULL"
            f" FROM directory_structures WHERE finess IN ({','.join('?' * len(chunk))})",
            list(chunk),
        ):
            found[row[0]] = row[1:]
    return found


def insert_structures(
    db: Database, items: Sequence[tuple[dict[str, Any], str]], import_id: int
) -> None:
    """Insert new structures ((values with every field, content hash) each) and index them."""
    if not items:
        return
    first, now = _next_id(db, "directory_structures"), utcnow_iso()
    db.executemany(
        f"INSERT INTO directory_structures (id, {_S_COLS}, extra, content_hash, seen_import,"
        f" created_at, updated_at) VALUES (?, {_S_MARKS}, '{{}}', ?, ?, ?, ?)",
        [
            (first + i, *_structure_row(values), digest, import_id, now, now)
            for i, (values, digest) in enumerate(items)
        ],
    )
    search_index.add(
        db,
        search_index.STRUCTURES,
        [structure_index_row(first + i, values, {}) for i, (values, _d) in enumerate(items)],
    )


def update_structures(
    db: Database,
    items: Sequence[tuple[int, dict[str, Any], str, dict[str, Any]]],
    import_id: int,
) -> None:
    """Update structures ((id, values, content hash, network fields) each) and their index."""
    if not items:
        return
    now = utcnow_iso()
    db.executemany(
        f"UPDATE directory_structures SET {_S_SET}, content_hash = ?, seen_import = ?,"
        " updated_at = ? WHERE id = ?",
        [
            (*_structure_row(values), digest, import_id, now, sid)
            for sid, values, digest, _extra in items
        ],
    )
    search_index.replace(
        db,
        search_index.STRUCTURES,
        [structure_index_row(sid, values, extra) for sid, values, _d, extra in items],
    )


def mark_structures_seen(db: Database, ids: Iterable[int], import_id: int) -> None:
    db.executemany(
        "UPDATE directory_structures SET seen_import = ? WHERE id = ?",
        [(import_id, sid) for sid in ids],
    )


def _missing_structures(source: str, kinds: list[str], import_id: int) -> tuple[str, list]:
    marks = ",".join("?" * len(kinds))
    return (
        f"source = ? AND kind IN ({marks}) AND status = 'open'"
        " AND (seen_import IS NULL OR seen_import != ?)",
        [source, *kinds, import_id],
    )


def count_missing_structures(
    db: Database, source: str, kinds: Iterable[str], import_id: int
) -> int:
    """Open structures of ``source`` and ``kinds`` that this import did not see."""
    kinds = list(kinds)
    if not kinds:
        return 0
    where, params = _missing_structures(source, kinds, import_id)
    return db.execute(
        f"SELECT COUNT(*) FROM directory_structures WHERE {where}", params
    ).fetchone()[0]


def close_missing_structures(
    db: Database, source: str, kinds: Iterable[str], import_id: int, today: str
) -> int:
    """Mark closed the open structures of ``source`` and ``kinds`` that this import did not see."""
    kinds = list(kinds)
    if not kinds:
        return 0
    where, params = _missing_structures(source, kinds, import_id)
    ids = [r[0] for r in db.execute(f"SELECT id FROM directory_structures WHERE {where}", params)]
    now = utcnow_iso()
    for chunk in _chunks(ids):
        db.execute(
            "UPDATE directory_structures SET status = 'closed', closed_on = COALESCE(closed_on, ?),"
            f" content_hash = NULL, updated_at = ? WHERE id IN ({','.join('?' * len(chunk))})",
            [today, now, *chunk],
        )
    search_index.mark_closed(db, search_index.STRUCTURES, ids)
    return len(ids)


# --------------------------------------------------------------------------- professionals


def structure_refs(db: Database, limit: int) -> dict[str, tuple] | None:
    """Every structure's reference for roles, by FINESS number (as
    :func:`virage.directory.professional_storage.structure_ref` gives one), in one query rather
    than one per structure (a round trip each on PostgreSQL); ``None`` beyond ``limit``."""
    if db.execute("SELECT COUNT(*) FROM directory_structures").fetchone()[0] > limit:
        return None
    return {
        row[0]: tuple(row[1:])
        for row in db.execute(
            "SELECT finess, id, city, postcode, commune_code, departement, lat, lon"
            " FROM directory_structures WHERE finess IS NOT NULL"
        )
    }


def professionals_for_import(db: Database, ids: Sequence[str]) -> dict[str, tuple]:
    """IDNPS → (id, content_hash, status, seen_import)."""
    found: dict[str, tuple] = {}
    for chunk in _chunks(list(ids)):
        for row in db.execute(
            "SELECT idnps, id, content_hash, status, seen_import FROM directory_professionals"
            f" WHERE idnps IN ({','.join('?' * len(chunk))})",
            list(chunk),
        ):
            found[row[0]] = row[1:]
    return found


Professional = tuple[dict[str, Any], list[dict[str, Any]], list[str], str]  # values, roles…


def save_professionals(
    db: Database,
    new: Sequence[Professional],
    changed: Sequence[tuple[int, Professional]],
    import_id: int,
) -> None:
    """Insert ``new`` professionals and update ``changed`` ones, with roles and index entries."""
    now = utcnow_iso()
    first = _next_id(db, "directory_professionals")
    db.executemany(
        f"INSERT INTO directory_professionals (id, {_P_COLS}, content_hash, seen_import,"
        f" created_at, updated_at) VALUES (?, {_P_MARKS}, ?, ?, ?, ?)",
        [
            (first + i, *_professional_row(values), digest, import_id, now, now)
            for i, (values, _roles, _places, digest) in enumerate(new)
        ],
    )
    db.executemany(
        f"UPDATE directory_professionals SET {_P_SET}, content_hash = ?, seen_import = ?,"
        " updated_at = ? WHERE id = ?",
        [
            (*_professional_row(values), digest, import_id, now, pid)
            for pid, (values, _roles, _places, digest) in changed
        ],
    )
    db.executemany(
        "DELETE FROM directory_roles WHERE professional_id = ?", [(pid,) for pid, _p in changed]
    )
    every = [(first + i, p) for i, p in enumerate(new)] + list(changed)
    db.executemany(
        "INSERT INTO directory_roles (professional_id, structure_id, finess, function, phone,"
        " mssante) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (pid, *(r.get(k) for k in ("structure_id", "finess", "function", "phone", "mssante")))
            for pid, (_values, roles, _places, _digest) in every
            for r in roles
        ],
    )
    rows = [professional_index_row(pid, values, places) for pid, (values, _r, places, _d) in every]
    search_index.replace(db, search_index.PROFESSIONALS, rows[len(new) :])
    search_index.add(db, search_index.PROFESSIONALS, rows[: len(new)])


def mark_professionals_seen(db: Database, ids: Iterable[int], import_id: int) -> None:
    db.executemany(
        "UPDATE directory_professionals SET seen_import = ? WHERE id = ?",
        [(import_id, pid) for pid in ids],
    )


def count_missing_professionals(db: Database, source: str, import_id: int) -> int:
    return db.execute(
        "SELECT COUNT(*) FROM directory_professionals WHERE source = ? AND status = 'open'"
        " AND (seen_import IS NULL OR seen_import != ?)",
        [source, import_id],
    ).fetchone()[0]


def close_missing_professionals(db: Database, source: str, import_id: int) -> int:
    ids = [
        r[0]
        for r in db.execute(
            "SELECT id FROM directory_professionals WHERE source = ? AND status = 'open'"
            " AND (seen_import IS NULL OR seen_import != ?)",
            [source, import_id],
        )
    ]
    now = utcnow_iso()
    for chunk in _chunks(ids):
        db.execute(
            "UPDATE directory_professionals SET status = 'closed', content_hash = NULL,"
            f" updated_at = ? WHERE id IN ({','.join('?' * len(chunk))})",
            [now, *chunk],
        )
    search_index.mark_closed(db, search_index.PROFESSIONALS, ids)
    return len(ids)


def extra_of(value: str | None) -> dict[str, Any]:
    return json.loads(value or "{}")


def enlarge_cache(db: Database, kib: int) -> int:
    """Give this connection a page cache of ``kib`` KiB for a bulk import; returns the setting to
    give back to :func:`restore_cache` (SQLite; PostgreSQL's cache is the server's)."""
    if db.dialect != "sqlite":
        return 0
    previous = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = -{int(kib)}")
    return int(previous)


def restore_cache(db: Database, previous: int) -> None:
    if db.dialect != "sqlite":
        return
    db.execute(f"PRAGMA cache_size = {int(previous)}")

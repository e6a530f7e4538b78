"""Storage of the directory: structures, professionals, their roles and communes, with their
full-text index (see :mod:`.search_index_storage`), written by the same functions that write the entities, so that it
never drifts. The only SQL of the domain, with its siblings :mod:`.schema` (tables),
:mod:`.search_sql` (searches) and :mod:`.import_log_storage` (history of imports), whose public names are
re-exported here.
"""

from __future__ import annotations

import json
from typing import Any

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row
from virage.directory import categories
from virage.directory import search_index_storage as search_index
from virage.directory.import_log_storage import (  # noqa: F401 - re-exported
    finish_import,
    last_successful_import,
    list_imports,
    record_failed_import,
    start_import,
)
from virage.directory.normalize import fold
from virage.directory.professional_storage import (  # noqa: F401 - re-exported
    PROFESSIONAL_FIELDS,
    get_professional,
    get_role,
    link_professionals_to_users,
    professional_for_import,
    professional_of_user,
    professionals_in,
    professions_in_use,
    roles_of,
    save_professional,
    set_professional_user,
    structure_ref,
)
from virage.directory.schema import create_search_index, create_tables  # noqa: F401
from virage.directory.search_sql import (  # noqa: F401 - re-exported
    COUNT_CAP,
    PROFESSIONAL_SUMMARY_COLUMNS,
    STRUCTURE_SUMMARY_COLUMNS,
    SearchQuery,
    Term,
    haversine_km,
    search_professionals,
    search_structures,
)

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


def structure_index_row(sid: int, values: dict[str, Any], extra: dict[str, Any]) -> tuple:
    """The entry of a structure in the search index (see :mod:`.search_index_storage`)."""
    return (
        sid,
        *_structure_index_text(values, extra),
        search_index.structure_facets(
            values.get("status"),
            values.get("kind"),
            values.get("category_code"),
            values.get("departement"),
            values.get("commune_code"),
        ),
    )


def insert_structure(
    db: Database,
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
        f" created_at, updated_at) VALUES ({_S_MARKS}, ?, ?, ?, ?, ?) RETURNING id",
        [
            *(values.get(f) for f in STRUCTURE_FIELDS),
            json.dumps(extra, ensure_ascii=False),
            content_hash,
            import_id,
            now,
            now,
        ],
    )
    sid = cur.fetchone()[0]
    search_index.add(db, search_index.STRUCTURES, [structure_index_row(sid, values, extra)])
    return sid


def update_structure(
    db: Database,
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
    search_index.replace(db, search_index.STRUCTURES, [structure_index_row(sid, values, extra)])


def get_structure(db: Database, sid: int) -> dict | None:
    return _row(db, "SELECT * FROM directory_structures WHERE id = ?", [sid])


def get_structure_by_finess(db: Database, finess: str) -> dict | None:
    return _row(db, "SELECT * FROM directory_structures WHERE finess = ?", [finess])


def establishments_of(db: Database, ej_finess: str) -> list[dict]:
    return _rows(
        db,
        "SELECT id, finess, name, category_code, category_label, city, status"
        " FROM directory_structures WHERE ej_finess = ? AND kind = 'ET'"
        " ORDER BY status, name",
        [ej_finess],
    )


def set_structure_extra(db: Database, sid: int, extra: dict[str, Any]) -> None:
    row = get_structure(db, sid)
    db.execute(
        "UPDATE directory_structures SET extra = ?, updated_at = ? WHERE id = ?",
        [json.dumps(extra, ensure_ascii=False), utcnow_iso(), sid],
    )
    search_index.replace(db, search_index.STRUCTURES, [structure_index_row(sid, row, extra)])


def categories_in_use(db: Database) -> list[dict]:
    return _rows(
        db,
        "SELECT category_code AS code, MAX(category_label) AS label,"
        " SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open_count, COUNT(*) AS count"
        " FROM directory_structures WHERE category_code IS NOT NULL"
        " GROUP BY category_code ORDER BY label",
    )


def count_structures(db: Database) -> dict[str, int]:
    row = db.execute(
        "SELECT COUNT(*), SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END)"
        " FROM directory_structures"
    ).fetchone()
    return {"total": row[0] or 0, "open": row[1] or 0}


# --------------------------------------------------------------------------- communes


def refresh_communes(db: Database) -> None:
    """Rebuild the communes known to the directory from its structures (centre = mean position)."""
    rows = db.execute(
        "SELECT commune_code, MAX(city), MAX(departement), MIN(postcode), AVG(lat), AVG(lon)"
        " FROM directory_structures WHERE commune_code IS NOT NULL AND city IS NOT NULL"
        " GROUP BY commune_code"
    ).fetchall()
    db.execute("DELETE FROM directory_communes")
    db.executemany(
        "INSERT INTO directory_communes (code, name, name_key, departement, postcode, lat, lon)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(code, name, fold(name), dep, pc, lat, lon) for code, name, dep, pc, lat, lon in rows],
    )


def find_communes(db: Database, text: str, limit: int = 10) -> list[dict]:
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

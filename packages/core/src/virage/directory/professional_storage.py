"""Storage of the directory's professionals and their roles in structures, with their full-text
index (``directory_professionals_fts``). Re-exported by :mod:`.storage`."""

from __future__ import annotations

import json
from typing import Any

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row
from virage.directory import search_index_storage as search_index

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


def professional_index_row(pid: int, values: dict[str, Any], places: list[str]) -> tuple:
    """The entry of a professional in the search index (see :mod:`.search_index_storage`)."""
    specialties = json.loads(values.get("specialties") or "[]")
    return (
        pid,
        " ".join(filter(None, [values.get("given_name"), values.get("family_name")])),
        " ".join(
            filter(None, [values.get("profession_label"), *(s.get("label") for s in specialties)])
        ),
        " ".join(places),
        " ".join(filter(None, [values.get("rpps"), values.get("adeli"), values.get("mssante")])),
        search_index.professional_facets(
            values.get("status"),
            values.get("profession_code"),
            values.get("departement"),
            values.get("commune_code"),
        ),
    )


def professional_for_import(db: Database, idnps: str) -> tuple | None:
    return db.execute(
        "SELECT id, content_hash, status, seen_import FROM directory_professionals WHERE idnps = ?",
        [idnps],
    ).fetchone()


def structure_ref(db: Database, finess: str) -> tuple | None:
    """(id, city, postcode, commune_code, departement, lat, lon) of a structure, for roles."""
    return db.execute(
        "SELECT id, city, postcode, commune_code, departement, lat, lon"
        " FROM directory_structures WHERE finess = ?",
        [finess],
    ).fetchone()


def save_professional(
    db: Database,
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
            f" seen_import, created_at, updated_at) VALUES ({_P_MARKS}, ?, ?, ?, ?, ?)"
            " RETURNING id",
            [*row, user_id, content_hash, import_id, now, now],
        )
        pid = cur.fetchone()[0]
        index_rows = search_index.add
    else:
        db.execute(
            f"UPDATE directory_professionals SET {_P_SET}, content_hash = ?, seen_import = ?,"
            " updated_at = ? WHERE id = ?",
            [*row, content_hash, import_id, now, pid],
        )
        db.execute("DELETE FROM directory_roles WHERE professional_id = ?", [pid])
        index_rows = search_index.replace
    if roles:
        db.executemany(
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
    index_rows(db, search_index.PROFESSIONALS, [professional_index_row(pid, values, places)])
    return pid


def link_professionals_to_users(db: Database, users_by_rpps: dict[str, int]) -> int:
    """Link the directory entries not linked yet to the user accounts that carry the same RPPS
    number (``{rpps: user id}``, given by the accounts domain); return how many were linked."""
    if not users_by_rpps:
        return 0
    accounts = json.dumps(users_by_rpps)
    if db.dialect == "postgresql":
        cur = db.execute(
            "UPDATE directory_professionals p SET user_id = a.value::bigint"
            " FROM jsonb_each_text(?::jsonb) a WHERE a.key = p.rpps AND p.user_id IS NULL",
            [accounts],
        )
        return cur.rowcount
    cur = db.execute(
        "UPDATE directory_professionals SET user_id ="
        " (SELECT a.value FROM json_each(?) a WHERE a.key = directory_professionals.rpps)"
        " WHERE user_id IS NULL AND rpps IN (SELECT key FROM json_each(?))",
        [accounts, accounts],
    )
    return cur.rowcount


def set_professional_user(db: Database, pid: int, user_id: int | None) -> None:
    db.execute(
        "UPDATE directory_professionals SET user_id = ?, updated_at = ? WHERE id = ?",
        [user_id, utcnow_iso(), pid],
    )


def get_professional(db: Database, pid: int) -> dict | None:
    return _row(db, "SELECT * FROM directory_professionals WHERE id = ?", [pid])


def professional_of_user(db: Database, user_id: int) -> dict | None:
    return _row(db, "SELECT * FROM directory_professionals WHERE user_id = ?", [user_id])


def roles_of(db: Database, pid: int) -> list[dict]:
    return _rows(
        db,
        "SELECT r.id, r.function, r.phone, r.mssante, r.finess, r.structure_id,"
        " s.name AS structure_name, s.city, s.postcode, s.address_line, s.status"
        " FROM directory_roles r LEFT JOIN directory_structures s ON s.id = r.structure_id"
        " WHERE r.professional_id = ? ORDER BY r.id",
        [pid],
    )


def get_role(db: Database, role_id: int) -> dict | None:
    return _row(db, "SELECT * FROM directory_roles WHERE id = ?", [role_id])


def professionals_in(db: Database, structure_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT p.id, p.civility, p.family_name, p.given_name, p.profession_label,"
        " r.function, p.status FROM directory_roles r"
        " JOIN directory_professionals p ON p.id = r.professional_id"
        " WHERE r.structure_id = ? ORDER BY p.status, p.family_name, p.given_name",
        [structure_id],
    )


def professions_in_use(db: Database) -> list[dict]:
    return _rows(
        db,
        "SELECT profession_code AS code, MAX(profession_label) AS label, COUNT(*) AS count"
        " FROM directory_professionals WHERE profession_code IS NOT NULL"
        " GROUP BY profession_code ORDER BY label",
    )

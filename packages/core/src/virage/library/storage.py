"""Storage of the library: ``library_folders``, ``library_documents`` and ``library_versions``.

Every row carries its structure (row security on PostgreSQL). A document's ``search_text`` is its
title and the text of its current version, normalised (:mod:`virage.library.text`).
"""

from __future__ import annotations

from typing import Any

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row
from virage.db_policies import structure_policy

TABLES = ("library_folders", "library_documents", "library_versions")
#: Bounds per structure and per document.
MAX_FOLDERS = 300
MAX_DOCUMENTS = 2000
MAX_VERSIONS = 100
MAX_RESULTS = 50

_DOC_COLUMNS = (
    "d.id, d.structure_id, d.folder_id, d.title, d.kind, d.takeaway, d.current_version_id,"
    " d.created_at, d.updated_at, v.number AS version_number, v.filename, v.media_type, v.size,"
    " v.added_at AS version_added_at, v.added_by_label AS version_added_by"
)
_DOC_FROM = " FROM library_documents d LEFT JOIN library_versions v ON v.id = d.current_version_id"


def create_tables(db: Database) -> None:
    """Migration ``core/0165_library``."""
    db.execute(
        """CREATE TABLE library_folders (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            parent_id INTEGER,
            name TEXT NOT NULL,
            depth INTEGER NOT NULL,
            created_by_label TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX library_folders_parent ON library_folders (structure_id, parent_id)")
    db.execute(
        """CREATE TABLE library_documents (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            folder_id INTEGER,
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            takeaway INTEGER NOT NULL DEFAULT 0,
            current_version_id INTEGER,
            search_text TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        "CREATE INDEX library_documents_folder ON library_documents (structure_id, folder_id)"
    )
    db.execute(
        """CREATE TABLE library_versions (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            document_id INTEGER NOT NULL,
            number INTEGER NOT NULL,
            filename TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            added_by INTEGER,
            added_by_label TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL,
            UNIQUE (document_id, number)
        )"""
    )


def create_row_security(db: Database) -> None:
    """Migration ``core/0166_row_security_library`` (PostgreSQL; nothing on SQLite)."""
    for table in TABLES:
        structure_policy(db, table)


# ------------------------------------------------------------------ folders


def folder(db: Database, folder_id: int) -> dict | None:
    return _row(db, "SELECT * FROM library_folders WHERE id = ?", [folder_id])


def folders(db: Database, structure_id: int, parent_id: int | None) -> list[dict]:
    if parent_id is None:
        sql, params = "parent_id IS NULL", [structure_id]
    else:
        sql, params = "parent_id = ?", [structure_id, parent_id]
    return _rows(
        db,
        f"SELECT * FROM library_folders WHERE structure_id = ? AND {sql} ORDER BY name, id",
        params,
    )


def all_folders(db: Database, structure_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT * FROM library_folders WHERE structure_id = ? ORDER BY depth, name, id",
        [structure_id],
    )


def count_folders(db: Database, structure_id: int) -> int:
    return _row(
        db, "SELECT count(*) AS n FROM library_folders WHERE structure_id = ?", [structure_id]
    )["n"]


def add_folder(
    db: Database, structure_id: int, parent_id: int | None, name: str, depth: int, by: str
) -> int:
    cur = db.execute(
        "INSERT INTO library_folders (structure_id, parent_id, name, depth, created_by_label,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        [structure_id, parent_id, name, depth, by, utcnow_iso()],
    )
    return cur.fetchone()[0]


# ------------------------------------------------------------------ documents


def document(db: Database, document_id: int) -> dict | None:
    return _row(db, f"SELECT {_DOC_COLUMNS}{_DOC_FROM} WHERE d.id = ?", [document_id])


def documents(db: Database, structure_id: int, folder_id: int | None) -> list[dict]:
    where = "d.folder_id IS NULL" if folder_id is None else "d.folder_id = ?"
    params: list[Any] = [structure_id] if folder_id is None else [structure_id, folder_id]
    return _rows(
        db,
        f"SELECT {_DOC_COLUMNS}{_DOC_FROM} WHERE d.structure_id = ? AND {where}"
        " ORDER BY d.title, d.id",
        params,
    )


def count_documents(db: Database, structure_id: int) -> int:
    return _row(
        db, "SELECT count(*) AS n FROM library_documents WHERE structure_id = ?", [structure_id]
    )["n"]


def search(db: Database, structure_id: int, words: list[str]) -> list[dict]:
    """Documents whose title or current text holds every word (already normalised)."""
    if not words:
        return []
    likes = " AND ".join("d.search_text LIKE ?" for _ in words)
    return _rows(
        db,
        f"SELECT {_DOC_COLUMNS}{_DOC_FROM} WHERE d.structure_id = ? AND {likes}"
        f" ORDER BY d.title, d.id LIMIT {MAX_RESULTS}",
        [structure_id, *(f"%{w}%" for w in words)],
    )


def takeaway(db: Database, structure_ids: list[int]) -> list[dict]:
    if not structure_ids:
        return []
    marks = ", ".join("?" * len(structure_ids))
    return _rows(
        db,
        f"SELECT {_DOC_COLUMNS}{_DOC_FROM} WHERE d.takeaway = 1 AND d.structure_id IN ({marks})"
        f" ORDER BY d.title, d.id LIMIT {MAX_RESULTS}",
        structure_ids,
    )


def add_document(
    db: Database, structure_id: int, folder_id: int | None, title: str, kind: str
) -> int:
    now = utcnow_iso()
    cur = db.execute(
        "INSERT INTO library_documents (structure_id, folder_id, title, kind, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        [structure_id, folder_id, title, kind, now, now],
    )
    return cur.fetchone()[0]


def set_takeaway(db: Database, document_id: int, on: bool) -> None:
    db.execute(
        "UPDATE library_documents SET takeaway = ?, updated_at = ? WHERE id = ?",
        [1 if on else 0, utcnow_iso(), document_id],
    )


def set_title(db: Database, document_id: int, title: str, search_text: str) -> None:
    db.execute(
        "UPDATE library_documents SET title = ?, search_text = ?, updated_at = ? WHERE id = ?",
        [title, search_text, utcnow_iso(), document_id],
    )


# ------------------------------------------------------------------ versions


def versions(db: Database, document_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT id, document_id, number, filename, media_type, size, sha256, note, added_by_label,"
        " added_at FROM library_versions WHERE document_id = ? ORDER BY number DESC",
        [document_id],
    )


def version(db: Database, version_id: int) -> dict | None:
    return _row(db, "SELECT * FROM library_versions WHERE id = ?", [version_id])


def count_versions(db: Database, document_id: int) -> int:
    return _row(
        db, "SELECT count(*) AS n FROM library_versions WHERE document_id = ?", [document_id]
    )["n"]


def add_version(
    db: Database,
    document_id: int,
    values: dict[str, Any],
    user_id: int | None,
    user_label: str,
    search_text: str,
) -> int:
    """Adds the next version and makes it the current one; returns its id."""
    row = db.execute(
        "SELECT structure_id, COALESCE((SELECT max(number) FROM library_versions"
        " WHERE document_id = ?), 0) AS last FROM library_documents WHERE id = ?",
        [document_id, document_id],
    ).fetchone()
    structure_id, last = row[0], row[1]
    now = utcnow_iso()
    cur = db.execute(
        "INSERT INTO library_versions (structure_id, document_id, number, filename, media_type,"
        " size, sha256, text, note, added_by, added_by_label, added_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [
            structure_id,
            document_id,
            last + 1,
            values["filename"],
            values["media_type"],
            values["size"],
            values["sha256"],
            values["text"],
            values.get("note", ""),
            user_id,
            user_label,
            now,
        ],
    )
    version_id = cur.fetchone()[0]
    db.execute(
        "UPDATE library_documents SET current_version_id = ?, search_text = ?, updated_at = ?"
        " WHERE id = ?",
        [version_id, search_text, now, document_id],
    )
    return version_id


def current_text(db: Database, document_id: int) -> str:
    found = _row(
        db,
        "SELECT v.text FROM library_documents d JOIN library_versions v"
        " ON v.id = d.current_version_id WHERE d.id = ?",
        [document_id],
    )
    return found["text"] if found else ""


def known_shas(db: Database, limit: int) -> list[str]:
    """The files every version points to (at most ``limit``), for ``virage documents verifier``."""
    return [
        r["sha256"]
        for r in _rows(
            db,
            f"SELECT DISTINCT sha256 FROM library_versions ORDER BY sha256 LIMIT {int(limit)}",
            [],
        )
    ]

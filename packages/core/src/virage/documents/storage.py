"""Storage of the documents: ``person_documents`` (one row per file of a person, the file itself
in the blob store under its SHA-256) and ``document_inbox`` (documents sent to head office).

A row is written only once its file is durable; archiving keeps the row and the file. Rows follow
their structure on PostgreSQL (row security).
"""

from __future__ import annotations

from typing import Any

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row
from virage.db_policies import structure_policy

#: Documents kept per person (archived ones included): a long follow-up, bounded.
MAX_PER_PERSON = 2000
#: Items listed on one page of the inbox.
INBOX_PAGE = 200

COLUMNS = (
    "kind",
    "category",
    "title",
    "document_date",
    "media_type",
    "extension",
    "size",
    "sha256",
    "original_name",
    "series",
    "source",
)


def create_tables(db: Database) -> None:
    """Migration ``core/0160_documents``."""
    db.execute(
        """CREATE TABLE person_documents (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            person_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            category TEXT NOT NULL,
            title TEXT NOT NULL,
            document_date TEXT,
            media_type TEXT NOT NULL,
            extension TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            original_name TEXT NOT NULL DEFAULT '',
            series TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'upload',
            added_by INTEGER,
            added_by_label TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL,
            archived_at TEXT,
            archived_by_label TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX person_documents_person ON person_documents (person_id, category)")
    db.execute("CREATE INDEX person_documents_sha ON person_documents (sha256)")
    db.execute(
        """CREATE TABLE document_inbox (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            document_id INTEGER NOT NULL,
            person_id INTEGER NOT NULL,
            sent_by INTEGER,
            sent_by_label TEXT NOT NULL DEFAULT '',
            sent_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'a_classer',
            filed_by_label TEXT NOT NULL DEFAULT '',
            filed_at TEXT
        )"""
    )
    db.execute("CREATE INDEX document_inbox_structure ON document_inbox (structure_id, status)")
    db.execute("CREATE INDEX document_inbox_document ON document_inbox (document_id)")


def create_row_security(db: Database) -> None:
    """Migration ``core/0161_row_security_documents`` (PostgreSQL; nothing on SQLite)."""
    structure_policy(db, "person_documents")
    structure_policy(db, "document_inbox")


def add(
    db: Database,
    structure_id: int,
    person_id: int,
    values: dict[str, Any],
    user_id: int | None,
    user_label: str,
) -> int:
    row = {k: values.get(k) for k in COLUMNS}
    cols = ", ".join(row)
    marks = ", ".join("?" * len(row))
    cur = db.execute(
        f"INSERT INTO person_documents (structure_id, person_id, {cols}, added_by,"
        f" added_by_label, added_at) VALUES (?, ?, {marks}, ?, ?, ?) RETURNING id",
        [structure_id, person_id, *row.values(), user_id, user_label, utcnow_iso()],
    )
    return cur.fetchone()[0]


def count(db: Database, person_id: int) -> int:
    return _row(db, "SELECT count(*) AS n FROM person_documents WHERE person_id = ?", [person_id])[
        "n"
    ]


def listing(db: Database, person_id: int, categories: tuple[str, ...]) -> list[dict]:
    if not categories:
        return []
    marks = ", ".join("?" * len(categories))
    return _rows(
        db,
        f"SELECT * FROM person_documents WHERE person_id = ? AND category IN ({marks})"
        " AND archived_at IS NULL ORDER BY coalesce(document_date, added_at) DESC, id DESC"
        f" LIMIT {MAX_PER_PERSON}",
        [person_id, *categories],
    )


def document(db: Database, person_id: int, document_id: int) -> dict | None:
    return _row(
        db,
        "SELECT * FROM person_documents WHERE id = ? AND person_id = ?",
        [document_id, person_id],
    )


def archive(db: Database, document_id: int, label: str) -> None:
    db.execute(
        "UPDATE person_documents SET archived_at = ?, archived_by_label = ? WHERE id = ?",
        [utcnow_iso(), label, document_id],
    )


def reclassify(db: Database, document_id: int, kind: str, category: str, title: str) -> None:
    db.execute(
        "UPDATE person_documents SET kind = ?, category = ?, title = ? WHERE id = ?",
        [kind, category, title, document_id],
    )


def series_photos(db: Database, person_id: int, series: str) -> list[dict]:
    return _rows(
        db,
        "SELECT * FROM person_documents WHERE person_id = ? AND series = ? AND archived_at IS NULL"
        " AND media_type LIKE 'image/%' ORDER BY added_at, id LIMIT 500",
        [person_id, series],
    )


def all_for_person(db: Database, person_id: int) -> list[dict]:
    return _rows(db, "SELECT * FROM person_documents WHERE person_id = ? ORDER BY id", [person_id])


def withdraw(db: Database, document_id: int) -> None:
    """Remove one document's row and its head-office item (its file stays until no one names it,
    ``virage documents verifier --nettoyer``)."""
    db.execute("DELETE FROM document_inbox WHERE document_id = ?", [document_id])
    db.execute("DELETE FROM person_documents WHERE id = ?", [document_id])


def delete_person_data(db: Database, person_id: int) -> None:
    """Remove the person's rows. Their files stay until ``virage documents verifier --nettoyer``
    finds that no one (another person's row, the library, a plugin) names them any more."""
    db.execute("DELETE FROM document_inbox WHERE person_id = ?", [person_id])
    db.execute("DELETE FROM person_documents WHERE person_id = ?", [person_id])


def move_person(db: Database, kept_id: int, merged_id: int) -> None:
    for table in ("person_documents", "document_inbox"):
        db.execute(f"UPDATE {table} SET person_id = ? WHERE person_id = ?", [kept_id, merged_id])


def known_shas(db: Database, limit: int) -> list[str]:
    """Every SHA-256 rows point to (at most ``limit``), for ``virage documents verifier``."""
    return [
        r["sha256"]
        for r in _rows(
            db,
            f"SELECT DISTINCT sha256 FROM person_documents ORDER BY sha256 LIMIT {int(limit)}",
            [],
        )
    ]


# --------------------------------------------------------------------------- inbox


def send(
    db: Database, structure_id: int, document_id: int, person_id: int, user_id, label: str
) -> int:
    cur = db.execute(
        "INSERT INTO document_inbox (structure_id, document_id, person_id, sent_by,"
        " sent_by_label, sent_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        [structure_id, document_id, person_id, user_id, label, utcnow_iso()],
    )
    return cur.fetchone()[0]


def pending_for(db: Database, document_id: int) -> dict | None:
    return _row(
        db,
        "SELECT * FROM document_inbox WHERE document_id = ? AND status = 'a_classer'",
        [document_id],
    )


def inbox(db: Database, structure_ids: list[int], status: str) -> list[dict]:
    if not structure_ids:
        return []
    marks = ", ".join("?" * len(structure_ids))
    return _rows(
        db,
        "SELECT i.*, d.title, d.kind, d.document_date, d.media_type, d.size"
        " FROM document_inbox i JOIN person_documents d ON d.id = i.document_id"
        f" WHERE i.structure_id IN ({marks}) AND i.status = ?"
        f" ORDER BY i.sent_at DESC, i.id DESC LIMIT {INBOX_PAGE}",
        [*structure_ids, status],
    )


def inbox_item(db: Database, item_id: int) -> dict | None:
    return _row(db, "SELECT * FROM document_inbox WHERE id = ?", [item_id])


def file_item(db: Database, item_id: int, label: str) -> None:
    db.execute(
        "UPDATE document_inbox SET status = 'classe', filed_by_label = ?, filed_at = ?"
        " WHERE id = ?",
        [label, utcnow_iso(), item_id],
    )

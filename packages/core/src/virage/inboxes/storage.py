"""Storage of the organisational inboxes: ``inboxes`` (settings), ``inbox_items`` (what arrives),
``inbox_answers``, ``inbox_notes`` (handover notes) and ``inbox_routings`` (to whom each item
went, and why: arrival, escalation, handover — what a worker sees on « ce qui est enregistré sur
moi »). Every table carries ``structure_id``: on PostgreSQL, row security keeps each structure's
rows to itself.
"""

from __future__ import annotations

from typing import Any

from virage.db import Database
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row
from virage.db_policies import structure_policy

TABLES = ("inboxes", "inbox_items", "inbox_answers", "inbox_notes", "inbox_routings")
INBOX_FIELDS = (
    "name",
    "kind",
    "external_address",
    "reader_roles",
    "reader_user_ids",
    "claim_minutes",
    "manager_user_id",
)


def create_tables(db: Database) -> None:
    """Migration ``core/0175_inboxes``."""
    db.execute(
        """CREATE TABLE inboxes (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            external_address TEXT UNIQUE,
            reader_roles TEXT NOT NULL DEFAULT '',
            reader_user_ids TEXT NOT NULL DEFAULT '',
            claim_minutes INTEGER NOT NULL DEFAULT 15,
            manager_user_id INTEGER,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX inboxes_structure ON inboxes (structure_id)")
    db.execute(
        """CREATE TABLE inbox_items (
            id INTEGER PRIMARY KEY,
            inbox_id INTEGER NOT NULL,
            structure_id INTEGER NOT NULL,
            source TEXT NOT NULL,
            message_id TEXT,
            sender TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            person_id INTEGER,
            urgent INTEGER NOT NULL DEFAULT 0,
            received_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            routed_to INTEGER,
            routed_to_label TEXT,
            routed_at TEXT,
            escalation_level INTEGER NOT NULL DEFAULT 0,
            on_call_user_id INTEGER,
            claimed_by INTEGER,
            claimed_by_label TEXT,
            claimed_at TEXT,
            closed_by INTEGER,
            closed_by_label TEXT,
            closed_at TEXT,
            outcome TEXT,
            handover_note TEXT,
            handover_from_label TEXT,
            handed_over_at TEXT,
            posted_by INTEGER,
            UNIQUE (inbox_id, message_id)
        )"""
    )
    db.execute("CREATE INDEX inbox_items_inbox ON inbox_items (inbox_id, status)")
    db.execute("CREATE INDEX inbox_items_person ON inbox_items (person_id)")
    db.execute(
        """CREATE TABLE inbox_answers (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL,
            structure_id INTEGER NOT NULL,
            author_id INTEGER,
            author_label TEXT NOT NULL,
            body TEXT NOT NULL,
            sent_out INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX inbox_answers_item ON inbox_answers (item_id)")
    db.execute(
        """CREATE TABLE inbox_notes (
            id INTEGER PRIMARY KEY,
            inbox_id INTEGER NOT NULL,
            structure_id INTEGER NOT NULL,
            author_id INTEGER NOT NULL,
            author_label TEXT NOT NULL,
            note TEXT NOT NULL,
            written_at TEXT NOT NULL,
            used_at TEXT
        )"""
    )
    db.execute("CREATE INDEX inbox_notes_inbox ON inbox_notes (inbox_id, author_id)")
    db.execute(
        """CREATE TABLE inbox_routings (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL,
            structure_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX inbox_routings_user ON inbox_routings (user_id)")
    db.execute("CREATE INDEX inbox_routings_item ON inbox_routings (item_id)")


def create_row_security(db: Database) -> None:
    """Migration ``core/0176_row_security_inboxes`` (PostgreSQL; nothing on SQLite)."""
    for table in TABLES:
        structure_policy(db, table)


# --------------------------------------------------------------------------- inboxes


def create_inbox(db: Database, structure_id: int, values: dict[str, Any], at: str) -> int:
    cols = ", ".join(INBOX_FIELDS)
    marks = ", ".join("?" * len(INBOX_FIELDS))
    cur = db.execute(
        f"INSERT INTO inboxes (structure_id, {cols}, created_at) VALUES (?, {marks}, ?)"
        " RETURNING id",
        [structure_id, *(values[k] for k in INBOX_FIELDS), at],
    )
    return cur.fetchone()[0]


def update_inbox(db: Database, inbox_id: int, values: dict[str, Any]) -> None:
    sets = ", ".join(f"{k} = ?" for k in values)
    db.execute(f"UPDATE inboxes SET {sets} WHERE id = ?", [*values.values(), inbox_id])


def inbox(db: Database, inbox_id: int) -> dict | None:
    return _row(db, "SELECT * FROM inboxes WHERE id = ?", [inbox_id])


def inbox_by_address(db: Database, address: str) -> dict | None:
    return _row(db, "SELECT * FROM inboxes WHERE lower(external_address) = ?", [address.lower()])


def inboxes_of(db: Database, structure_ids: list[int], limit: int) -> list[dict]:
    if not structure_ids:
        return []
    marks = ", ".join("?" * len(structure_ids))
    return _rows(
        db,
        "SELECT i.*, (SELECT count(*) FROM inbox_items t WHERE t.inbox_id = i.id"
        " AND t.status != 'closed') AS open_items"
        f" FROM inboxes i WHERE i.structure_id IN ({marks}) ORDER BY i.name, i.id LIMIT ?",
        [*structure_ids, limit],
    )


def bridged(db: Database, limit: int) -> list[dict]:
    return _rows(
        db,
        "SELECT * FROM inboxes WHERE external_address IS NOT NULL AND external_address != ''"
        " ORDER BY id LIMIT ?",
        [limit],
    )


def on_call_inboxes(db: Database, limit: int) -> list[dict]:
    return _rows(db, "SELECT * FROM inboxes WHERE kind = 'on_call' ORDER BY id LIMIT ?", [limit])


# --------------------------------------------------------------------------- items


def item_by_message(db: Database, inbox_id: int, message_id: str) -> dict | None:
    return _row(
        db,
        "SELECT * FROM inbox_items WHERE inbox_id = ? AND message_id = ?",
        [inbox_id, message_id],
    )


def add_item(db: Database, values: dict[str, Any]) -> int:
    cols = ", ".join(values)
    marks = ", ".join("?" * len(values))
    cur = db.execute(
        f"INSERT INTO inbox_items ({cols}) VALUES ({marks}) RETURNING id", list(values.values())
    )
    return cur.fetchone()[0]


def item(db: Database, item_id: int) -> dict | None:
    return _row(db, "SELECT * FROM inbox_items WHERE id = ?", [item_id])


def update_item(db: Database, item_id: int, values: dict[str, Any], **where: Any) -> int:
    """Change an item; ``where`` adds conditions (``status="open"``): 0 when they no longer hold."""
    sets = ", ".join(f"{k} = ?" for k in values)
    cond = "".join(f" AND {k} = ?" for k in where)
    cur = db.execute(
        f"UPDATE inbox_items SET {sets} WHERE id = ?{cond}",
        [*values.values(), item_id, *where.values()],
    )
    return cur.rowcount


def items_of(db: Database, inbox_id: int, closed: bool, limit: int) -> list[dict]:
    op = "=" if closed else "!="
    order = "closed_at DESC" if closed else "received_at"
    return _rows(
        db,
        f"SELECT * FROM inbox_items WHERE inbox_id = ? AND status {op} 'closed'"
        f" ORDER BY {order}, id LIMIT ?",
        [inbox_id, limit],
    )


def open_items(db: Database, inbox_id: int, limit: int) -> list[dict]:
    return items_of(db, inbox_id, False, limit)


def add_routing(db: Database, item: dict, user_id: int, reason: str, at: str) -> None:
    db.execute(
        "INSERT INTO inbox_routings (item_id, structure_id, user_id, reason, at)"
        " VALUES (?, ?, ?, ?, ?)",
        [item["id"], item["structure_id"], user_id, reason, at],
    )


# --------------------------------------------------------------------------- answers, notes


def add_answer(db: Database, item: dict, author_id, label: str, body: str, sent, at: str) -> int:
    cur = db.execute(
        "INSERT INTO inbox_answers (item_id, structure_id, author_id, author_label, body,"
        " sent_out, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [item["id"], item["structure_id"], author_id, label, body, int(bool(sent)), at],
    )
    return cur.fetchone()[0]


def answers(db: Database, item_id: int, limit: int) -> list[dict]:
    return _rows(
        db, "SELECT * FROM inbox_answers WHERE item_id = ? ORDER BY id LIMIT ?", [item_id, limit]
    )


def count_answers(db: Database, item_id: int) -> int:
    return _row(db, "SELECT count(*) AS n FROM inbox_answers WHERE item_id = ?", [item_id])["n"]


def add_note(db: Database, inbox: dict, author_id: int, label: str, note: str, at: str) -> int:
    cur = db.execute(
        "INSERT INTO inbox_notes (inbox_id, structure_id, author_id, author_label, note,"
        " written_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        [inbox["id"], inbox["structure_id"], author_id, label, note, at],
    )
    return cur.fetchone()[0]


def pending_note(db: Database, inbox_id: int, author_id: int) -> dict | None:
    """The outgoing worker's latest note not yet handed over."""
    return _row(
        db,
        "SELECT * FROM inbox_notes WHERE inbox_id = ? AND author_id = ? AND used_at IS NULL"
        " ORDER BY id DESC LIMIT 1",
        [inbox_id, author_id],
    )


def use_notes(db: Database, inbox_id: int, author_id: int, at: str) -> None:
    db.execute(
        "UPDATE inbox_notes SET used_at = ? WHERE inbox_id = ? AND author_id = ?"
        " AND used_at IS NULL",
        [at, inbox_id, author_id],
    )


# --------------------------------------------------------------------------- persons, workers


def items_of_person(db: Database, person_id: int) -> list[dict]:
    return _rows(db, "SELECT * FROM inbox_items WHERE person_id = ? ORDER BY id", [person_id])


def answers_of_items(db: Database, item_ids: list[int]) -> list[dict]:
    if not item_ids:
        return []
    marks = ", ".join("?" * len(item_ids))
    return _rows(
        db, f"SELECT * FROM inbox_answers WHERE item_id IN ({marks}) ORDER BY id", item_ids
    )


def delete_person_data(db: Database, person_id: int) -> None:
    for table in ("inbox_answers", "inbox_routings"):
        db.execute(
            f"DELETE FROM {table} WHERE item_id IN"
            " (SELECT id FROM inbox_items WHERE person_id = ?)",
            [person_id],
        )
    db.execute("DELETE FROM inbox_items WHERE person_id = ?", [person_id])


def move_person(db: Database, kept_id: int, merged_id: int) -> int:
    cur = db.execute(
        "UPDATE inbox_items SET person_id = ? WHERE person_id = ?", [kept_id, merged_id]
    )
    return cur.rowcount


def worker_items(db: Database, user_id: int, limit: int) -> list[dict]:
    """What the inboxes recorded about a worker: items routed to, claimed or closed by her."""
    return _rows(
        db,
        "SELECT r.reason, r.at, r.item_id, b.name AS inbox_name FROM inbox_routings r"
        " JOIN inbox_items i ON i.id = r.item_id JOIN inboxes b ON b.id = i.inbox_id"
        " WHERE r.user_id = ? ORDER BY r.at DESC, r.id DESC LIMIT ?",
        [user_id, limit],
    )

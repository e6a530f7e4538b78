"""Storage of the messaging: the only SQL of the domain.

Tables (prefix ``message_``): threads about a person, their participants (user accounts, with the
structure they take part for), messages, read receipts (who read which message, when) and the
consents recorded in the person's file to exchange with a partner structure. Every row carries
the person's structure (``structure_id``): row security keys on it, and on the participant's own
structure for the participants' rows (an outside professional finds her threads; the service
then checks the consent before opening one).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row
from virage.db_ddl import sees
from virage.db_policies import enable, structure_policy

#: Bounds: what one thread, one person, one list may hold.
MAX_MESSAGES_PER_THREAD = 500
MAX_PARTICIPANTS = 30
MAX_THREADS_LISTED = 100
MAX_CONSENTS_PER_PERSON = 50


def create_tables(db: Database) -> None:
    """Migration ``core/0170_messaging``."""
    db.execute(
        """CREATE TABLE message_threads (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            person_id INTEGER NOT NULL,
            subject TEXT NOT NULL,
            urgent INTEGER NOT NULL DEFAULT 0,
            created_by INTEGER,
            created_by_label TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            last_message_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX message_threads_person ON message_threads (person_id)")
    db.execute(
        """CREATE TABLE message_participants (
            id INTEGER PRIMARY KEY,
            thread_id INTEGER NOT NULL REFERENCES message_threads(id) ON DELETE CASCADE,
            structure_id INTEGER NOT NULL,
            person_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            member_structure_id INTEGER NOT NULL,
            added_by INTEGER,
            added_at TEXT NOT NULL,
            UNIQUE (thread_id, user_id)
        )"""
    )
    db.execute("CREATE INDEX message_participants_user ON message_participants (user_id)")
    db.execute(
        """CREATE TABLE message_posts (
            id INTEGER PRIMARY KEY,
            thread_id INTEGER NOT NULL REFERENCES message_threads(id) ON DELETE CASCADE,
            structure_id INTEGER NOT NULL,
            person_id INTEGER NOT NULL,
            author_id INTEGER,
            author_label TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX message_posts_thread ON message_posts (thread_id, id)")
    db.execute(
        """CREATE TABLE message_reads (
            post_id INTEGER NOT NULL REFERENCES message_posts(id) ON DELETE CASCADE,
            thread_id INTEGER NOT NULL,
            structure_id INTEGER NOT NULL,
            person_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            read_at TEXT NOT NULL,
            PRIMARY KEY (post_id, user_id)
        )"""
    )
    db.execute("CREATE INDEX message_reads_user ON message_reads (user_id, thread_id)")
    db.execute(
        """CREATE TABLE message_consents (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            person_id INTEGER NOT NULL,
            partner_structure_id INTEGER NOT NULL,
            expressed_on TEXT NOT NULL,
            recorded_by INTEGER,
            recorded_by_label TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL,
            revoked_at TEXT,
            revoked_by_label TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX message_consents_person ON message_consents (person_id)")


def create_row_security(db: Database) -> None:
    """Migration ``core/0171_row_security_messaging`` (PostgreSQL; nothing on SQLite).

    Threads, messages, receipts and consents follow the person's structure; a participant's row
    is also seen from her own structure (an outside professional lists her threads; opening one
    goes through the service, which checks the consent and acts for the person's structure for
    that read only)."""
    for table in ("message_threads", "message_posts", "message_reads", "message_consents"):
        structure_policy(db, table)
    if db.dialect != "postgresql":
        return
    enable(db, "message_participants")
    cond = f"({sees('structure_id')} OR {sees('member_structure_id')})"
    db.execute(
        'CREATE POLICY "message_participants_structure" ON message_participants'
        f" USING {cond} WITH CHECK {sees('structure_id')}"
    )


# --------------------------------------------------------------------------- threads


def create_thread(
    db: Database,
    structure_id: int,
    person_id: int,
    subject: str,
    urgent: bool,
    user_id: int,
    label: str,
) -> int:
    now = utcnow_iso()
    cur = db.execute(
        "INSERT INTO message_threads (structure_id, person_id, subject, urgent, created_by,"
        " created_by_label, created_at, last_message_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id",
        [structure_id, person_id, subject, int(urgent), user_id, label, now, now],
    )
    return cur.fetchone()[0]


def thread(db: Database, thread_id: int) -> dict | None:
    return _row(db, "SELECT * FROM message_threads WHERE id = ?", [thread_id])


def threads_of_person(db: Database, person_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT * FROM message_threads WHERE person_id = ? ORDER BY last_message_at DESC LIMIT ?",
        [person_id, MAX_THREADS_LISTED],
    )


def participation(db: Database, thread_id: int, user_id: int) -> dict | None:
    return _row(
        db,
        "SELECT * FROM message_participants WHERE thread_id = ? AND user_id = ?",
        [thread_id, user_id],
    )


def participations_of(db: Database, user_id: int) -> list[dict]:
    """The threads a worker takes part in (rows of ``message_participants``), newest first."""
    return _rows(
        db,
        "SELECT * FROM message_participants WHERE user_id = ? ORDER BY thread_id DESC LIMIT ?",
        [user_id, MAX_THREADS_LISTED],
    )


def participants(db: Database, thread_id: int) -> list[dict]:
    return _rows(
        db, "SELECT * FROM message_participants WHERE thread_id = ? ORDER BY id", [thread_id]
    )


def add_participant(
    db: Database, row: dict, user_id: int, member_structure_id: int, added_by: int
) -> None:
    db.execute(
        "INSERT INTO message_participants (thread_id, structure_id, person_id, user_id,"
        " member_structure_id, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (thread_id, user_id) DO NOTHING",
        [
            row["id"],
            row["structure_id"],
            row["person_id"],
            user_id,
            member_structure_id,
            added_by,
            utcnow_iso(),
        ],
    )


# --------------------------------------------------------------------------- messages


def add_post(db: Database, row: dict, user_id: int, label: str, body: str) -> int:
    now = utcnow_iso()
    cur = db.execute(
        "INSERT INTO message_posts (thread_id, structure_id, person_id, author_id, author_label,"
        " body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [row["id"], row["structure_id"], row["person_id"], user_id, label, body, now],
    )
    post_id = cur.fetchone()[0]
    db.execute("UPDATE message_threads SET last_message_at = ? WHERE id = ?", [now, row["id"]])
    return post_id


def post_count(db: Database, thread_id: int) -> int:
    return _row(db, "SELECT count(*) AS n FROM message_posts WHERE thread_id = ?", [thread_id])["n"]


def posts(db: Database, thread_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT * FROM message_posts WHERE thread_id = ? ORDER BY id LIMIT ?",
        [thread_id, MAX_MESSAGES_PER_THREAD],
    )


def reads(db: Database, thread_id: int) -> list[dict]:
    return _rows(
        db, "SELECT post_id, user_id, read_at FROM message_reads WHERE thread_id = ?", [thread_id]
    )


def mark_read(db: Database, row: dict, user_id: int) -> int:
    """Record that ``user_id`` read every message of the thread she had not read (hers aside)."""
    cur = db.execute(
        "INSERT INTO message_reads (post_id, thread_id, structure_id, person_id, user_id,"
        " read_at) SELECT p.id, p.thread_id, p.structure_id, p.person_id, ?, ?"
        " FROM message_posts p WHERE p.thread_id = ? AND (p.author_id IS NULL OR p.author_id <> ?)"
        " AND NOT EXISTS (SELECT 1 FROM message_reads r WHERE r.post_id = p.id AND r.user_id = ?)",
        [user_id, utcnow_iso(), row["id"], user_id, user_id],
    )
    return cur.rowcount


def unread_by_thread(db: Database, user_id: int, thread_ids: Sequence[int]) -> dict[int, int]:
    if not thread_ids:
        return {}
    marks = ",".join("?" * len(thread_ids))
    rows = _rows(
        db,
        "SELECT p.thread_id, count(*) AS n FROM message_posts p"
        f" WHERE p.thread_id IN ({marks}) AND (p.author_id IS NULL OR p.author_id <> ?)"
        " AND NOT EXISTS (SELECT 1 FROM message_reads r WHERE r.post_id = p.id AND r.user_id = ?)"
        " GROUP BY p.thread_id",
        [*thread_ids, user_id, user_id],
    )
    return {r["thread_id"]: r["n"] for r in rows}


# --------------------------------------------------------------------------- consents


def consents(db: Database, person_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT * FROM message_consents WHERE person_id = ? ORDER BY id DESC LIMIT ?",
        [person_id, MAX_CONSENTS_PER_PERSON * 4],
    )


def active_consent(db: Database, person_id: int, partner_structure_id: int) -> dict | None:
    return _row(
        db,
        "SELECT * FROM message_consents WHERE person_id = ? AND partner_structure_id = ?"
        " AND revoked_at IS NULL ORDER BY id DESC LIMIT 1",
        [person_id, partner_structure_id],
    )


def count_consents(db: Database, person_id: int) -> int:
    return _row(db, "SELECT count(*) AS n FROM message_consents WHERE person_id = ?", [person_id])[
        "n"
    ]


def add_consent(db: Database, values: dict[str, Any]) -> int:
    cur = db.execute(
        "INSERT INTO message_consents (structure_id, person_id, partner_structure_id,"
        " expressed_on, recorded_by, recorded_by_label, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [
            values["structure_id"],
            values["person_id"],
            values["partner_structure_id"],
            values["expressed_on"],
            values["recorded_by"],
            values["recorded_by_label"],
            utcnow_iso(),
        ],
    )
    return cur.fetchone()[0]


def consent(db: Database, person_id: int, consent_id: int) -> dict | None:
    return _row(
        db,
        "SELECT * FROM message_consents WHERE id = ? AND person_id = ?",
        [consent_id, person_id],
    )


def revoke_consent(db: Database, consent_id: int, label: str) -> None:
    db.execute(
        "UPDATE message_consents SET revoked_at = ?, revoked_by_label = ?"
        " WHERE id = ? AND revoked_at IS NULL",
        [utcnow_iso(), label, consent_id],
    )


# --------------------------------------------------------------------------- RGPD


def all_for_person(db: Database, person_id: int) -> dict[str, list[dict]]:
    return {
        "threads": _rows(db, "SELECT * FROM message_threads WHERE person_id = ?", [person_id]),
        "posts": _rows(
            db, "SELECT * FROM message_posts WHERE person_id = ? ORDER BY id", [person_id]
        ),
        "reads": _rows(
            db,
            "SELECT post_id, thread_id, user_id, read_at FROM message_reads WHERE person_id = ?",
            [person_id],
        ),
        "consents": _rows(
            db, "SELECT * FROM message_consents WHERE person_id = ? ORDER BY id", [person_id]
        ),
    }


def delete_for_person(db: Database, person_id: int) -> None:
    for table in (
        "message_reads",
        "message_posts",
        "message_participants",
        "message_consents",
        "message_threads",
    ):
        db.execute(f"DELETE FROM {table} WHERE person_id = ?", [person_id])


def move_person(db: Database, kept_id: int, merged_id: int) -> None:
    for table in (
        "message_reads",
        "message_posts",
        "message_participants",
        "message_consents",
        "message_threads",
    ):
        db.execute(f"UPDATE {table} SET person_id = ? WHERE person_id = ?", [kept_id, merged_id])


def written_by(db: Database, user_id: int) -> list[dict]:
    """What a worker wrote (for « ce qui est enregistré sur moi »): when, in which thread."""
    return _rows(
        db,
        "SELECT id, thread_id, created_at, length(body) AS length FROM message_posts"
        " WHERE author_id = ? ORDER BY id DESC LIMIT 200",
        [user_id],
    )


def read_by(db: Database, user_id: int) -> list[dict]:
    """The worker's read receipts (for « ce qui est enregistré sur moi »)."""
    return _rows(
        db,
        "SELECT post_id, thread_id, read_at FROM message_reads WHERE user_id = ?"
        " ORDER BY read_at DESC LIMIT 200",
        [user_id],
    )

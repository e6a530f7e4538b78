"""Storage of the log-in throttle: failed attempts of the last day, and the devices and addresses
from which each account has already logged in. The only SQL of the throttle.

Everything lives in the database, so that every process serving the instance counts the same
attempts (``virage serve --workers N``).
"""

from __future__ import annotations

from virage.accounts import schema_storage
from virage.db import Database
from virage.db import fetch_all as _rows

create_tables = (
    schema_storage.create_throttle_tables
)  # the migration 0004, defined with the domain's other tables


# --------------------------------------------------------------------------- failed attempts


def _count_last(db: Database, where: str, params: list) -> tuple[int, str | None]:
    count, last = db.execute(
        f"SELECT count(*), max(at) FROM login_attempts WHERE {where}", params
    ).fetchone()
    return count, last


def pair_failures(db: Database, account: str, source: str, since: str) -> tuple[int, str | None]:
    """Failures of this account from this source since ``since``: (count, time of the last)."""
    return _count_last(db, "account = ? AND source = ? AND at >= ?", [account, source, since])


def account_untrusted_failures(db: Database, account: str, since: str) -> tuple[int, str | None]:
    """Failures of this account from sources it does not know, whatever the address."""
    return _count_last(db, "account = ? AND trusted = 0 AND at >= ?", [account, since])


def address_untrusted_failures(db: Database, address: str, since: str) -> tuple[int, str | None]:
    """Failures from this address on accounts that do not know it, whatever the account."""
    return _count_last(db, "address = ? AND trusted = 0 AND at >= ?", [address, since])


def add_attempt(
    db: Database, *, account: str, source: str, address: str, trusted: bool, at: str
) -> int:
    cur = db.execute(
        "INSERT INTO login_attempts (account, source, address, trusted, at) VALUES (?, ?, ?, ?, ?)"
        " RETURNING id",
        [account, source, address, int(trusted), at],
    )
    return cur.fetchone()[0]


def delete_attempt(db: Database, attempt_id: int) -> None:
    db.execute("DELETE FROM login_attempts WHERE id = ?", [attempt_id])


def delete_pair(db: Database, account: str, source: str) -> None:
    db.execute("DELETE FROM login_attempts WHERE account = ? AND source = ?", [account, source])


def delete_account_attempts(db: Database, account: str) -> None:
    db.execute("DELETE FROM login_attempts WHERE account = ?", [account])


def delete_attempts_before(db: Database, before: str) -> None:
    db.execute("DELETE FROM login_attempts WHERE at < ?", [before])


def failures_of(db: Database, account: str, limit: int = 200) -> list[dict]:
    return _rows(
        db,
        "SELECT at, address, trusted FROM login_attempts WHERE account = ?"
        " ORDER BY at DESC, id DESC LIMIT ?",
        [account, limit],
    )


# --------------------------------------------------------------------------- known sources


def is_known(db: Database, user_id: int, source: str, since: str) -> bool:
    return (
        db.execute(
            "SELECT 1 FROM login_known_sources WHERE user_id = ? AND source = ?"
            " AND last_success_at >= ?",
            [user_id, source, since],
        ).fetchone()
        is not None
    )


def remember(db: Database, user_id: int, source: str, at: str) -> None:
    db.execute(
        "INSERT INTO login_known_sources (user_id, source, first_success_at, last_success_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (user_id, source)"
        " DO UPDATE SET last_success_at = excluded.last_success_at",
        [user_id, source, at, at],
    )


def forget_user(db: Database, user_id: int) -> None:
    db.execute("DELETE FROM login_known_sources WHERE user_id = ?", [user_id])


def forget_before(db: Database, user_id: int, before: str) -> None:
    db.execute(
        "DELETE FROM login_known_sources WHERE user_id = ? AND last_success_at < ?",
        [user_id, before],
    )


def known_sources_of(db: Database, user_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT source, first_success_at, last_success_at FROM login_known_sources"
        " WHERE user_id = ? ORDER BY last_success_at DESC",
        [user_id],
    )

"""Storage of the account life cycle: one-time links (invitation, password reset), deactivation,
memberships, the lists of the administration pages and of a worker's own sessions and tokens.

Migrations ``core/0100_account_lifecycle`` and ``core/0101_session_browser``. No table here holds a
structure's data (accounts, links and sessions belong to a worker, not to a structure): no
row-level security, as for ``users`` and ``memberships``.
"""

from __future__ import annotations

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row

#: ``users.password_hash`` of an account invited and whose person has not yet chosen a password:
#: no argon2 hash starts with it, so no password can ever match.
NO_PASSWORD = "!invitation"


# --------------------------------------------------------------------------- migrations


def create_lifecycle_tables(db: Database) -> None:
    """Migration ``core/0100_account_lifecycle``."""
    db.execute("ALTER TABLE users ADD COLUMN deactivated_at TEXT")
    db.execute("ALTER TABLE users ADD COLUMN deactivated_by INTEGER")
    db.execute(
        """CREATE TABLE account_links (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL REFERENCES users(id),
            purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'reset')),
            created_by INTEGER,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            revoked_at TEXT
        )"""
    )
    db.execute("CREATE INDEX account_links_user ON account_links (user_id)")


def add_session_browser(db: Database) -> None:
    """Migration ``core/0101_session_browser``: a hint of the browser a session was opened from."""
    db.execute("ALTER TABLE sessions ADD COLUMN browser TEXT")


# --------------------------------------------------------------------------- links


def create_link(
    db: Database,
    *,
    token_hash: str,
    user_id: int,
    purpose: str,
    created_by: int | None,
    expires_at: str,
) -> int:
    now = utcnow_iso()
    # A new link replaces the earlier unused ones of the same account.
    db.execute(
        "UPDATE account_links SET revoked_at = ? WHERE user_id = ? AND used_at IS NULL"
        " AND revoked_at IS NULL",
        [now, user_id],
    )
    cur = db.execute(
        "INSERT INTO account_links (token_hash, user_id, purpose, created_by, created_at,"
        " expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        [token_hash, user_id, purpose, created_by, now, expires_at],
    )
    return cur.fetchone()[0]


def get_link(db: Database, token_hash: str) -> dict | None:
    return _row(db, "SELECT * FROM account_links WHERE token_hash = ?", [token_hash])


def use_link(db: Database, link_id: int, now_iso: str) -> bool:
    """Mark the link used, once: ``False`` if it was used, revoked or expired meanwhile."""
    cur = db.execute(
        "UPDATE account_links SET used_at = ? WHERE id = ? AND used_at IS NULL"
        " AND revoked_at IS NULL AND expires_at > ?",
        [now_iso, link_id, now_iso],
    )
    return cur.rowcount == 1


def revoke_links_of(db: Database, user_id: int) -> None:
    db.execute(
        "UPDATE account_links SET revoked_at = ? WHERE user_id = ? AND used_at IS NULL"
        " AND revoked_at IS NULL",
        [utcnow_iso(), user_id],
    )


def pending_link(db: Database, user_id: int, now_iso: str) -> dict | None:
    """The account's link still usable (its purpose and expiry), if any."""
    return _row(
        db,
        "SELECT purpose, created_at, expires_at FROM account_links WHERE user_id = ?"
        " AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ? ORDER BY id DESC LIMIT 1",
        [user_id, now_iso],
    )


# --------------------------------------------------------------------------- accounts


def set_active(db: Database, user_id: int, active: bool, by: int | None) -> None:
    if active:
        db.execute(
            "UPDATE users SET active = 1, deactivated_at = NULL, deactivated_by = NULL"
            " WHERE id = ?",
            [user_id],
        )
    else:
        db.execute(
            "UPDATE users SET active = 0, deactivated_at = ?, deactivated_by = ? WHERE id = ?",
            [utcnow_iso(), by, user_id],
        )


def set_network_admin(db: Database, user_id: int, flag: bool) -> None:
    db.execute("UPDATE users SET is_network_admin = ? WHERE id = ?", [int(flag), user_id])


def active_network_admins(db: Database) -> list[int]:
    return [
        r["id"] for r in _rows(db, "SELECT id FROM users WHERE is_network_admin = 1 AND active = 1")
    ]


def revoke_tokens_of(db: Database, user_id: int) -> int:
    cur = db.execute(
        "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
        [utcnow_iso(), user_id],
    )
    return cur.rowcount


def revoke_tokens_of_structure(db: Database, user_id: int, structure_id: int) -> int:
    cur = db.execute(
        "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND structure_id = ?"
        " AND revoked_at IS NULL",
        [utcnow_iso(), user_id, structure_id],
    )
    return cur.rowcount


def tokens_of_user(db: Database, user_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT t.id, t.name, t.created_at, t.revoked_at, t.structure_id, s.name AS structure"
        " FROM api_tokens t JOIN structures s ON s.id = t.structure_id WHERE t.user_id = ?"
        " ORDER BY t.id DESC",
        [user_id],
    )


def remove_membership(db: Database, user_id: int, structure_id: int) -> bool:
    cur = db.execute(
        "DELETE FROM memberships WHERE user_id = ? AND structure_id = ?", [user_id, structure_id]
    )
    return cur.rowcount == 1


def list_accounts(
    db: Database,
    *,
    structure_ids: list[int] | None,
    structure_id: int | None = None,
    role: str | None = None,
    active: bool | None = None,
    search: str | None = None,
    limit: int = 500,
) -> list[dict]:
    """Accounts with at least one membership in ``structure_ids`` (``None``: every account)."""
    where, params = [], []
    if structure_ids is not None:
        if not structure_ids:
            return []
        marks = ",".join("?" * len(structure_ids))
        where.append(
            f"EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id"
            f" AND m.structure_id IN ({marks}))"
        )
        params += structure_ids
    if structure_id is not None or role:
        cond, extra = ["m2.user_id = u.id"], []
        if structure_id is not None:
            cond.append("m2.structure_id = ?")
            extra.append(structure_id)
        if role:
            cond.append("m2.role = ?")
            extra.append(role)
        if structure_ids is not None:
            cond.append(f"m2.structure_id IN ({','.join('?' * len(structure_ids))})")
            extra += structure_ids
        where.append(f"EXISTS (SELECT 1 FROM memberships m2 WHERE {' AND '.join(cond)})")
        params += extra
    if active is not None:
        where.append("u.active = ?")
        params.append(int(active))
    if search:
        # PostgreSQL: LIKE refuses the case-insensitive (nondeterministic) collation of these
        # columns; compare their lower case under the plain one.
        plain = ' COLLATE "C"' if db.dialect == "postgresql" else ""
        where.append(f"(lower(u.display_name{plain}) LIKE ? OR lower(u.username{plain}) LIKE ?)")
        pattern = "%" + search.lower().replace("%", "").replace("_", "") + "%"
        params += [pattern, pattern]
    sql = (
        "SELECT u.id, u.username, u.display_name, u.email, u.profession, u.rpps, u.active,"
        " u.is_network_admin, u.deactivated_at, u.created_at,"
        " CASE WHEN u.password_hash = ? THEN 1 ELSE 0 END AS invited FROM users u"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY lower(u.display_name), u.id LIMIT ?"
    return _rows(db, sql, [NO_PASSWORD, *params, limit])


def memberships_with_names(db: Database, user_ids: list[int]) -> list[dict]:
    if not user_ids:
        return []
    marks = ",".join("?" * len(user_ids))
    return _rows(
        db,
        "SELECT m.user_id, m.structure_id, m.role, m.created_at, s.name AS structure"
        f" FROM memberships m JOIN structures s ON s.id = m.structure_id"
        f" WHERE m.user_id IN ({marks}) ORDER BY s.name",
        user_ids,
    )


# --------------------------------------------------------------------------- sessions


def set_session_browser(db: Database, session_hash: str, browser: str) -> None:
    db.execute("UPDATE sessions SET browser = ? WHERE id = ?", [browser, session_hash])


def sessions_of(db: Database, user_id: int, now_iso: str) -> list[dict]:
    return _rows(
        db,
        "SELECT id, created_at, expires_at, browser FROM sessions WHERE user_id = ?"
        " AND expires_at > ? ORDER BY created_at DESC",
        [user_id, now_iso],
    )


def count_sessions(db: Database, user_id: int, now_iso: str) -> int:
    row = _row(
        db,
        "SELECT count(*) AS n FROM sessions WHERE user_id = ? AND expires_at > ?",
        [user_id, now_iso],
    )
    return row["n"] if row else 0


def delete_sessions_except(db: Database, user_id: int, keep: str | None) -> int:
    cur = db.execute("DELETE FROM sessions WHERE user_id = ? AND id <> ?", [user_id, keep or ""])
    return cur.rowcount


def delete_session_of(db: Database, user_id: int, session_hash: str) -> bool:
    cur = db.execute("DELETE FROM sessions WHERE user_id = ? AND id = ?", [user_id, session_hash])
    return cur.rowcount == 1

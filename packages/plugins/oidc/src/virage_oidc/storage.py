"""The only module of the plugin with SQL, on its own tables.

- ``oidc_links``: which provider identity (issuer + identifier: the national identifier
  ``SubjectNameID`` for Pro Santé Connect, ``sub`` otherwise) opens which account. One identity
  opens one account; an account has at most one identity per provider. A link belongs to an
  account, not to a structure (an account may work in several), and it must be read before anyone
  is logged in: no row-level security on it (like ``users``); the pages decide who sees which.
- ``oidc_pending``: the log-ins under way (state, nonce, PKCE verifier), found by the digest of
  the browser's cookie, used once, ten minutes at most.
"""

from __future__ import annotations

from virage.sdk import Database, fetch_all, fetch_one, utcnow_iso


def create_tables(db: Database) -> None:
    db.execute(
        """CREATE TABLE oidc_links (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            issuer TEXT NOT NULL,
            identifier TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            UNIQUE (issuer, identifier),
            UNIQUE (issuer, user_id)
        )"""
    )
    db.execute("CREATE INDEX oidc_links_user ON oidc_links (user_id)")
    db.execute(
        """CREATE TABLE oidc_pending (
            id TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            nonce TEXT NOT NULL,
            verifier TEXT NOT NULL,
            next TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )"""
    )


# --------------------------------------------------------------------------- pending log-ins


def save_pending(
    db: Database, digest: str, state: str, nonce: str, verifier: str, nxt: str, expires_at: str
) -> None:
    db.execute("DELETE FROM oidc_pending WHERE expires_at < ?", [utcnow_iso()])
    db.execute(
        "INSERT INTO oidc_pending (id, state, nonce, verifier, next, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [digest, state, nonce, verifier, nxt, expires_at],
    )


def take_pending(db: Database, digest: str) -> dict | None:
    """The pending log-in of this digest, deleted as it is read (a state serves once)."""
    row = fetch_one(db, "SELECT * FROM oidc_pending WHERE id = ?", [digest])
    if row is not None:
        db.execute("DELETE FROM oidc_pending WHERE id = ?", [digest])
    return row


# --------------------------------------------------------------------------- links


def link_for(db: Database, issuer: str, identifier: str) -> dict | None:
    return fetch_one(
        db, "SELECT * FROM oidc_links WHERE issuer = ? AND identifier = ?", [issuer, identifier]
    )


def link_of_user(db: Database, issuer: str, user_id: int) -> dict | None:
    return fetch_one(
        db, "SELECT * FROM oidc_links WHERE issuer = ? AND user_id = ?", [issuer, user_id]
    )


def links_of_user(db: Database, user_id: int) -> list[dict]:
    return fetch_all(db, "SELECT * FROM oidc_links WHERE user_id = ? ORDER BY id", [user_id])


def links(db: Database, issuer: str, user_ids: list[int] | None = None) -> list[dict]:
    """The links of one provider; only those of ``user_ids`` when given."""
    if user_ids is not None and not user_ids:
        return []
    sql, params = "SELECT * FROM oidc_links WHERE issuer = ?", [issuer]
    if user_ids is not None:
        sql += f" AND user_id IN ({', '.join('?' for _ in user_ids)})"
        params += user_ids
    return fetch_all(db, sql + " ORDER BY id", params)


def get_link(db: Database, link_id: int) -> dict | None:
    return fetch_one(db, "SELECT * FROM oidc_links WHERE id = ?", [link_id])


def add_link(db: Database, user_id: int, issuer: str, identifier: str, by: int) -> int:
    row = db.execute(
        "INSERT INTO oidc_links (user_id, issuer, identifier, created_at, created_by)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        [user_id, issuer, identifier, utcnow_iso(), by],
    ).fetchone()
    return int(row[0])


def delete_link(db: Database, link_id: int) -> None:
    db.execute("DELETE FROM oidc_links WHERE id = ?", [link_id])

"""Storage of the accounts domain: structures, users, memberships, sessions, API tokens, and the
tables of persons supported, care teams and emergency accesses, whose queries are in
``person_storage`` (re-exported here). The only SQL of the domain, with ``throttle_storage``
(log-in attempts, known browsers and addresses) and the other ``*_storage`` modules."""

from __future__ import annotations

from datetime import datetime

from virage.accounts import schema_storage

# Persons, care teams and emergency accesses: in person_storage, importable from here too.
from virage.accounts.person_storage import (  # noqa: F401 (re-exported)
    PERSON_FIELDS,
    add_to_care_team,
    care_team,
    care_team_ids,
    care_teams_of_user,
    close_person,
    count_persons,
    create_person,
    delete_person,
    emergency_of_user,
    emergency_users,
    get_person,
    grant_emergency,
    list_persons,
    persons_closed_before,
    remove_from_care_team,
    update_person,
)
from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row

# --------------------------------------------------------------------------- migrations


create_tables = (
    schema_storage.create_accounts_tables
)  # the migration 0002, defined with the domain's other tables


# --------------------------------------------------------------------------- helpers


# --------------------------------------------------------------------------- structures


def create_structure(
    db: Database,
    name: str,
    kind: str,
    finess: str | None = None,
    commune: str | None = None,
) -> int:
    cur = db.execute(
        "INSERT INTO structures (name, kind, finess, commune, created_at) VALUES (?, ?, ?, ?, ?)"
        " RETURNING id",
        [name, kind, finess, commune, utcnow_iso()],
    )
    return cur.fetchone()[0]


def get_structure(db: Database, structure_id: int) -> dict | None:
    return _row(db, "SELECT * FROM structures WHERE id = ?", [structure_id])


def list_structures(db: Database, ids: list[int] | None = None) -> list[dict]:
    if ids is None:
        return _rows(db, "SELECT * FROM structures ORDER BY name")
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return _rows(db, f"SELECT * FROM structures WHERE id IN ({marks}) ORDER BY name", ids)


def find_structure(db: Database, key: str) -> dict | None:
    """By id or exact name (CLI)."""
    if key.isdigit():
        return get_structure(db, int(key))
    return _row(db, "SELECT * FROM structures WHERE name = ? COLLATE NOCASE", [key])


# --------------------------------------------------------------------------- users


def create_user(
    db: Database,
    *,
    username: str,
    display_name: str,
    password_hash: str,
    email: str | None = None,
    profession: str | None = None,
    rpps: str | None = None,
    is_network_admin: bool = False,
) -> int:
    cur = db.execute(
        "INSERT INTO users (username, display_name, email, profession, rpps, password_hash,"
        " is_network_admin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [
            username,
            display_name,
            email,
            profession,
            rpps,
            password_hash,
            int(is_network_admin),
            utcnow_iso(),
        ],
    )
    return cur.fetchone()[0]


def get_user(db: Database, user_id: int) -> dict | None:
    return _row(db, "SELECT * FROM users WHERE id = ?", [user_id])


def get_user_by_username(db: Database, username: str) -> dict | None:
    return _row(db, "SELECT * FROM users WHERE username = ?", [username])


def active_users_by_rpps(db: Database) -> dict[str, int]:
    """``{rpps: user id}`` of the active accounts carrying an RPPS number (the oldest if several)."""
    return dict(
        db.execute(
            "SELECT rpps, MIN(id) FROM users WHERE rpps IS NOT NULL AND active = 1 GROUP BY rpps"
        ).fetchall()
    )


def set_password_hash(db: Database, user_id: int, password_hash: str) -> None:
    db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [password_hash, user_id])


def add_membership(db: Database, user_id: int, structure_id: int, role: str) -> None:
    db.execute(
        "INSERT INTO memberships (user_id, structure_id, role, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(user_id, structure_id) DO UPDATE SET role = excluded.role",
        [user_id, structure_id, role, utcnow_iso()],
    )


def memberships_of(db: Database, user_id: int) -> dict[int, str]:
    """The account's roles in the structures that are not closed (members of a closed structure
    can no longer act in it: see ``structure_admin``)."""
    return dict(
        db.execute(
            "SELECT m.structure_id, m.role FROM memberships m"
            " JOIN structures s ON s.id = m.structure_id"
            " WHERE m.user_id = ? AND s.closed_at IS NULL",
            [user_id],
        ).fetchall()
    )


def members_of(db: Database, structure_id: int, *, with_inactive: bool = False) -> list[dict]:
    """The structure's members (active accounts only, unless ``with_inactive``), with ``active``."""
    return _rows(
        db,
        "SELECT u.id, u.username, u.display_name, u.profession, m.role, u.active"
        " FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.structure_id = ?"
        + ("" if with_inactive else " AND u.active = 1")
        + " ORDER BY u.display_name",
        [structure_id],
    )


# --------------------------------------------------------------------------- sessions


def create_session(db: Database, session_hash: str, user_id: int, expires_at: datetime) -> None:
    db.execute(
        "INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        [session_hash, user_id, utcnow_iso(), expires_at.isoformat()],
    )


def get_session(db: Database, session_hash: str) -> dict | None:
    return _row(db, "SELECT * FROM sessions WHERE id = ?", [session_hash])


def delete_session(db: Database, session_hash: str) -> None:
    db.execute("DELETE FROM sessions WHERE id = ?", [session_hash])


def delete_sessions_of(db: Database, user_id: int) -> None:
    db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])


def delete_expired_sessions(db: Database, now_iso: str) -> None:
    db.execute("DELETE FROM sessions WHERE expires_at < ?", [now_iso])


def sessions_of(db: Database, user_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT created_at, expires_at FROM sessions WHERE user_id = ? ORDER BY created_at DESC",
        [user_id],
    )


# --------------------------------------------------------------------------- API tokens


def create_token(db: Database, token_hash: str, name: str, user_id: int, structure_id: int) -> int:
    cur = db.execute(
        "INSERT INTO api_tokens (token_hash, name, user_id, structure_id, created_at)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        [token_hash, name, user_id, structure_id, utcnow_iso()],
    )
    return cur.fetchone()[0]


def get_token_by_hash(db: Database, token_hash: str) -> dict | None:
    return _row(db, "SELECT * FROM api_tokens WHERE token_hash = ?", [token_hash])


def get_token(db: Database, token_id: int) -> dict | None:
    return _row(db, "SELECT * FROM api_tokens WHERE id = ?", [token_id])


def revoke_token(db: Database, token_id: int) -> bool:
    cur = db.execute(
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        [utcnow_iso(), token_id],
    )
    return cur.rowcount == 1


def tokens_of_structure(db: Database, structure_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT t.id, t.name, t.created_at, t.revoked_at, u.display_name AS owner, t.user_id"
        " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.structure_id = ?"
        " ORDER BY t.id DESC",
        [structure_id],
    )


def tokens_of_user(db: Database, user_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT t.id, t.name, t.created_at, t.revoked_at, s.name AS structure FROM api_tokens t"
        " JOIN structures s ON s.id = t.structure_id WHERE t.user_id = ? ORDER BY t.id DESC",
        [user_id],
    )

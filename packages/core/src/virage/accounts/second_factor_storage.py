"""Storage of the second factor: authenticator apps (TOTP), security keys (WebAuthn), recovery
codes, the half-logged-in state between the password and the second factor, and each structure's
rule (when the second factor is required, from which networks). The only SQL of the second factor.

Recovery codes and login steps are stored as SHA-256 digests; a TOTP secret and a key's public
key are stored as they are (the server needs them to verify).
"""

from __future__ import annotations

import json

from virage.accounts import schema_storage
from virage.db import Database
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row

POLICIES = ("toujours", "hors_reseaux")


create_tables = (
    schema_storage.create_second_factor_tables
)  # the migration 0005, defined with the domain's other tables


# --------------------------------------------------------------------------- structures' rule


def structure_rules(db: Database, structure_ids: list[int]) -> list[dict]:
    """``id``, ``name``, ``policy`` and ``networks`` (a list) of these structures."""
    if not structure_ids:
        return []
    marks = ",".join("?" * len(structure_ids))
    rows = _rows(
        db,
        "SELECT id, name, second_factor_policy AS policy, local_networks FROM structures"
        f" WHERE id IN ({marks}) ORDER BY name",
        structure_ids,
    )
    for row in rows:
        row["networks"] = json.loads(row.pop("local_networks") or "[]")
    return rows


def set_structure_rule(db: Database, structure_id: int, policy: str, networks: list[str]) -> None:
    db.execute(
        "UPDATE structures SET second_factor_policy = ?, local_networks = ? WHERE id = ?",
        [policy, json.dumps(networks), structure_id],
    )


# --------------------------------------------------------------------------- authenticator apps


def totp_of(db: Database, user_id: int) -> dict | None:
    return _row(db, "SELECT * FROM totp_apps WHERE user_id = ?", [user_id])


def pending_totp(db: Database, user_id: int, owner: str) -> str | None:
    row = db.execute(
        "SELECT secret FROM totp_enrolments WHERE owner = ? AND user_id = ?", [owner, user_id]
    ).fetchone()
    return row[0] if row else None


def set_pending_totp(
    db: Database, user_id: int, secret: str, owner: str, at: str, forget_before: str
) -> None:
    db.execute("DELETE FROM totp_enrolments WHERE created_at < ?", [forget_before])
    db.execute(
        "INSERT INTO totp_enrolments (owner, user_id, secret, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(owner) DO UPDATE SET user_id = excluded.user_id, secret = excluded.secret,"
        " created_at = excluded.created_at",
        [owner, user_id, secret, at],
    )


def confirm_totp(db: Database, user_id: int, owner: str, step: int, at: str) -> bool:
    """The owner's pending secret becomes the account's app (the code that proved it cannot be
    used again); it replaces the previous app, if any."""
    secret = pending_totp(db, user_id, owner)
    if secret is None:
        return False
    db.execute(
        "INSERT INTO totp_apps (user_id, secret, confirmed_at, last_step) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(user_id) DO UPDATE SET secret = excluded.secret,"
        " confirmed_at = excluded.confirmed_at, last_step = excluded.last_step",
        [user_id, secret, at, step],
    )
    db.execute("DELETE FROM totp_enrolments WHERE owner = ?", [owner])
    return True


def use_totp_step(db: Database, user_id: int, step: int) -> bool:
    """Record that the code of ``step`` was used; False if it (or a later one) already was."""
    cur = db.execute(
        "UPDATE totp_apps SET last_step = ? WHERE user_id = ? AND last_step < ?",
        [step, user_id, step],
    )
    return cur.rowcount == 1


# --------------------------------------------------------------------------- security keys


def add_key(
    db: Database,
    *,
    user_id: int,
    credential_id: str,
    public_key: bytes,
    sign_count: int,
    rp_id: str,
    name: str,
    at: str,
) -> int:
    cur = db.execute(
        "INSERT INTO security_keys (user_id, credential_id, public_key, sign_count, rp_id, name,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [user_id, credential_id, public_key, sign_count, rp_id, name, at],
    )
    return cur.fetchone()[0]


def keys_of(db: Database, user_id: int) -> list[dict]:
    return _rows(db, "SELECT * FROM security_keys WHERE user_id = ? ORDER BY id", [user_id])


def key_by_credential(db: Database, user_id: int, credential_id: str) -> dict | None:
    return _row(
        db,
        "SELECT * FROM security_keys WHERE user_id = ? AND credential_id = ?",
        [user_id, credential_id],
    )


def key_used(db: Database, key_id: int, sign_count: int, at: str) -> None:
    db.execute(
        "UPDATE security_keys SET sign_count = ?, last_used_at = ? WHERE id = ?",
        [sign_count, at, key_id],
    )


def delete_key(db: Database, user_id: int, key_id: int) -> bool:
    cur = db.execute("DELETE FROM security_keys WHERE id = ? AND user_id = ?", [key_id, user_id])
    return cur.rowcount == 1


# --------------------------------------------------------------------------- recovery codes


def replace_recovery_codes(db: Database, user_id: int, digests: list[str], at: str) -> None:
    db.execute("DELETE FROM recovery_codes WHERE user_id = ?", [user_id])
    db.executemany(
        "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)",
        [(user_id, d, at) for d in digests],
    )


def use_recovery_code(db: Database, user_id: int, digest: str, at: str) -> bool:
    cur = db.execute(
        "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ?"
        " AND used_at IS NULL",
        [at, user_id, digest],
    )
    return cur.rowcount == 1


def recovery_counts(db: Database, user_id: int) -> tuple[int, int, str | None]:
    """(unused, used, when they were made) of the account's current recovery codes."""
    unused, used, made = db.execute(
        "SELECT count(*) FILTER (WHERE used_at IS NULL), count(used_at), min(created_at)"
        " FROM recovery_codes WHERE user_id = ?",
        [user_id],
    ).fetchone()
    return unused, used, made


# --------------------------------------------------------------------------- reset


def delete_all_of(db: Database, user_id: int) -> None:
    """Every app, key, recovery code and pending step of the account."""
    for table in ("totp_apps", "totp_enrolments", "security_keys", "recovery_codes", "login_steps"):
        db.execute(f"DELETE FROM {table} WHERE user_id = ?", [user_id])


# --------------------------------------------------------------------------- login steps


def create_step(
    db: Database, digest: str, user_id: int, next_path: str, at: str, expires_at: str
) -> None:
    db.execute(
        "INSERT INTO login_steps (id, user_id, next, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        [digest, user_id, next_path, at, expires_at],
    )


def get_step(db: Database, digest: str) -> dict | None:
    return _row(db, "SELECT * FROM login_steps WHERE id = ?", [digest])


def step_failed(db: Database, digest: str) -> int:
    """Count a wrong code on the step; return the step's failures so far."""
    db.execute("UPDATE login_steps SET failures = failures + 1 WHERE id = ?", [digest])
    row = db.execute("SELECT failures FROM login_steps WHERE id = ?", [digest]).fetchone()
    return row[0] if row else 0


def delete_step(db: Database, digest: str) -> None:
    db.execute("DELETE FROM login_steps WHERE id = ?", [digest])
    db.execute("DELETE FROM webauthn_challenges WHERE owner = ?", ["etape:" + digest])
    db.execute("DELETE FROM totp_enrolments WHERE owner = ?", ["etape:" + digest])


def delete_expired(db: Database, now_iso: str) -> None:
    db.execute("DELETE FROM login_steps WHERE expires_at < ?", [now_iso])
    db.execute("DELETE FROM webauthn_challenges WHERE expires_at < ?", [now_iso])


# --------------------------------------------------------------------------- WebAuthn challenges


def set_challenge(db: Database, owner: str, challenge: str, expires_at: str) -> None:
    db.execute(
        "INSERT INTO webauthn_challenges (owner, challenge, expires_at) VALUES (?, ?, ?)"
        " ON CONFLICT(owner) DO UPDATE SET challenge = excluded.challenge,"
        " expires_at = excluded.expires_at",
        [owner, challenge, expires_at],
    )


def take_challenge(db: Database, owner: str, now_iso: str) -> str | None:
    """The owner's pending challenge, if still valid; it is used up either way."""
    row = db.execute(
        "SELECT challenge, expires_at FROM webauthn_challenges WHERE owner = ?", [owner]
    ).fetchone()
    db.execute("DELETE FROM webauthn_challenges WHERE owner = ?", [owner])
    if row is None or row[1] < now_iso:
        return None
    return row[0]

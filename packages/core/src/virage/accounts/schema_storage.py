"""Every table of the accounts domain, in one place: structures, workers, sessions, persons and
care teams (0002), log-in attempts and known devices (0004), second factors (0005), the first-use
notice (0006), objections to sharing (0007), device-storage keys (0008).

Each function is one migration of the ``core`` namespace, listed by :mod:`.plugin`; a released
migration never changes (a later one alters what it created).
"""

from __future__ import annotations

from virage.db import Database
from virage.db_ddl import now_text


def create_accounts_tables(db: Database) -> None:
    db.execute(
        """CREATE TABLE structures (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            finess TEXT,
            commune TEXT,
            calendar_privacy TEXT NOT NULL DEFAULT 'initials',
            retention_years INTEGER NOT NULL DEFAULT 5,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            email TEXT,
            profession TEXT,
            rpps TEXT,
            password_hash TEXT NOT NULL,
            is_network_admin INTEGER NOT NULL DEFAULT 0,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE memberships (
            user_id INTEGER NOT NULL REFERENCES users(id),
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            role TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (user_id, structure_id)
        )"""
    )
    db.execute(
        """CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX sessions_user ON sessions (user_id)")
    db.execute(
        """CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users(id),
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            created_at TEXT NOT NULL,
            revoked_at TEXT
        )"""
    )
    # Dropped by 0004_login_throttle (see throttle_storage); kept here as released.
    db.execute(
        """CREATE TABLE login_failures (
            username TEXT NOT NULL COLLATE NOCASE,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX login_failures_user_at ON login_failures (username, at)")
    db.execute(
        """CREATE TABLE persons (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            family_name TEXT NOT NULL,
            birth_name TEXT,
            given_names TEXT NOT NULL,
            birth_date TEXT,
            sex TEXT CHECK (sex IN ('F', 'M', 'I')),
            ins_nir TEXT,
            ins_oid TEXT,
            address TEXT,
            postcode TEXT,
            city TEXT,
            phone TEXT,
            contacts TEXT NOT NULL DEFAULT '[]',
            health_notes TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            closed_at TEXT
        )"""
    )
    db.execute("CREATE INDEX persons_structure ON persons (structure_id, family_name)")
    db.execute(
        """CREATE TABLE care_team (
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id),
            added_by INTEGER REFERENCES users(id),
            added_at TEXT NOT NULL,
            PRIMARY KEY (person_id, user_id)
        )"""
    )
    db.execute("CREATE INDEX care_team_user ON care_team (user_id)")
    db.execute(
        """CREATE TABLE emergency_accesses (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id),
            reason TEXT NOT NULL,
            granted_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )"""
    )


def create_throttle_tables(db: Database) -> None:
    """Migration ``core/0004_login_throttle`` (replaces the per-account ``login_failures``)."""
    db.execute(
        """CREATE TABLE login_attempts (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            source TEXT NOT NULL,
            address TEXT NOT NULL,
            trusted INTEGER NOT NULL,
            at TEXT NOT NULL
        )"""
    )
    # ``account`` is the identifier as typed (lower case), whether or not such an account exists;
    # ``source`` is "appareil:<digest>" (a browser known for the account) or "adresse:<address>".
    db.execute("CREATE INDEX login_attempts_pair ON login_attempts (account, source, at)")
    db.execute("CREATE INDEX login_attempts_account ON login_attempts (account, trusted, at)")
    db.execute("CREATE INDEX login_attempts_address ON login_attempts (address, trusted, at)")
    db.execute("CREATE INDEX login_attempts_at ON login_attempts (at)")
    db.execute(
        """CREATE TABLE login_known_sources (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            first_success_at TEXT NOT NULL,
            last_success_at TEXT NOT NULL,
            PRIMARY KEY (user_id, source)
        )"""
    )
    db.execute("DROP TABLE IF EXISTS login_failures")


def create_second_factor_tables(db: Database) -> None:
    """Migration ``core/0005_second_factor``."""
    db.execute(
        "ALTER TABLE structures ADD COLUMN second_factor_policy TEXT NOT NULL DEFAULT 'toujours'"
        " CHECK (second_factor_policy IN ('toujours', 'hors_reseaux'))"
    )
    db.execute("ALTER TABLE structures ADD COLUMN local_networks TEXT NOT NULL DEFAULT '[]'")
    db.execute(
        """CREATE TABLE totp_apps (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            secret TEXT NOT NULL,
            confirmed_at TEXT NOT NULL,
            last_step INTEGER NOT NULL DEFAULT 0
        )"""
    )
    # An app being enrolled, by the log-in step or the session that shows its QR code: each
    # browser has its own, so nobody else (even knowing the password) can take or replace it.
    db.execute(
        """CREATE TABLE totp_enrolments (
            owner TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            secret TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    # A key's signature counter is an unsigned 32-bit number (WebAuthn): beyond PostgreSQL's
    # INTEGER, within SQLite's.
    counter = "BIGINT" if db.dialect == "postgresql" else "INTEGER"
    db.execute(
        f"""CREATE TABLE security_keys (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            credential_id TEXT NOT NULL UNIQUE,
            public_key BLOB NOT NULL,
            sign_count {counter} NOT NULL DEFAULT 0,
            rp_id TEXT NOT NULL,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_used_at TEXT
        )"""
    )
    db.execute("CREATE INDEX security_keys_user ON security_keys (user_id)")
    db.execute(
        """CREATE TABLE recovery_codes (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            code_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            used_at TEXT,
            PRIMARY KEY (user_id, code_hash)
        )"""
    )
    db.execute(
        """CREATE TABLE login_steps (
            id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            next TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE INDEX login_steps_expires ON login_steps (expires_at)")
    # One pending WebAuthn challenge per owner ("etape:<digest>" or "session:<digest>").
    db.execute(
        """CREATE TABLE webauthn_challenges (
            owner TEXT PRIMARY KEY,
            challenge TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )"""
    )


def create_notice_tables(db: Database) -> None:
    """Migration ``core/0006_worker_notice``."""
    db.execute("ALTER TABLE structures ADD COLUMN cse_consulted_on TEXT")
    db.execute(
        """CREATE TABLE notice_acknowledgements (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            acknowledged_at TEXT NOT NULL,
            structures TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (user_id, version)
        )"""
    )


def create_objection_tables(db: Database) -> None:
    """Migration ``core/0007_sharing_objections``."""
    db.execute(
        """CREATE TABLE sharing_objections (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
            scope TEXT NOT NULL CHECK (scope IN ('tout', 'sante')),
            expressed_on TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            recorded_by INTEGER REFERENCES users(id),
            recorded_by_label TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            withdrawn_on TEXT,
            withdrawn_by INTEGER REFERENCES users(id),
            withdrawn_by_label TEXT,
            withdrawn_at TEXT
        )"""
    )
    # At most one objection in force per person.
    db.execute(
        "CREATE UNIQUE INDEX sharing_objections_active ON sharing_objections (person_id)"
        " WHERE withdrawn_at IS NULL"
    )
    db.execute("CREATE INDEX sharing_objections_person ON sharing_objections (person_id, id)")


def create_device_keys_table(db: Database) -> None:
    """Migration ``core/0008_device_keys``."""
    # No foreign key to sessions: the key of an expired session outlives it for GRACE.
    db.execute(
        """CREATE TABLE device_keys (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            secret TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX device_keys_user ON device_keys (user_id, created_at)")
    # Closed before its term (log-out, password reset): the key goes with the session. Run out: kept.
    if db.dialect == "postgresql":
        db.execute(
            """CREATE FUNCTION device_keys_session_closed_fn() RETURNS trigger
            LANGUAGE plpgsql AS $$ BEGIN
                DELETE FROM device_keys WHERE session_id = OLD.id;
                RETURN OLD;
            END $$"""
        )
        db.execute(
            "CREATE TRIGGER device_keys_session_closed AFTER DELETE ON sessions FOR EACH ROW"
            f" WHEN (OLD.expires_at > {now_text(db)}) EXECUTE FUNCTION device_keys_session_closed_fn()"
        )
        return
    db.execute(
        f"""CREATE TRIGGER device_keys_session_closed AFTER DELETE ON sessions
        WHEN OLD.expires_at > {now_text(db)}
        BEGIN
            DELETE FROM device_keys WHERE session_id = OLD.id;
        END"""
    )

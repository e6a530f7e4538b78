"""The only module of the plugin with SQL, on its own tables (prefix ``kiosk_``).

- ``kiosk_devices``: kiosks and waiting-room screens, their credential's hash, revocation;
- ``kiosk_places``, ``kiosk_services``, ``kiosk_settings``: what the director configures;
- ``kiosk_convocations``: the short code of an appointment's convocation, for its day;
- ``kiosk_tickets``: the day's tickets, in order; ``kiosk_attempts``: uses and failures of a
  device (rate limits, code guessing).
"""

from __future__ import annotations

from typing import Any

from virage.sdk import Database, structure_policy

TABLES = ("kiosk_places", "kiosk_services", "kiosk_settings", "kiosk_convocations", "kiosk_tickets")


def create_tables(db: Database) -> None:
    db.execute(
        """CREATE TABLE kiosk_places (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            label TEXT NOT NULL,
            floor TEXT NOT NULL DEFAULT '',
            room TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1
        )"""
    )
    db.execute(
        """CREATE TABLE kiosk_devices (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            place_id INTEGER,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            secret_hash TEXT NOT NULL UNIQUE,
            created_by INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT,
            revoked_by INTEGER,
            last_used_at TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE kiosk_services (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            label TEXT NOT NULL,
            label_en TEXT NOT NULL DEFAULT '',
            place_id INTEGER,
            active INTEGER NOT NULL DEFAULT 1
        )"""
    )
    db.execute(
        """CREATE TABLE kiosk_settings (
            structure_id INTEGER PRIMARY KEY,
            opens TEXT NOT NULL DEFAULT '08:00',
            closes TEXT NOT NULL DEFAULT '18:00',
            welcome_fr TEXT NOT NULL DEFAULT '',
            welcome_en TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        """CREATE TABLE kiosk_convocations (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            appointment_id INTEGER NOT NULL,
            day TEXT NOT NULL,
            code TEXT NOT NULL,
            UNIQUE (structure_id, day, code),
            UNIQUE (appointment_id, day)
        )"""
    )
    db.execute(
        """CREATE TABLE kiosk_tickets (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            day TEXT NOT NULL,
            number INTEGER NOT NULL,
            device_id INTEGER NOT NULL,
            place_id INTEGER,
            service_id INTEGER,
            appointment_id INTEGER,
            person_id INTEGER,
            verified_by INTEGER,
            status TEXT NOT NULL DEFAULT 'waiting',
            desk TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            called_at TEXT,
            called_by INTEGER,
            UNIQUE (structure_id, day, number)
        )"""
    )
    db.execute(
        """CREATE TABLE kiosk_attempts (
            id INTEGER PRIMARY KEY,
            device_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX kiosk_attempts_device ON kiosk_attempts (device_id, kind, at)")
    db.execute("CREATE INDEX kiosk_tickets_day ON kiosk_tickets (structure_id, day, status)")


def create_row_security(db: Database) -> None:
    """PostgreSQL: a request sees and writes only its structures' rows. ``kiosk_devices`` and
    ``kiosk_attempts`` hold no personal data and are read before the device's structure is
    known (its credential is looked up by hash)."""
    for table in TABLES:
        structure_policy(db, table)


# --------------------------------------------------------------------------- devices


def add_device(db: Database, values: dict[str, Any]) -> int:
    cols = list(values)
    row = db.fetch_one(
        f"INSERT INTO kiosk_devices ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
        " RETURNING id",
        list(values.values()),
    )
    return int(row["id"])


def device_by_hash(db: Database, secret_hash: str) -> dict | None:
    return db.fetch_one(
        "SELECT * FROM kiosk_devices WHERE secret_hash = ? AND revoked_at IS NULL", [secret_hash]
    )


def device(db: Database, device_id: int) -> dict | None:
    return db.fetch_one("SELECT * FROM kiosk_devices WHERE id = ?", [device_id])


def devices_of(db: Database, structure_id: int) -> list[dict]:
    return db.fetch_all(
        "SELECT * FROM kiosk_devices WHERE structure_id = ? ORDER BY revoked_at IS NOT NULL, id",
        [structure_id],
    )


def revoke_device(db: Database, device_id: int, user_id: int, at: str) -> bool:
    cursor = db.execute(
        "UPDATE kiosk_devices SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
        [at, user_id, device_id],
    )
    return cursor.rowcount == 1


def touch_device(db: Database, device_id: int, at: str) -> None:
    db.execute("UPDATE kiosk_devices SET last_used_at = ? WHERE id = ?", [at, device_id])


def add_attempt(db: Database, device_id: int, kind: str, at: str) -> None:
    db.execute(
        "INSERT INTO kiosk_attempts (device_id, kind, at) VALUES (?, ?, ?)", [device_id, kind, at]
    )


def count_attempts(db: Database, device_id: int, kind: str, since: str) -> int:
    row = db.fetch_one(
        "SELECT COUNT(*) AS n FROM kiosk_attempts WHERE device_id = ? AND kind = ? AND at >= ?",
        [device_id, kind, since],
    )
    return int(row["n"]) if row else 0


def forget_attempts(db: Database, before: str) -> None:
    db.execute("DELETE FROM kiosk_attempts WHERE at < ?", [before])


# --------------------------------------------------------------------------- configuration


def places(db: Database, structure_id: int) -> list[dict]:
    return db.fetch_all(
        "SELECT * FROM kiosk_places WHERE structure_id = ? AND active = 1 ORDER BY id",
        [structure_id],
    )


def place(db: Database, structure_id: int, place_id: int | None) -> dict | None:
    if place_id is None:
        return None
    return db.fetch_one(
        "SELECT * FROM kiosk_places WHERE id = ? AND structure_id = ?", [place_id, structure_id]
    )


def add_place(db: Database, structure_id: int, label: str, floor: str, room: str) -> None:
    db.execute(
        "INSERT INTO kiosk_places (structure_id, label, floor, room) VALUES (?, ?, ?, ?)",
        [structure_id, label, floor, room],
    )


def services(db: Database, structure_id: int) -> list[dict]:
    return db.fetch_all(
        "SELECT * FROM kiosk_services WHERE structure_id = ? AND active = 1 ORDER BY id",
        [structure_id],
    )


def service(db: Database, structure_id: int, service_id: int) -> dict | None:
    return db.fetch_one(
        "SELECT * FROM kiosk_services WHERE id = ? AND structure_id = ? AND active = 1",
        [service_id, structure_id],
    )


def add_service(
    db: Database, structure_id: int, label: str, label_en: str, place_id: int | None
) -> None:
    db.execute(
        "INSERT INTO kiosk_services (structure_id, label, label_en, place_id) VALUES (?, ?, ?, ?)",
        [structure_id, label, label_en, place_id],
    )


def deactivate(db: Database, table: str, structure_id: int, row_id: int) -> bool:
    assert table in ("kiosk_places", "kiosk_services")
    cursor = db.execute(
        f"UPDATE {table} SET active = 0 WHERE id = ? AND structure_id = ?", [row_id, structure_id]
    )
    return cursor.rowcount == 1


def settings(db: Database, structure_id: int) -> dict:
    row = db.fetch_one("SELECT * FROM kiosk_settings WHERE structure_id = ?", [structure_id])
    return row or {
        "structure_id": structure_id,
        "opens": "08:00",
        "closes": "18:00",
        "welcome_fr": "",
        "welcome_en": "",
    }


def save_settings(db: Database, structure_id: int, values: dict[str, str]) -> None:
    db.execute("DELETE FROM kiosk_settings WHERE structure_id = ?", [structure_id])
    db.execute(
        "INSERT INTO kiosk_settings (structure_id, opens, closes, welcome_fr, welcome_en)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            structure_id,
            values["opens"],
            values["closes"],
            values["welcome_fr"],
            values["welcome_en"],
        ],
    )


# --------------------------------------------------------------------------- convocations


def convocation(db: Database, appointment_id: int, day: str) -> dict | None:
    return db.fetch_one(
        "SELECT * FROM kiosk_convocations WHERE appointment_id = ? AND day = ?",
        [appointment_id, day],
    )


def convocation_by_code(db: Database, structure_id: int, day: str, code: str) -> dict | None:
    return db.fetch_one(
        "SELECT * FROM kiosk_convocations WHERE structure_id = ? AND day = ? AND code = ?",
        [structure_id, day, code],
    )


def add_convocation(
    db: Database, structure_id: int, appointment_id: int, day: str, code: str
) -> None:
    db.execute(
        "INSERT INTO kiosk_convocations (structure_id, appointment_id, day, code)"
        " VALUES (?, ?, ?, ?)",
        [structure_id, appointment_id, day, code],
    )


# --------------------------------------------------------------------------- tickets


def next_number(db: Database, structure_id: int, day: str) -> int:
    row = db.fetch_one(
        "SELECT COALESCE(MAX(number), 0) + 1 AS n FROM kiosk_tickets"
        " WHERE structure_id = ? AND day = ?",
        [structure_id, day],
    )
    return int(row["n"])


def add_ticket(db: Database, values: dict[str, Any]) -> int:
    cols = list(values)
    row = db.fetch_one(
        f"INSERT INTO kiosk_tickets ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
        " RETURNING id",
        list(values.values()),
    )
    return int(row["id"])


def ticket(db: Database, structure_id: int, ticket_id: int) -> dict | None:
    return db.fetch_one(
        "SELECT * FROM kiosk_tickets WHERE id = ? AND structure_id = ?", [ticket_id, structure_id]
    )


def ticket_of_appointment(db: Database, appointment_id: int, day: str) -> dict | None:
    return db.fetch_one(
        "SELECT * FROM kiosk_tickets WHERE appointment_id = ? AND day = ?", [appointment_id, day]
    )


def queue(db: Database, structure_id: int, day: str) -> list[dict]:
    return db.fetch_all(
        "SELECT * FROM kiosk_tickets WHERE structure_id = ? AND day = ?"
        " AND status IN ('waiting', 'called') ORDER BY status = 'waiting', number",
        [structure_id, day],
    )


def first_waiting(db: Database, structure_id: int, day: str) -> dict | None:
    return db.fetch_one(
        "SELECT * FROM kiosk_tickets WHERE structure_id = ? AND day = ? AND status = 'waiting'"
        " ORDER BY number LIMIT 1",
        [structure_id, day],
    )


def update_ticket(db: Database, ticket_id: int, changes: dict[str, Any], status: str) -> bool:
    sets = ", ".join(f"{k} = ?" for k in changes)
    cursor = db.execute(
        f"UPDATE kiosk_tickets SET {sets} WHERE id = ? AND status = ?",
        [*changes.values(), ticket_id, status],
    )
    return cursor.rowcount == 1


def called(db: Database, structure_id: int, day: str, limit: int = 6) -> list[dict]:
    """The last tickets called: number and desk only (the waiting-room screen)."""
    return db.fetch_all(
        "SELECT number, desk, called_at FROM kiosk_tickets WHERE structure_id = ? AND day = ?"
        " AND called_at IS NOT NULL ORDER BY called_at DESC, number DESC LIMIT ?",
        [structure_id, day, limit],
    )


def forget_before(db: Database, structure_id: int, day: str) -> None:
    """Tickets and convocation codes of days before ``day`` (kept no longer than needed)."""
    for table in ("kiosk_tickets", "kiosk_convocations"):
        db.execute(f"DELETE FROM {table} WHERE structure_id = ? AND day < ?", [structure_id, day])


def of_worker(db: Database, user_id: int) -> tuple[list[dict], list[dict]]:
    """What the kiosk records about a worker: tickets she called or checked, devices she
    enrolled or revoked."""
    tickets = db.fetch_all(
        "SELECT day, number, called_by, verified_by FROM kiosk_tickets"
        " WHERE called_by = ? OR verified_by = ? ORDER BY day, number",
        [user_id, user_id],
    )
    found = db.fetch_all(
        "SELECT id, name, created_by, revoked_by FROM kiosk_devices"
        " WHERE created_by = ? OR revoked_by = ? ORDER BY id",
        [user_id, user_id],
    )
    return tickets, found


def person_ids(db: Database, person_id: int) -> list[dict]:
    """For the person's export: her tickets (no other person's)."""
    return db.fetch_all(
        "SELECT day, number, status, created_at, called_at FROM kiosk_tickets"
        " WHERE person_id = ? ORDER BY id",
        [person_id],
    )


def delete_person(db: Database, person_id: int) -> None:
    db.execute("UPDATE kiosk_tickets SET person_id = NULL WHERE person_id = ?", [person_id])


def move_person(db: Database, kept_id: int, merged_id: int) -> None:
    """A merge of duplicate records: the duplicate's tickets follow the record kept."""
    db.execute("UPDATE kiosk_tickets SET person_id = ? WHERE person_id = ?", [kept_id, merged_id])

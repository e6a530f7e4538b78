"""The only module of the plugin with SQL, on its own tables (prefix ``alerts_``).

- ``alerts_devices``: sensors and nurse-call systems, their room and unit, the salt from which
  their signing secret is derived (the secret itself is never stored), revocation;
- ``alerts_events``: each event received, once per (device, event id): retries are idempotent;
- ``alerts_signatures``: signatures seen lately, so that a replayed request is refused;
- ``alerts_alerts``: the alerts and their state; ``alerts_steps``: every step, timestamped (also
  the feed of the live board: a step's id is the server-sent event's id);
- ``alerts_settings``: a structure's escalation delay.
"""

from __future__ import annotations

import json
from typing import Any

from virage.sdk import Database, structure_policy

TABLES = ("alerts_events", "alerts_alerts", "alerts_steps", "alerts_settings")
OPEN = ("raised", "taken", "on_site")


def create_tables(db: Database) -> None:
    db.execute(
        """CREATE TABLE alerts_devices (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            room TEXT NOT NULL,
            unit TEXT NOT NULL,
            vendor TEXT NOT NULL DEFAULT 'generique',
            salt TEXT NOT NULL,
            created_by INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT,
            revoked_by INTEGER,
            last_event_at TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE alerts_events (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            device_id INTEGER NOT NULL,
            event_id TEXT NOT NULL,
            body_hash TEXT NOT NULL,
            alert_id INTEGER,
            received_at TEXT NOT NULL,
            UNIQUE (device_id, event_id)
        )"""
    )
    db.execute(
        """CREATE TABLE alerts_signatures (
            device_id INTEGER NOT NULL,
            signature TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (device_id, signature)
        )"""
    )
    db.execute(
        """CREATE TABLE alerts_alerts (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            device_id INTEGER NOT NULL,
            room TEXT NOT NULL,
            unit TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'raised',
            level INTEGER NOT NULL DEFAULT 0,
            raised_at TEXT NOT NULL,
            taken_by INTEGER,
            taken_at TEXT,
            on_site_at TEXT,
            closed_by INTEGER,
            closed_at TEXT,
            outcome TEXT,
            person_id INTEGER
        )"""
    )
    db.execute(
        """CREATE TABLE alerts_steps (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            alert_id INTEGER NOT NULL,
            step TEXT NOT NULL,
            user_id INTEGER,
            at TEXT NOT NULL,
            details TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db.execute(
        """CREATE TABLE alerts_settings (
            structure_id INTEGER PRIMARY KEY,
            escalation_minutes INTEGER NOT NULL DEFAULT 3
        )"""
    )
    db.execute("CREATE INDEX alerts_alerts_open ON alerts_alerts (structure_id, status)")
    db.execute("CREATE INDEX alerts_steps_feed ON alerts_steps (structure_id, id)")
    db.execute("CREATE INDEX alerts_signatures_at ON alerts_signatures (at)")


def create_row_security(db: Database) -> None:
    """PostgreSQL: a request sees and writes only its structures' rows. ``alerts_devices`` and
    ``alerts_signatures`` hold no personal data and are read before the device's structure is
    known (the webhook names the device)."""
    for table in TABLES:
        structure_policy(db, table)


def _insert(db: Database, table: str, values: dict[str, Any]) -> int:
    cols = list(values)
    row = db.fetch_one(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
        " RETURNING id",
        list(values.values()),
    )
    return int(row["id"])


# --------------------------------------------------------------------------- devices


def add_device(db: Database, values: dict[str, Any]) -> int:
    return _insert(db, "alerts_devices", values)


def device(db: Database, device_id: int) -> dict | None:
    return db.fetch_one("SELECT * FROM alerts_devices WHERE id = ?", [device_id])


def devices_of(db: Database, structure_id: int) -> list[dict]:
    return db.fetch_all(
        "SELECT * FROM alerts_devices WHERE structure_id = ? ORDER BY revoked_at IS NOT NULL, id",
        [structure_id],
    )


def revoke_device(db: Database, device_id: int, user_id: int, at: str) -> bool:
    cursor = db.execute(
        "UPDATE alerts_devices SET revoked_at = ?, revoked_by = ?"
        " WHERE id = ? AND revoked_at IS NULL",
        [at, user_id, device_id],
    )
    return cursor.rowcount == 1


def touch_device(db: Database, device_id: int, at: str) -> None:
    db.execute("UPDATE alerts_devices SET last_event_at = ? WHERE id = ?", [at, device_id])


# --------------------------------------------------------------------------- events


def signature_seen(db: Database, device_id: int, signature: str, at: str, since: str) -> bool:
    """Remember a signature; True when it was already seen (a replay). Forgets old ones."""
    db.execute("DELETE FROM alerts_signatures WHERE at < ?", [since])
    try:
        with db.savepoint("alerts_signature"):
            db.execute(
                "INSERT INTO alerts_signatures (device_id, signature, at) VALUES (?, ?, ?)",
                [device_id, signature, at],
            )
    except db.IntegrityError:
        return True
    return False


def event(db: Database, device_id: int, event_id: str) -> dict | None:
    return db.fetch_one(
        "SELECT * FROM alerts_events WHERE device_id = ? AND event_id = ?", [device_id, event_id]
    )


def add_event(db: Database, values: dict[str, Any]) -> int:
    return _insert(db, "alerts_events", values)


# --------------------------------------------------------------------------- alerts


def add_alert(db: Database, values: dict[str, Any]) -> int:
    return _insert(db, "alerts_alerts", values)


def alert(db: Database, alert_id: int) -> dict | None:
    return db.fetch_one("SELECT * FROM alerts_alerts WHERE id = ?", [alert_id])


def open_alerts(db: Database, structure_id: int | None = None) -> list[dict]:
    sql = f"SELECT * FROM alerts_alerts WHERE status IN {OPEN}"
    if structure_id is None:
        return db.fetch_all(sql + " ORDER BY raised_at, id")
    return db.fetch_all(sql + " AND structure_id = ? ORDER BY raised_at, id", [structure_id])


def recent_closed(db: Database, structure_id: int, since: str) -> list[dict]:
    return db.fetch_all(
        "SELECT * FROM alerts_alerts WHERE structure_id = ? AND status = 'closed'"
        " AND closed_at >= ? ORDER BY closed_at DESC, id DESC LIMIT 50",
        [structure_id, since],
    )


def closed_between(db: Database, structure_id: int, start: str, end: str) -> list[dict]:
    return db.fetch_all(
        "SELECT * FROM alerts_alerts WHERE structure_id = ? AND status = 'closed'"
        " AND raised_at >= ? AND raised_at < ? ORDER BY raised_at, id",
        [structure_id, start, end],
    )


def move(db: Database, alert_id: int, frm: tuple[str, ...], values: dict[str, Any]) -> bool:
    """Change an alert only if its status is still one of ``frm``: the first writer wins."""
    sets = ", ".join(f"{k} = ?" for k in values)
    marks = ", ".join("?" for _ in frm)
    cursor = db.execute(
        f"UPDATE alerts_alerts SET {sets} WHERE id = ? AND status IN ({marks})",
        [*values.values(), alert_id, *frm],
    )
    return cursor.rowcount == 1


def set_level(db: Database, alert_id: int, level: int) -> bool:
    cursor = db.execute(
        "UPDATE alerts_alerts SET level = ? WHERE id = ? AND status = 'raised' AND level < ?",
        [level, alert_id, level],
    )
    return cursor.rowcount == 1


def add_step(db: Database, alert: dict, step: str, user_id, at: str, details=None) -> int:
    return _insert(
        db,
        "alerts_steps",
        {
            "structure_id": alert["structure_id"],
            "alert_id": alert["id"],
            "step": step,
            "user_id": user_id,
            "at": at,
            "details": json.dumps(details or {}, ensure_ascii=False),
        },
    )


def steps_after(db: Database, structure_id: int, after_id: int, limit: int = 500) -> list[dict]:
    return db.fetch_all(
        "SELECT * FROM alerts_steps WHERE structure_id = ? AND id > ? ORDER BY id LIMIT ?",
        [structure_id, after_id, limit],
    )


def steps_of(db: Database, alert_id: int) -> list[dict]:
    return db.fetch_all("SELECT * FROM alerts_steps WHERE alert_id = ? ORDER BY id", [alert_id])


def last_step_id(db: Database, structure_id: int) -> int:
    row = db.fetch_one(
        "SELECT MAX(id) AS m FROM alerts_steps WHERE structure_id = ?", [structure_id]
    )
    return int(row["m"] or 0)


# --------------------------------------------------------------------------- settings


def escalation_minutes(db: Database, structure_id: int) -> int:
    row = db.fetch_one(
        "SELECT escalation_minutes FROM alerts_settings WHERE structure_id = ?", [structure_id]
    )
    return int(row["escalation_minutes"]) if row else 3


def set_escalation_minutes(db: Database, structure_id: int, minutes: int) -> None:
    if db.fetch_one("SELECT 1 FROM alerts_settings WHERE structure_id = ?", [structure_id]):
        db.execute(
            "UPDATE alerts_settings SET escalation_minutes = ? WHERE structure_id = ?",
            [minutes, structure_id],
        )
    else:
        db.execute(
            "INSERT INTO alerts_settings (structure_id, escalation_minutes) VALUES (?, ?)",
            [structure_id, minutes],
        )


def delete_person(db: Database, person_id: int) -> None:
    db.execute("UPDATE alerts_alerts SET person_id = NULL WHERE person_id = ?", [person_id])

"""The only module of the plugin with SQL, on the plugin's own table ``teleconsultations``."""

from __future__ import annotations

from typing import Any

from virage.sdk import Database, utcnow_iso

COLUMNS = (
    "structure_id",
    "person_id",
    "appointment_id",
    "status",
    "requested_by",
    "doctor_professional_id",
    "doctor_user_id",
    "doctor_label",
    "accompanying_user_id",
    "reason",
    "documents",
    "room",
    "identity_checked_by",
    "consent_collected_by",
    "consent_method",
    "consent_at",
    "equipment",
    "prepared_at",
    "started_at",
    "ended_at",
    "outcome_reason",
    "report_transmission_id",
    "report_author_id",
)


def create_tables(db: Database) -> None:
    db.execute(
        """CREATE TABLE teleconsultations (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL,
            person_id INTEGER NOT NULL,
            appointment_id INTEGER,
            status TEXT NOT NULL,
            requested_by INTEGER NOT NULL,
            doctor_professional_id INTEGER NOT NULL,
            doctor_user_id INTEGER,
            doctor_label TEXT NOT NULL,
            accompanying_user_id INTEGER,
            reason TEXT NOT NULL,
            documents TEXT NOT NULL DEFAULT '',
            room TEXT NOT NULL UNIQUE,
            identity_checked_by INTEGER,
            consent_collected_by INTEGER,
            consent_method TEXT,
            consent_at TEXT,
            equipment TEXT,
            prepared_at TEXT,
            started_at TEXT,
            ended_at TEXT,
            outcome_reason TEXT,
            report_transmission_id INTEGER,
            report_author_id INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX teleconsultations_person ON teleconsultations (person_id)")
    db.execute(
        "CREATE INDEX teleconsultations_structure ON teleconsultations (structure_id, status)"
    )


def _rows(db, sql: str, params: list[Any]) -> list[dict]:
    cur = db.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def insert(db: Database, values: dict[str, Any]) -> int:
    now = utcnow_iso()
    cols = [c for c in COLUMNS if c in values]
    cur = db.execute(
        f"INSERT INTO teleconsultations ({', '.join(cols)}, created_at, updated_at)"
        f" VALUES ({', '.join('?' * len(cols))}, ?, ?)",
        [values[c] for c in cols] + [now, now],
    )
    return cur.lastrowid


def update(db: Database, tc_id: int, values: dict[str, Any]) -> None:
    cols = [c for c in values if c in COLUMNS]
    db.execute(
        f"UPDATE teleconsultations SET {', '.join(f'{c} = ?' for c in cols)}, updated_at = ?"
        " WHERE id = ?",
        [values[c] for c in cols] + [utcnow_iso(), tc_id],
    )


def get(db: Database, tc_id: int) -> dict | None:
    rows = _rows(db, "SELECT * FROM teleconsultations WHERE id = ?", [tc_id])
    return rows[0] if rows else None


def by_appointment(db: Database, appointment_id: int) -> dict | None:
    rows = _rows(db, "SELECT * FROM teleconsultations WHERE appointment_id = ?", [appointment_id])
    return rows[0] if rows else None


def of_person(db: Database, person_id: int) -> list[dict]:
    return _rows(
        db, "SELECT * FROM teleconsultations WHERE person_id = ? ORDER BY id DESC", [person_id]
    )


def of_structure(db: Database, structure_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT * FROM teleconsultations WHERE structure_id = ? ORDER BY id DESC LIMIT 500",
        [structure_id],
    )


def of_user(db: Database, user_id: int) -> list[dict]:
    """Where the worker takes part (requested, accompanies, consults) or recorded a step."""
    return _rows(
        db,
        "SELECT * FROM teleconsultations WHERE ? IN (requested_by, doctor_user_id,"
        " accompanying_user_id, identity_checked_by, consent_collected_by, report_author_id)"
        " ORDER BY id DESC LIMIT 500",
        [user_id],
    )


def delete_person(db: Database, person_id: int) -> None:
    db.execute("DELETE FROM teleconsultations WHERE person_id = ?", [person_id])

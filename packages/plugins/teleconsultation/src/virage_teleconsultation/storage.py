"""The only module of the plugin with SQL, on the plugin's own table ``teleconsultations``."""

from __future__ import annotations

from typing import Any

from virage.sdk import Database, structure_policy, utcnow_iso

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


def create_row_security(db: Database) -> None:
    """PostgreSQL: a request sees and writes only the sessions of the structures it acts for
    (a second lock behind the service's checks; nothing on SQLite)."""
    structure_policy(db, "teleconsultations")


def _rows(db: Database, sql: str, params: list[Any]) -> list[dict]:
    return db.fetch_all(sql, params)


def insert(db: Database, values: dict[str, Any]) -> int:
    now = utcnow_iso()
    cols = [c for c in COLUMNS if c in values]
    cur = db.execute(
        f"INSERT INTO teleconsultations ({', '.join(cols)}, created_at, updated_at)"
        f" VALUES ({', '.join('?' * len(cols))}, ?, ?) RETURNING id",
        [values[c] for c in cols] + [now, now],
    )
    return cur.fetchone()[0]


def update(
    db: Database, tc_id: int, values: dict[str, Any], *, from_status: str | None = None
) -> bool:
    """Write ``values``; with ``from_status``, only while the session is still in that state
    (compare-and-set: of two concurrent steps, one wins). True when the row was written."""
    cols = [c for c in values if c in COLUMNS]
    where, params = "id = ?", [tc_id]
    if from_status is not None:
        where += " AND status = ?"
        params.append(from_status)
    cur = db.execute(
        f"UPDATE teleconsultations SET {', '.join(f'{c} = ?' for c in cols)}, updated_at = ?"
        f" WHERE {where}",
        [values[c] for c in cols] + [utcnow_iso(), *params],
    )
    return cur.rowcount == 1


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

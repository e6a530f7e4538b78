"""Storage of the iCalendar identifiers (``UID``) already imported into a structure.

An event of an ``.ics`` file is imported once per structure: importing the same file again, or
twice at the same moment, must not create its appointments twice. The database decides, by the
primary key of ``agenda_ical_imports`` (structure, UID): the booking that imports an event claims
its UID in the transaction that writes the appointment or the series, and a second claim of the
same UID finds it taken (it waits for the first transaction to end, on PostgreSQL) and is
refused. A claim goes with what it created: deleted with the appointment or the series (migration
``core/0025_agenda_ical_imports``).
"""

from __future__ import annotations

from virage.db import Database, utcnow_iso
from virage.db_policies import structure_policy


def create_imports_table(db: Database) -> None:
    """Migration 0025: the UIDs imported, each claimed once per structure; those of the
    appointments and series already imported are recorded."""
    db.execute(
        """CREATE TABLE agenda_ical_imports (
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            ical_uid TEXT NOT NULL,
            appointment_id INTEGER REFERENCES agenda_appointments(id) ON DELETE CASCADE,
            series_id INTEGER REFERENCES agenda_series(id) ON DELETE CASCADE,
            imported_at TEXT NOT NULL,
            PRIMARY KEY (structure_id, ical_uid),
            CHECK ((appointment_id IS NULL) <> (series_id IS NULL))
        )"""
    )
    db.execute(
        "CREATE INDEX agenda_ical_imports_appointment ON agenda_ical_imports (appointment_id)"
    )
    db.execute("CREATE INDEX agenda_ical_imports_series ON agenda_ical_imports (series_id)")
    # A series split in two keeps its UID on both parts: the claim is the first part's.
    db.execute(
        "INSERT INTO agenda_ical_imports"
        " (structure_id, ical_uid, appointment_id, series_id, imported_at)"
        " SELECT structure_id, ical_uid, NULL, MIN(id), MIN(created_at) FROM agenda_series"
        " WHERE ical_uid IS NOT NULL GROUP BY structure_id, ical_uid"
        " ON CONFLICT (structure_id, ical_uid) DO NOTHING"
    )
    db.execute(
        "INSERT INTO agenda_ical_imports"
        " (structure_id, ical_uid, appointment_id, series_id, imported_at)"
        " SELECT structure_id, ical_uid, MIN(id), NULL, MIN(created_at) FROM agenda_appointments"
        " WHERE ical_uid IS NOT NULL GROUP BY structure_id, ical_uid"
        " ON CONFLICT (structure_id, ical_uid) DO NOTHING"
    )
    structure_policy(db, "agenda_ical_imports")


def uid_imported(db: Database, structure_id: int, uid: str) -> bool:
    """Was an event with this UID already imported into the structure? (A quick answer before
    booking; the claim made by the booking decides.)"""
    row = db.execute(
        "SELECT 1 FROM agenda_ical_imports WHERE structure_id = ? AND ical_uid = ?",
        [structure_id, uid],
    ).fetchone()
    return row is not None


def claim_uid(
    db: Database,
    structure_id: int,
    uid: str,
    *,
    appointment_id: int | None = None,
    series_id: int | None = None,
) -> bool:
    """Record that ``uid`` was imported as this appointment or series, inside the transaction
    that wrote it; ``False`` when another import holds it (the caller rolls back)."""
    cur = db.execute(
        "INSERT INTO agenda_ical_imports"
        " (structure_id, ical_uid, appointment_id, series_id, imported_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (structure_id, ical_uid) DO NOTHING",
        [structure_id, uid, appointment_id, series_id, utcnow_iso()],
    )
    return cur.rowcount == 1

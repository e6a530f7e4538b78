"""The agenda's tables (migrations ``core`` 0020 to 0024)."""

from __future__ import annotations

from virage.accounts import lookups
from virage.db import Database
from virage.db_ddl import without_rowid


def create_agenda_tables(db: Database) -> None:
    db.execute(
        """CREATE TABLE agenda_series (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            person_id INTEGER REFERENCES persons(id) ON DELETE CASCADE,
            place TEXT NOT NULL,
            place_detail TEXT,
            notes TEXT NOT NULL DEFAULT '',
            to_bring TEXT NOT NULL DEFAULT '',
            professional_ids TEXT NOT NULL,
            dtstart_local TEXT NOT NULL,
            duration_minutes INTEGER NOT NULL,
            rrule TEXT NOT NULL,
            exdates TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'planned',
            open_ended INTEGER NOT NULL DEFAULT 0,
            materialised_until TEXT NOT NULL,
            forced INTEGER NOT NULL DEFAULT 0,
            parent_id INTEGER REFERENCES agenda_series(id),
            ical_uid TEXT,
            cancel_reason TEXT,
            cancelled_at TEXT,
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            updated_by INTEGER REFERENCES users(id),
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        "CREATE INDEX agenda_series_horizon ON agenda_series (open_ended, materialised_until)"
    )
    db.execute("CREATE INDEX agenda_series_person ON agenda_series (person_id)")
    db.execute(
        """CREATE TABLE agenda_appointments (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            series_id INTEGER REFERENCES agenda_series(id) ON DELETE CASCADE,
            recurrence_id TEXT,
            detached INTEGER NOT NULL DEFAULT 0,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            person_id INTEGER REFERENCES persons(id) ON DELETE CASCADE,
            place TEXT NOT NULL,
            place_detail TEXT,
            start_utc TEXT NOT NULL,
            end_utc TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned', 'confirmed', 'done', 'cancelled', 'missed')),
            cancel_reason TEXT,
            notes TEXT NOT NULL DEFAULT '',
            to_bring TEXT NOT NULL DEFAULT '',
            forced INTEGER NOT NULL DEFAULT 0,
            ical_uid TEXT,
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            updated_by INTEGER REFERENCES users(id),
            updated_at TEXT NOT NULL,
            CHECK (end_utc > start_utc)
        )"""
    )
    db.execute(
        "CREATE UNIQUE INDEX agenda_occurrence ON agenda_appointments (series_id, recurrence_id)"
        " WHERE series_id IS NOT NULL"
    )
    db.execute(
        "CREATE INDEX agenda_appointments_person ON agenda_appointments (person_id, start_utc)"
        " WHERE person_id IS NOT NULL"
    )
    db.execute(
        "CREATE INDEX agenda_appointments_structure ON agenda_appointments (structure_id, start_utc)"
    )
    db.execute(
        "CREATE INDEX agenda_appointments_uid ON agenda_appointments (ical_uid)"
        " WHERE ical_uid IS NOT NULL"
    )
    db.execute(
        f"""CREATE TABLE agenda_attendees (
            appointment_id INTEGER NOT NULL REFERENCES agenda_appointments(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id),
            start_utc TEXT NOT NULL,
            end_utc TEXT NOT NULL,
            busy INTEGER NOT NULL,
            PRIMARY KEY (appointment_id, user_id)
        ){without_rowid(db)}"""
    )
    db.execute(
        "CREATE INDEX agenda_attendees_user"
        " ON agenda_attendees (user_id, start_utc, end_utc, busy, appointment_id)"
    )
    db.execute(
        """CREATE TABLE agenda_checkins (
            appointment_id INTEGER NOT NULL REFERENCES agenda_appointments(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id),
            checked_in_at TEXT,
            checked_out_at TEXT,
            PRIMARY KEY (appointment_id, user_id)
        )"""
    )
    db.execute("CREATE INDEX agenda_checkins_user ON agenda_checkins (user_id)")


def create_availability_tables(db: Database) -> None:
    db.execute(
        """CREATE TABLE agenda_working_hours (
            user_id INTEGER NOT NULL REFERENCES users(id),
            weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
            start_time TEXT NOT NULL,
            end_time TEXT NOT NULL,
            updated_by INTEGER REFERENCES users(id),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (user_id, weekday, start_time),
            CHECK (end_time > start_time)
        )"""
    )
    db.execute(
        """CREATE TABLE agenda_absences (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            kind TEXT NOT NULL CHECK (kind IN ('leave', 'training', 'absence')),
            start_utc TEXT NOT NULL,
            end_utc TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            created_at TEXT NOT NULL,
            CHECK (end_utc > start_utc)
        )"""
    )
    db.execute("CREATE INDEX agenda_absences_user ON agenda_absences (user_id, start_utc)")
    db.execute(
        """CREATE TABLE agenda_teams (
            id INTEGER PRIMARY KEY,
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (structure_id, name)
        )"""
    )
    db.execute(
        """CREATE TABLE agenda_team_members (
            team_id INTEGER NOT NULL REFERENCES agenda_teams(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id),
            PRIMARY KEY (team_id, user_id)
        )"""
    )


def create_feed_tables(db: Database) -> None:
    db.execute(
        """CREATE TABLE agenda_feeds (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            revoked_at TEXT,
            last_used_at TEXT
        )"""
    )
    db.execute("CREATE INDEX agenda_feeds_user ON agenda_feeds (user_id)")


def add_with_series_column(db: Database) -> None:
    """Migration 0023: ``with_series`` is 1 on an occurrence cancelled because its series was."""
    db.execute("ALTER TABLE agenda_appointments ADD COLUMN with_series INTEGER NOT NULL DEFAULT 0")


def create_settings_table(db: Database) -> None:
    """Migration 0024: the agenda's settings of a structure (what calendar feeds show of a
    person), in a table of the agenda; the values of ``structures.calendar_privacy`` (a column
    of the accounts' table, no longer used) are copied."""
    db.execute(
        """CREATE TABLE agenda_structure_settings (
            structure_id INTEGER PRIMARY KEY REFERENCES structures(id),
            calendar_privacy TEXT NOT NULL DEFAULT 'initials'
        )"""
    )
    for structure in lookups.structures(db):
        if structure.get("calendar_privacy"):
            db.execute(
                "INSERT INTO agenda_structure_settings (structure_id, calendar_privacy)"
                " VALUES (?, ?)",
                [structure["id"], structure["calendar_privacy"]],
            )

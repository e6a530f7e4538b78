"""The tables of the orientation plugin (prefix ``orientation_``), created by its migration."""

from __future__ import annotations

from virage.sdk import Database


def create_tables(db: Database) -> None:
    db.execute(
        """CREATE TABLE orientation_requests (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL,
            structure_id INTEGER NOT NULL,
            author_id INTEGER NOT NULL,
            module TEXT NOT NULL,
            offer TEXT NOT NULL,
            decision_ref TEXT,
            criteria TEXT NOT NULL DEFAULT '[]',
            gir INTEGER,
            mobility TEXT,
            commune_code TEXT,
            commune_label TEXT,
            lat REAL,
            lon REAL,
            radius_km REAL NOT NULL,
            wished_date TEXT,
            urgency TEXT NOT NULL DEFAULT 'normale',
            consent TEXT NOT NULL,
            consent_by TEXT,
            admin_notes TEXT NOT NULL DEFAULT '',
            family_name TEXT NOT NULL,
            birth_name TEXT,
            given_names TEXT NOT NULL,
            birth_date TEXT,
            sex TEXT,
            status TEXT NOT NULL DEFAULT 'brouillon',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            sent_at TEXT
        )"""
    )
    db.execute("CREATE INDEX orientation_requests_person ON orientation_requests (person_id)")
    db.execute("CREATE INDEX orientation_requests_structure ON orientation_requests (structure_id)")
    db.execute(
        """CREATE TABLE orientation_medical (
            request_id INTEGER PRIMARY KEY REFERENCES orientation_requests(id) ON DELETE CASCADE,
            content TEXT NOT NULL,
            author_id INTEGER NOT NULL,
            author_label TEXT NOT NULL,
            completed_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE orientation_sendings (
            id INTEGER PRIMARY KEY,
            request_id INTEGER NOT NULL REFERENCES orientation_requests(id) ON DELETE CASCADE,
            directory_id INTEGER NOT NULL,
            structure_name TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'envoyee',
            status_at TEXT NOT NULL,
            refusal_reason TEXT,
            comment TEXT,
            proposed_date TEXT,
            sent_at TEXT NOT NULL,
            answered_at TEXT,
            UNIQUE (request_id, directory_id)
        )"""
    )
    db.execute("CREATE INDEX orientation_sendings_directory ON orientation_sendings (directory_id)")
    db.execute(
        """CREATE TABLE orientation_events (
            id INTEGER PRIMARY KEY,
            request_id INTEGER NOT NULL REFERENCES orientation_requests(id) ON DELETE CASCADE,
            sending_id INTEGER,
            status TEXT NOT NULL,
            detail TEXT,
            actor_label TEXT,
            actor_id INTEGER,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX orientation_events_request ON orientation_events (request_id)")
    db.execute(
        """CREATE TABLE orientation_places (
            directory_id INTEGER NOT NULL,
            offer TEXT NOT NULL,
            places INTEGER NOT NULL CHECK (places >= 0),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (directory_id, offer)
        )"""
    )
    db.execute(
        """CREATE TABLE orientation_links (
            structure_id INTEGER PRIMARY KEY,
            directory_id INTEGER NOT NULL
        )"""
    )


def create_offers_table(db: Database) -> None:
    """0002: the offers a structure of the directory does not take orientations for (set in
    « Réglages de la structure »; none by default: every offer of its category)."""
    db.execute(
        """CREATE TABLE orientation_offers_closed (
            directory_id INTEGER NOT NULL,
            offer TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (directory_id, offer)
        )"""
    )

"""SQL of the after-fall follow-up, on the plugin's own tables: which resident occupies a room
(``alerts_rooms``), and the closed alerts the fall register and the figures read.

The register's and the figures' queries name their columns: never who took or closed an alert
(``taken_by``, ``closed_by``), so that no figure can be drawn per worker.
"""

from __future__ import annotations

from virage.sdk import Database, structure_policy

#: The columns the register and the figures may read: no worker, no resident.
QUALITY_COLUMNS = (
    "id, room, unit, kind, status, level, raised_at, taken_at, on_site_at, closed_at, outcome"
)
#: A period is at most a year: the queries below never read more than this many alerts.
MAX_ROWS = 20000


def create_rooms(db: Database) -> None:
    db.execute(
        """CREATE TABLE alerts_rooms (
            structure_id INTEGER NOT NULL,
            room TEXT NOT NULL,
            person_id INTEGER NOT NULL,
            set_by INTEGER NOT NULL,
            set_at TEXT NOT NULL,
            PRIMARY KEY (structure_id, room)
        )"""
    )
    structure_policy(db, "alerts_rooms")


def rooms_of(db: Database, structure_id: int) -> dict[str, int]:
    """``{room: person id}`` of a structure."""
    rows = db.fetch_all(
        "SELECT room, person_id FROM alerts_rooms WHERE structure_id = ?", [structure_id]
    )
    return {r["room"]: int(r["person_id"]) for r in rows}


def resident_of(db: Database, structure_id: int, room: str) -> int | None:
    row = db.fetch_one(
        "SELECT person_id FROM alerts_rooms WHERE structure_id = ? AND room = ?",
        [structure_id, room],
    )
    return int(row["person_id"]) if row else None


def set_room(db: Database, structure_id: int, room: str, person_id, user_id: int, at: str) -> None:
    """Who occupies ``room`` (``person_id`` None: nobody); a person has one room at most."""
    db.execute("DELETE FROM alerts_rooms WHERE structure_id = ? AND room = ?", [structure_id, room])
    if person_id is None:
        return
    db.execute(
        "DELETE FROM alerts_rooms WHERE structure_id = ? AND person_id = ?",
        [structure_id, person_id],
    )
    db.execute(
        "INSERT INTO alerts_rooms (structure_id, room, person_id, set_by, set_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [structure_id, room, person_id, user_id, at],
    )


def device_rooms(db: Database, structure_id: int) -> list[dict]:
    """The rooms and units of the structure's devices still in service."""
    return db.fetch_all(
        "SELECT DISTINCT room, unit FROM alerts_devices WHERE structure_id = ?"
        " AND revoked_at IS NULL ORDER BY unit, room LIMIT 2000",
        [structure_id],
    )


def forget_person(db: Database, person_id: int) -> None:
    db.execute("DELETE FROM alerts_rooms WHERE person_id = ?", [person_id])


def alerts_between(db: Database, structure_id: int, start: str, end: str) -> list[dict]:
    """The alerts raised in [start, end), without who took or closed them."""
    return db.fetch_all(
        f"SELECT {QUALITY_COLUMNS} FROM alerts_alerts WHERE structure_id = ?"
        " AND raised_at >= ? AND raised_at < ? ORDER BY raised_at, id LIMIT ?",
        [structure_id, start, end, MAX_ROWS],
    )


def takers_per_unit(db: Database, structure_id: int, start: str, end: str) -> dict[str, int]:
    """How many different workers took the unit's alerts raised in [start, end): a count only,
    never who (the indicators hide a median that fewer than three people make up)."""
    rows = db.fetch_all(
        "SELECT unit, count(DISTINCT taken_by) AS n FROM alerts_alerts WHERE structure_id = ?"
        " AND raised_at >= ? AND raised_at < ? AND taken_by IS NOT NULL GROUP BY unit",
        [structure_id, start, end],
    )
    return {r["unit"]: int(r["n"]) for r in rows}


def falls_between(db: Database, structure_id: int, start: str, end: str) -> list[dict]:
    return db.fetch_all(
        f"SELECT {QUALITY_COLUMNS} FROM alerts_alerts WHERE structure_id = ?"
        " AND status = 'closed' AND outcome IN ('fall_injury', 'fall_no_injury')"
        " AND raised_at >= ? AND raised_at < ? ORDER BY raised_at, id LIMIT ?",
        [structure_id, start, end, MAX_ROWS],
    )


def set_person(db: Database, alert_id: int, person_id: int) -> None:
    db.execute("UPDATE alerts_alerts SET person_id = ? WHERE id = ?", [person_id, alert_id])

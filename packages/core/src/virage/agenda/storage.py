"""Storage of the agenda: series, materialised occurrences, attendees, check-ins, working hours,
absences, teams and calendar feeds. The only SQL of the domain.

Every occurrence of a recurring series is a row of ``agenda_appointments`` (materialised up to a
horizon, extended on demand), so that "ma journée" and the week views are plain index range scans.
``agenda_attendees`` repeats the start and end of each occurrence per professional, with ``busy``
(the kind blocks time and the occurrence is not cancelled): conflict checks and free-slot searches
read that covering index only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row

# --------------------------------------------------------------------------- migrations


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
        """CREATE TABLE agenda_attendees (
            appointment_id INTEGER NOT NULL REFERENCES agenda_appointments(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id),
            start_utc TEXT NOT NULL,
            end_utc TEXT NOT NULL,
            busy INTEGER NOT NULL,
            PRIMARY KEY (appointment_id, user_id)
        ) WITHOUT ROWID"""
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


# --------------------------------------------------------------------------- helpers


def _marks(values: Sequence) -> str:
    return ",".join("?" * len(values))


def _chunks(values: Sequence, size: int = 500) -> Iterable[Sequence]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


# --------------------------------------------------------------------------- structures & people


def structure_privacy(db: Database, structure_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(structure_ids))
    if not ids:
        return {}
    return dict(
        db.execute(
            f"SELECT id, calendar_privacy FROM structures WHERE id IN ({_marks(ids)})", ids
        ).fetchall()
    )


def set_structure_privacy(db: Database, structure_id: int, value: str) -> None:
    db.execute("UPDATE structures SET calendar_privacy = ? WHERE id = ?", [value, structure_id])


def structure_names(db: Database, structure_ids: Iterable[int]) -> dict[int, dict]:
    ids = sorted(set(structure_ids))
    if not ids:
        return {}
    return {
        r["id"]: r
        for r in _rows(
            db, f"SELECT id, name, commune FROM structures WHERE id IN ({_marks(ids)})", ids
        )
    }


def user_names(db: Database, user_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(user_ids))
    out: dict[int, str] = {}
    for chunk in _chunks(ids):
        out.update(
            db.execute(
                f"SELECT id, display_name FROM users WHERE id IN ({_marks(chunk)})", list(chunk)
            ).fetchall()
        )
    return out


def person_basics(db: Database, person_ids: Iterable[int]) -> dict[int, dict]:
    """Identity and address of persons, plus what access decisions need (structure)."""
    ids = sorted(set(person_ids))
    out: dict[int, dict] = {}
    for chunk in _chunks(ids):
        for r in _rows(
            db,
            "SELECT id, structure_id, family_name, given_names, address, postcode, city, phone,"
            f" status FROM persons WHERE id IN ({_marks(chunk)})",
            chunk,
        ):
            out[r["id"]] = r
    return out


def care_teams(db: Database, person_ids: Iterable[int]) -> dict[int, set[int]]:
    ids = sorted(set(person_ids))
    out: dict[int, set[int]] = {pid: set() for pid in ids}
    for chunk in _chunks(ids):
        for pid, uid in db.execute(
            f"SELECT person_id, user_id FROM care_team WHERE person_id IN ({_marks(chunk)})",
            list(chunk),
        ):
            out[pid].add(uid)
    return out


def emergency_users(db: Database, person_ids: Iterable[int], now_iso: str) -> dict[int, set[int]]:
    ids = sorted(set(person_ids))
    out: dict[int, set[int]] = {pid: set() for pid in ids}
    for chunk in _chunks(ids):
        for pid, uid in db.execute(
            "SELECT person_id, user_id FROM emergency_accesses"
            f" WHERE person_id IN ({_marks(chunk)}) AND expires_at > ?",
            [*chunk, now_iso],
        ):
            out[pid].add(uid)
    return out


# --------------------------------------------------------------------------- series

SERIES_FIELDS = (
    "structure_id",
    "kind",
    "title",
    "person_id",
    "place",
    "place_detail",
    "notes",
    "to_bring",
    "professional_ids",
    "dtstart_local",
    "duration_minutes",
    "rrule",
    "exdates",
    "status",
    "open_ended",
    "materialised_until",
    "forced",
    "parent_id",
    "ical_uid",
    "cancel_reason",
    "cancelled_at",
    "created_by",
    "updated_by",
)


def _encode_series(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in values.items() if k in SERIES_FIELDS}
    if "professional_ids" in out and not isinstance(out["professional_ids"], str):
        out["professional_ids"] = json.dumps(sorted(out["professional_ids"]))
    if "exdates" in out and not isinstance(out["exdates"], str):
        out["exdates"] = json.dumps(out["exdates"])
    return out


def _decode_series(row: dict | None) -> dict | None:
    if row is not None:
        row["professional_ids"] = json.loads(row["professional_ids"])
        row["exdates"] = json.loads(row["exdates"] or "[]")
    return row


def insert_series(db: Database, values: dict[str, Any]) -> int:
    now = utcnow_iso()
    data = _encode_series(values)
    cols = ", ".join(data)
    cur = db.execute(
        f"INSERT INTO agenda_series ({cols}, created_at, updated_at) VALUES ({_marks(data)}, ?, ?)",
        [*data.values(), now, now],
    )
    return cur.lastrowid


def get_series(db: Database, series_id: int) -> dict | None:
    return _decode_series(_row(db, "SELECT * FROM agenda_series WHERE id = ?", [series_id]))


def update_series(db: Database, series_id: int, changes: dict[str, Any]) -> None:
    data = _encode_series(changes)
    if not data:
        return
    sets = ", ".join(f"{k} = ?" for k in data)
    db.execute(
        f"UPDATE agenda_series SET {sets}, updated_at = ? WHERE id = ?",
        [*data.values(), utcnow_iso(), series_id],
    )


def series_to_extend(db: Database, until_iso: str) -> list[dict]:
    return [
        _decode_series(r)
        for r in _rows(
            db,
            "SELECT * FROM agenda_series WHERE open_ended = 1 AND materialised_until < ?"
            " AND cancelled_at IS NULL",
            [until_iso],
        )
    ]


def any_series_to_extend(db: Database, until_iso: str) -> bool:
    return (
        db.execute(
            "SELECT 1 FROM agenda_series WHERE open_ended = 1 AND materialised_until < ?"
            " AND cancelled_at IS NULL LIMIT 1",
            [until_iso],
        ).fetchone()
        is not None
    )


def series_with_uid(db: Database, structure_id: int, uid: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM agenda_series WHERE structure_id = ? AND ical_uid = ?"
        " UNION ALL SELECT 1 FROM agenda_appointments WHERE structure_id = ? AND ical_uid = ?"
        " LIMIT 1",
        [structure_id, uid, structure_id, uid],
    ).fetchone()
    return row is not None


def count_series_rows(db: Database, series_id: int) -> int:
    return db.execute(
        "SELECT count(*) FROM agenda_appointments WHERE series_id = ?", [series_id]
    ).fetchone()[0]


# --------------------------------------------------------------------------- appointments

APPOINTMENT_COLUMNS = (
    "id",
    "structure_id",
    "series_id",
    "recurrence_id",
    "detached",
    "kind",
    "title",
    "person_id",
    "place",
    "place_detail",
    "start_utc",
    "end_utc",
    "status",
    "cancel_reason",
    "notes",
    "to_bring",
    "forced",
    "ical_uid",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
)
_INSERT_APPOINTMENT = (
    f"INSERT INTO agenda_appointments ({', '.join(APPOINTMENT_COLUMNS)})"
    f" VALUES ({_marks(APPOINTMENT_COLUMNS)})"
)


def next_appointment_id(db: Database) -> int:
    """The next free id (call inside the write transaction that inserts)."""
    return (db.execute("SELECT max(id) FROM agenda_appointments").fetchone()[0] or 0) + 1


def insert_appointments(db: Database, rows: list[dict[str, Any]], attendees: list[tuple]) -> None:
    """Insert occurrences (each with its explicit ``id``) and their attendees.

    ``attendees``: ``(appointment_id, user_id, start_utc, end_utc, busy)`` tuples.
    """
    now = utcnow_iso()
    db.conn.executemany(
        _INSERT_APPOINTMENT,
        [
            [
                *(r.get(c) for c in APPOINTMENT_COLUMNS[:-4]),
                r.get("created_by"),
                r.get("created_at") or now,
                r.get("updated_by"),
                r.get("updated_at") or now,
            ]
            for r in rows
        ],
    )
    db.conn.executemany(
        "INSERT INTO agenda_attendees (appointment_id, user_id, start_utc, end_utc, busy)"
        " VALUES (?, ?, ?, ?, ?)",
        attendees,
    )


def get_appointment(db: Database, appointment_id: int) -> dict | None:
    return _row(db, "SELECT * FROM agenda_appointments WHERE id = ?", [appointment_id])


UPDATABLE = (
    "kind",
    "title",
    "person_id",
    "place",
    "place_detail",
    "start_utc",
    "end_utc",
    "status",
    "cancel_reason",
    "notes",
    "to_bring",
    "forced",
    "detached",
    "with_series",
    "updated_by",
)


def update_appointment(db: Database, appointment_id: int, changes: dict[str, Any]) -> None:
    data = {k: v for k, v in changes.items() if k in UPDATABLE}
    if not data:
        return
    sets = ", ".join(f"{k} = ?" for k in data)
    db.execute(
        f"UPDATE agenda_appointments SET {sets}, updated_at = ? WHERE id = ?",
        [*data.values(), utcnow_iso(), appointment_id],
    )


def set_attendees(
    db: Database,
    appointment_id: int,
    user_ids: Iterable[int],
    start_utc: str,
    end_utc: str,
    busy: bool,
) -> None:
    db.execute("DELETE FROM agenda_attendees WHERE appointment_id = ?", [appointment_id])
    db.conn.executemany(
        "INSERT INTO agenda_attendees (appointment_id, user_id, start_utc, end_utc, busy)"
        " VALUES (?, ?, ?, ?, ?)",
        [(appointment_id, uid, start_utc, end_utc, int(busy)) for uid in sorted(set(user_ids))],
    )


def attendee_ids(db: Database, appointment_id: int) -> list[int]:
    return [
        r[0]
        for r in db.execute(
            "SELECT user_id FROM agenda_attendees WHERE appointment_id = ? ORDER BY user_id",
            [appointment_id],
        )
    ]


def attendees_of(db: Database, appointment_ids: Sequence[int]) -> dict[int, list]:
    """``{appointment id: [(user id, display name), …]}``."""
    out: dict[int, list] = {aid: [] for aid in appointment_ids}
    for chunk in _chunks(list(appointment_ids)):
        for aid, uid, name in db.execute(
            "SELECT t.appointment_id, u.id, u.display_name FROM agenda_attendees t"
            f" JOIN users u ON u.id = t.user_id WHERE t.appointment_id IN ({_marks(chunk)})"
            " ORDER BY u.display_name",
            list(chunk),
        ):
            out[aid].append((uid, name))
    return out


def series_rows_from(db: Database, series_id: int, from_iso: str) -> list[dict]:
    """Occurrences of a series scheduled (originally) at or after ``from_iso``."""
    return _rows(
        db,
        "SELECT a.id, a.recurrence_id, a.start_utc, a.end_utc, a.status, a.detached,"
        " a.cancel_reason, a.updated_by,"
        " EXISTS (SELECT 1 FROM agenda_checkins c WHERE c.appointment_id = a.id) AS checked"
        " FROM agenda_appointments a WHERE a.series_id = ? AND a.recurrence_id >= ?"
        " ORDER BY a.recurrence_id",
        [series_id, from_iso],
    )


def series_occurrences(db: Database, series_id: int, from_iso: str | None = None) -> list[dict]:
    sql = "SELECT id, start_utc, end_utc, status FROM agenda_appointments WHERE series_id = ?"
    params: list = [series_id]
    if from_iso:
        sql += " AND start_utc >= ?"
        params.append(from_iso)
    return _rows(db, sql + " ORDER BY start_utc", params)


def mark_done_before(db: Database, structure_id: int, from_iso: str, before_iso: str) -> None:
    """Demo history: visits and meetings that ended before ``before_iso`` are done."""
    db.execute(
        "UPDATE agenda_appointments SET status = 'done' WHERE structure_id = ? AND start_utc >= ?"
        " AND end_utc <= ? AND status IN ('planned', 'confirmed') AND kind != 'on_call'",
        [structure_id, from_iso, before_iso],
    )


def count_series_before(db: Database, series_id: int, before_iso: str) -> int:
    return db.execute(
        "SELECT count(*) FROM agenda_appointments WHERE series_id = ? AND recurrence_id < ?",
        [series_id, before_iso],
    ).fetchone()[0]


def delete_appointments(db: Database, ids: Sequence[int]) -> None:
    for chunk in _chunks(list(ids)):
        marks = _marks(chunk)
        db.execute(f"DELETE FROM agenda_attendees WHERE appointment_id IN ({marks})", list(chunk))
        db.execute(f"DELETE FROM agenda_appointments WHERE id IN ({marks})", list(chunk))


def busy_intervals(
    db: Database,
    user_ids: Sequence[int],
    start_iso: str,
    end_iso: str,
    lower_iso: str,
) -> list[tuple[int, int, str, str]]:
    """Busy time of professionals overlapping ``[start, end)``: (user, appointment, start, end).

    ``lower_iso`` bounds the index scan (``start`` minus the longest possible appointment).
    """
    out = []
    for uid in sorted(set(user_ids)):
        out.extend(
            db.execute(
                "SELECT user_id, appointment_id, start_utc, end_utc FROM agenda_attendees"
                " WHERE user_id = ? AND start_utc >= ? AND start_utc < ? AND end_utc > ?"
                " AND busy = 1 ORDER BY start_utc",
                [uid, lower_iso, end_iso, start_iso],
            ).fetchall()
        )
    return out


def appointments_brief(db: Database, ids: Sequence[int]) -> dict[int, dict]:
    out = {}
    for chunk in _chunks(sorted(set(ids))):
        for r in _rows(
            db,
            "SELECT id, structure_id, series_id, kind, title, start_utc, end_utc, person_id, status"
            f" FROM agenda_appointments WHERE id IN ({_marks(chunk)})",
            chunk,
        ):
            out[r["id"]] = r
    return out


_VIEW_COLUMNS = (
    "a.id, a.structure_id, a.series_id, a.kind, a.title, a.person_id, a.place, a.place_detail,"
    " a.start_utc, a.end_utc, a.status, a.cancel_reason, a.to_bring, a.forced,"
    " (a.notes != '') AS has_notes"
)


def day_of_user(
    db: Database, user_id: int, start_iso: str, end_iso: str, lower_iso: str
) -> list[dict]:
    """A professional's occurrences overlapping ``[start, end)``, with the person's address and
    the professional's own check-in."""
    return _rows(
        db,
        f"SELECT {_VIEW_COLUMNS}, c.checked_in_at, c.checked_out_at"
        " FROM agenda_attendees t"
        " JOIN agenda_appointments a ON a.id = t.appointment_id"
        " LEFT JOIN agenda_checkins c ON c.appointment_id = a.id AND c.user_id = t.user_id"
        " WHERE t.user_id = ? AND t.start_utc >= ? AND t.start_utc < ? AND t.end_utc > ?"
        " ORDER BY t.start_utc, a.id",
        [user_id, lower_iso, end_iso, start_iso],
    )


def window_of_users(
    db: Database,
    user_ids: Sequence[int],
    start_iso: str,
    end_iso: str,
    lower_iso: str,
) -> list[tuple[int, dict]]:
    """(professional, occurrence) pairs overlapping the window, for the week view."""
    out = []
    for uid in sorted(set(user_ids)):
        for r in _rows(
            db,
            f"SELECT t.user_id AS attendee, {_VIEW_COLUMNS} FROM agenda_attendees t"
            " JOIN agenda_appointments a ON a.id = t.appointment_id"
            " WHERE t.user_id = ? AND t.start_utc >= ? AND t.start_utc < ? AND t.end_utc > ?"
            " ORDER BY t.start_utc",
            [uid, lower_iso, end_iso, start_iso],
        ):
            out.append((r.pop("attendee"), r))
    return out


def window_of_person(
    db: Database, person_id: int, start_iso: str, end_iso: str, limit: int = 200
) -> list[dict]:
    return _rows(
        db,
        f"SELECT {_VIEW_COLUMNS} FROM agenda_appointments a"
        " WHERE a.person_id = ? AND a.start_utc >= ? AND a.start_utc < ?"
        " ORDER BY a.start_utc LIMIT ?",
        [person_id, start_iso, end_iso, limit],
    )


def window_of_structure(
    db: Database, structure_id: int, start_iso: str, end_iso: str, limit: int = 5000
) -> list[dict]:
    return _rows(
        db,
        f"SELECT {_VIEW_COLUMNS} FROM agenda_appointments a"
        " WHERE a.structure_id = ? AND a.start_utc >= ? AND a.start_utc < ?"
        " ORDER BY a.start_utc LIMIT ?",
        [structure_id, start_iso, end_iso, limit],
    )


def feed_rows(db: Database, user_id: int, start_iso: str, end_iso: str) -> list[dict]:
    return _rows(
        db,
        "SELECT a.id, a.structure_id, a.kind, a.title, a.person_id, a.place, a.start_utc,"
        " a.end_utc, a.status, a.updated_at, a.series_id, a.recurrence_id"
        " FROM agenda_attendees t JOIN agenda_appointments a ON a.id = t.appointment_id"
        " WHERE t.user_id = ? AND t.start_utc >= ? AND t.start_utc < ? ORDER BY t.start_utc",
        [user_id, start_iso, end_iso],
    )


def person_appointments(db: Database, person_id: int) -> list[dict]:
    """Everything about a person in the agenda (RGPD export)."""
    return _rows(
        db,
        "SELECT id, structure_id, series_id, kind, title, place, place_detail, start_utc, end_utc,"
        " status, cancel_reason, notes, to_bring, created_at, updated_at"
        " FROM agenda_appointments WHERE person_id = ? ORDER BY start_utc",
        [person_id],
    )


def person_series(db: Database, person_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT id, kind, title, dtstart_local, duration_minutes, rrule, notes, to_bring,"
        " cancel_reason, created_at FROM agenda_series WHERE person_id = ? ORDER BY id",
        [person_id],
    )


def delete_person_data(db: Database, person_id: int) -> None:
    ids = [
        r[0]
        for r in db.execute("SELECT id FROM agenda_appointments WHERE person_id = ?", [person_id])
    ]
    for chunk in _chunks(ids):
        db.execute(
            f"DELETE FROM agenda_checkins WHERE appointment_id IN ({_marks(chunk)})", list(chunk)
        )
    delete_appointments(db, ids)
    db.execute(
        "DELETE FROM agenda_appointments WHERE series_id IN"
        " (SELECT id FROM agenda_series WHERE person_id = ?)",
        [person_id],
    )
    db.execute(
        "UPDATE agenda_series SET parent_id = NULL WHERE parent_id IN"
        " (SELECT id FROM agenda_series WHERE person_id = ?)",
        [person_id],
    )
    db.execute("DELETE FROM agenda_series WHERE person_id = ?", [person_id])


# --------------------------------------------------------------------------- check-ins


def get_checkin(db: Database, appointment_id: int, user_id: int) -> dict | None:
    return _row(
        db,
        "SELECT * FROM agenda_checkins WHERE appointment_id = ? AND user_id = ?",
        [appointment_id, user_id],
    )


def check_in(db: Database, appointment_id: int, user_id: int, at: str) -> None:
    db.execute(
        "INSERT INTO agenda_checkins (appointment_id, user_id, checked_in_at) VALUES (?, ?, ?)",
        [appointment_id, user_id, at],
    )


def check_out(db: Database, appointment_id: int, user_id: int, at: str) -> None:
    db.execute(
        "UPDATE agenda_checkins SET checked_out_at = ? WHERE appointment_id = ? AND user_id = ?",
        [at, appointment_id, user_id],
    )


def checkins_of_appointment(db: Database, appointment_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT c.user_id, u.display_name, c.checked_in_at, c.checked_out_at FROM agenda_checkins c"
        " JOIN users u ON u.id = c.user_id WHERE c.appointment_id = ? ORDER BY u.display_name",
        [appointment_id],
    )


def checkins_of_user(db: Database, user_id: int, limit: int = 500) -> list[dict]:
    return _rows(
        db,
        "SELECT c.appointment_id, c.checked_in_at, c.checked_out_at, a.title, a.kind, a.start_utc"
        " FROM agenda_checkins c JOIN agenda_appointments a ON a.id = c.appointment_id"
        " WHERE c.user_id = ? ORDER BY c.checked_in_at DESC LIMIT ?",
        [user_id, limit],
    )


# --------------------------------------------------------------------------- working hours & absences


def working_hours(db: Database, user_ids: Sequence[int]) -> dict[int, list[tuple]]:
    """``{user: [(weekday, "HH:MM", "HH:MM"), …]}``; a user with no row declared none."""
    ids = sorted(set(user_ids))
    out: dict[int, list[tuple]] = {uid: [] for uid in ids}
    for chunk in _chunks(ids):
        for uid, weekday, start, end in db.execute(
            "SELECT user_id, weekday, start_time, end_time FROM agenda_working_hours"
            f" WHERE user_id IN ({_marks(chunk)}) ORDER BY user_id, weekday, start_time",
            list(chunk),
        ):
            out[uid].append((weekday, start, end))
    return out


def replace_working_hours(
    db: Database, user_id: int, slots: list[tuple[int, str, str]], by: int | None
) -> None:
    now = utcnow_iso()
    db.execute("DELETE FROM agenda_working_hours WHERE user_id = ?", [user_id])
    db.conn.executemany(
        "INSERT INTO agenda_working_hours (user_id, weekday, start_time, end_time, updated_by,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(user_id, w, s, e, by, now) for w, s, e in slots],
    )


def insert_absence(
    db: Database, user_id: int, kind: str, start: str, end: str, by: int | None
) -> int:
    cur = db.execute(
        "INSERT INTO agenda_absences (user_id, kind, start_utc, end_utc, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [user_id, kind, start, end, by, utcnow_iso()],
    )
    return cur.lastrowid


def get_absence(db: Database, absence_id: int) -> dict | None:
    return _row(db, "SELECT * FROM agenda_absences WHERE id = ?", [absence_id])


def delete_absence(db: Database, absence_id: int) -> None:
    db.execute("DELETE FROM agenda_absences WHERE id = ?", [absence_id])


def absences(db: Database, user_ids: Sequence[int], start_iso: str, end_iso: str) -> list[dict]:
    ids = sorted(set(user_ids))
    out: list[dict] = []
    for chunk in _chunks(ids):
        out.extend(
            _rows(
                db,
                "SELECT id, user_id, kind, start_utc, end_utc FROM agenda_absences"
                f" WHERE user_id IN ({_marks(chunk)}) AND start_utc < ? AND end_utc > ?"
                " ORDER BY start_utc",
                [*chunk, end_iso, start_iso],
            )
        )
    return out


def absences_of_user(db: Database, user_id: int, since_iso: str = "") -> list[dict]:
    return _rows(
        db,
        "SELECT id, user_id, kind, start_utc, end_utc, created_at FROM agenda_absences"
        " WHERE user_id = ? AND end_utc > ? ORDER BY start_utc",
        [user_id, since_iso],
    )


# --------------------------------------------------------------------------- teams


def create_team(db: Database, structure_id: int, name: str) -> int:
    cur = db.execute(
        "INSERT INTO agenda_teams (structure_id, name, created_at) VALUES (?, ?, ?)",
        [structure_id, name, utcnow_iso()],
    )
    return cur.lastrowid


def get_team(db: Database, team_id: int) -> dict | None:
    team = _row(db, "SELECT * FROM agenda_teams WHERE id = ?", [team_id])
    if team is not None:
        team["member_ids"] = team_member_ids(db, team_id)
    return team


def team_by_name(db: Database, structure_id: int, name: str) -> dict | None:
    return _row(
        db,
        "SELECT * FROM agenda_teams WHERE structure_id = ? AND name = ? COLLATE NOCASE",
        [structure_id, name],
    )


def teams_of_structure(db: Database, structure_id: int) -> list[dict]:
    teams = _rows(
        db, "SELECT * FROM agenda_teams WHERE structure_id = ? ORDER BY name", [structure_id]
    )
    for team in teams:
        team["member_ids"] = team_member_ids(db, team["id"])
    return teams


def team_member_ids(db: Database, team_id: int) -> list[int]:
    return [
        r[0]
        for r in db.execute(
            "SELECT user_id FROM agenda_team_members WHERE team_id = ? ORDER BY user_id", [team_id]
        )
    ]


def set_team_members(db: Database, team_id: int, user_ids: Iterable[int]) -> None:
    db.execute("DELETE FROM agenda_team_members WHERE team_id = ?", [team_id])
    db.conn.executemany(
        "INSERT INTO agenda_team_members (team_id, user_id) VALUES (?, ?)",
        [(team_id, uid) for uid in sorted(set(user_ids))],
    )


def delete_team(db: Database, team_id: int) -> None:
    db.execute("DELETE FROM agenda_team_members WHERE team_id = ?", [team_id])
    db.execute("DELETE FROM agenda_teams WHERE id = ?", [team_id])


# --------------------------------------------------------------------------- calendar feeds


def create_feed(db: Database, user_id: int, token_hash: str) -> int:
    now = utcnow_iso()
    db.execute(
        "UPDATE agenda_feeds SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
        [now, user_id],
    )
    cur = db.execute(
        "INSERT INTO agenda_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?)",
        [user_id, token_hash, now],
    )
    return cur.lastrowid


def feed_by_hash(db: Database, token_hash: str) -> dict | None:
    return _row(db, "SELECT * FROM agenda_feeds WHERE token_hash = ?", [token_hash])


def revoke_feeds(db: Database, user_id: int) -> int:
    cur = db.execute(
        "UPDATE agenda_feeds SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
        [utcnow_iso(), user_id],
    )
    return cur.rowcount


def touch_feed(db: Database, feed_id: int, at: str) -> None:
    db.execute("UPDATE agenda_feeds SET last_used_at = ? WHERE id = ?", [at, feed_id])


def feeds_of_user(db: Database, user_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT id, created_at, revoked_at, last_used_at FROM agenda_feeds WHERE user_id = ?"
        " ORDER BY id DESC",
        [user_id],
    )

"""Storage of appointments (one row per occurrence), their attendees and check-ins.

``agenda_attendees`` repeats the start and end of each occurrence per professional, with ``busy``
(the kind blocks time and the occurrence is not cancelled): conflict checks and free-slot searches
read that covering index only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from virage.accounts import lookups
from virage.agenda.storage_util import BUSY_TIME_LOCK, xact_lock
from virage.agenda.storage_util import chunks as _chunks
from virage.agenda.storage_util import marks as _marks
from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row

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


def new_appointment_ids(db: Database, count: int) -> list[int]:
    """``count`` fresh ids for occurrences inserted with their attendees (call inside the write
    transaction that inserts them).

    SQLite: the ones after the largest, this transaction holding the write lock. PostgreSQL:
    taken from the table's sequence, so that concurrent transactions never pick the same.
    """
    if count <= 0:
        return []
    if db.dialect == "postgresql":
        rows = db.execute(
            "SELECT nextval(CAST(pg_get_serial_sequence('agenda_appointments', 'id') AS regclass))"
            " FROM generate_series(1, CAST(? AS INTEGER))",
            [count],
        ).fetchall()
        return sorted(r[0] for r in rows)
    first = (db.execute("SELECT max(id) FROM agenda_appointments").fetchone()[0] or 0) + 1
    return list(range(first, first + count))


def lock_busy_time(db: Database, user_ids: Iterable[int]) -> None:
    """Serialise the writes of busy time of these professionals until the transaction ends, so
    that a conflict check and the booking it allows are not raced by another booking.

    SQLite's write transaction (``BEGIN IMMEDIATE``) already does so; PostgreSQL (READ COMMITTED)
    takes one advisory lock per professional, always in the same order (no deadlock).
    """
    for uid in sorted({int(u) for u in user_ids}):
        xact_lock(db, BUSY_TIME_LOCK, uid)


def insert_appointments(db: Database, rows: list[dict[str, Any]], attendees: list[tuple]) -> None:
    """Insert occurrences (each with its explicit ``id``) and their attendees.

    ``attendees``: ``(appointment_id, user_id, start_utc, end_utc, busy)`` tuples.
    """
    now = utcnow_iso()
    db.executemany(
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
    db.executemany(
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
    db.executemany(
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
    pairs = []
    for chunk in _chunks(list(appointment_ids)):
        pairs += db.execute(
            "SELECT appointment_id, user_id FROM agenda_attendees"
            f" WHERE appointment_id IN ({_marks(chunk)})",
            list(chunk),
        ).fetchall()
    names = lookups.user_names(db, [uid for _, uid in pairs])
    out: dict[int, list] = {aid: [] for aid in appointment_ids}
    for aid, uid in pairs:
        if uid in names:
            out[aid].append((uid, names[uid]))
    for people in out.values():
        people.sort(key=lambda p: p[1])
    return out


def mark_done_before(db: Database, structure_id: int, from_iso: str, before_iso: str) -> None:
    """Demo history: visits and meetings that ended before ``before_iso`` are done."""
    db.execute(
        "UPDATE agenda_appointments SET status = 'done' WHERE structure_id = ? AND start_utc >= ?"
        " AND end_utc <= ? AND status IN ('planned', 'confirmed') AND kind != 'on_call'",
        [structure_id, from_iso, before_iso],
    )


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


# --------------------------------------------------------------------------- check-ins


def get_checkin(db: Database, appointment_id: int, user_id: int) -> dict | None:
    return _row(
        db,
        "SELECT * FROM agenda_checkins WHERE appointment_id = ? AND user_id = ?",
        [appointment_id, user_id],
    )


def check_in(db: Database, appointment_id: int, user_id: int, at: str) -> bool:
    """Record the arrival; ``False`` when it was already recorded (the database decides)."""
    cur = db.execute(
        "INSERT INTO agenda_checkins (appointment_id, user_id, checked_in_at) VALUES (?, ?, ?)"
        " ON CONFLICT (appointment_id, user_id) DO NOTHING",
        [appointment_id, user_id, at],
    )
    return cur.rowcount == 1


def check_out(db: Database, appointment_id: int, user_id: int, at: str) -> bool:
    """Record the departure; ``False`` when it was already recorded (the database decides)."""
    cur = db.execute(
        "UPDATE agenda_checkins SET checked_out_at = ? WHERE appointment_id = ? AND user_id = ?"
        " AND checked_in_at IS NOT NULL AND checked_out_at IS NULL",
        [at, appointment_id, user_id],
    )
    return cur.rowcount == 1


def checkins_of_appointment(db: Database, appointment_id: int) -> list[dict]:
    rows = _rows(
        db,
        "SELECT user_id, checked_in_at, checked_out_at FROM agenda_checkins"
        " WHERE appointment_id = ?",
        [appointment_id],
    )
    names = lookups.user_names(db, [r["user_id"] for r in rows])
    found = [{**r, "display_name": names[r["user_id"]]} for r in rows if r["user_id"] in names]
    return sorted(found, key=lambda r: r["display_name"])


def checkins_of_user(db: Database, user_id: int, limit: int = 500) -> list[dict]:
    return _rows(
        db,
        "SELECT c.appointment_id, c.checked_in_at, c.checked_out_at, a.title, a.kind, a.start_utc"
        " FROM agenda_checkins c JOIN agenda_appointments a ON a.id = c.appointment_id"
        " WHERE c.user_id = ? ORDER BY c.checked_in_at DESC LIMIT ?",
        [user_id, limit],
    )

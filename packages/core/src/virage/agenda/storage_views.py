"""What the agenda's views read: a professional's day, the week of a team, the window of a
person or of a structure, a calendar feed; and a person's data (export, deletion).

Every occurrence of a recurring series is a row (materialised up to a horizon, extended on
demand), so these are plain index range scans."""

from __future__ import annotations

from collections.abc import Sequence

from virage.agenda.storage_appointments import delete_appointments
from virage.agenda.storage_util import chunks as _chunks
from virage.agenda.storage_util import marks as _marks
from virage.db import Database
from virage.db import fetch_all as _rows

_VIEW_COLUMNS = (
    "a.id, a.structure_id, a.series_id, a.kind, a.title, a.person_id, a.place, a.place_detail,"
    " a.start_utc, a.end_utc, a.status, a.cancel_reason, a.to_bring, a.forced,"
    " CASE WHEN a.notes != '' THEN 1 ELSE 0 END AS has_notes"
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

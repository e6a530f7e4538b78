"""Storage of series cancellation (a companion of :mod:`virage.agenda.storage`, kept apart so that
module does not grow): which occurrences were cancelled *with their series*, so that restoring
the series puts back those and never the ones cancelled one by one."""

from __future__ import annotations

from collections.abc import Sequence

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows


def add_with_series_column(db: Database) -> None:
    """Migration: ``with_series`` is 1 on an occurrence cancelled because its series was."""
    db.execute("ALTER TABLE agenda_appointments ADD COLUMN with_series INTEGER NOT NULL DEFAULT 0")


def _marks(values: Sequence) -> str:
    return ", ".join("?" for _ in values)


def _chunks(values: Sequence, size: int = 500):
    for i in range(0, len(values), size):
        yield values[i : i + size]


def rows_from(db: Database, series_id: int, from_iso: str) -> list[dict]:
    """Occurrences of a series scheduled (originally) at or after ``from_iso``."""
    return _rows(
        db,
        "SELECT a.id, a.recurrence_id, a.start_utc, a.end_utc, a.status, a.with_series,"
        " EXISTS (SELECT 1 FROM agenda_checkins c WHERE c.appointment_id = a.id) AS checked"
        " FROM agenda_appointments a WHERE a.series_id = ? AND a.recurrence_id >= ?"
        " ORDER BY a.recurrence_id",
        [series_id, from_iso],
    )


def move_rows(db: Database, ids: Sequence[int], series_id: int) -> None:
    for chunk in _chunks(list(ids)):
        db.execute(
            f"UPDATE agenda_appointments SET series_id = ? WHERE id IN ({_marks(chunk)})",
            [series_id, *chunk],
        )


def cancel_with_series(db: Database, ids: Sequence[int], reason: str, actor_id: int) -> None:
    now = utcnow_iso()
    for chunk in _chunks(list(ids)):
        db.execute(
            "UPDATE agenda_appointments SET status = 'cancelled', cancel_reason = ?,"
            " with_series = 1, updated_by = ?, updated_at = ?"
            f" WHERE id IN ({_marks(chunk)})",
            [reason, actor_id, now, *chunk],
        )
        db.execute(
            f"UPDATE agenda_attendees SET busy = 0 WHERE appointment_id IN ({_marks(chunk)})",
            list(chunk),
        )


def restore_rows(
    db: Database,
    rows: Sequence[dict],
    status: str,
    actor_id: int,
    forced: bool,
    busy: bool,
) -> None:
    now = utcnow_iso()
    ids = [r["id"] for r in rows]
    for chunk in _chunks(ids):
        db.execute(
            "UPDATE agenda_appointments SET status = ?, cancel_reason = NULL, with_series = 0,"
            " forced = MAX(forced, ?), updated_by = ?, updated_at = ?"
            f" WHERE id IN ({_marks(chunk)})",
            [status, int(forced), actor_id, now, *chunk],
        )
        db.execute(
            f"UPDATE agenda_attendees SET busy = ? WHERE appointment_id IN ({_marks(chunk)})",
            [int(busy), *chunk],
        )

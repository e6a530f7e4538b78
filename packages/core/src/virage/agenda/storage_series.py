"""Storage of recurring series: the iCalendar rule and its fields, the series' occurrences, and
which occurrences were cancelled *with their series* (so that restoring the series puts back
those and never the ones cancelled one by one)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from virage.agenda.storage_util import chunks as _chunks
from virage.agenda.storage_util import marks as _marks
from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row

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
        f"INSERT INTO agenda_series ({cols}, created_at, updated_at) VALUES ({_marks(data)}, ?, ?)"
        " RETURNING id",
        [*data.values(), now, now],
    )
    return cur.fetchone()[0]


def lock_series(db: Database, series_id: int) -> None:
    """Hold a series until the transaction ends, before reading the occurrences it rewrites:
    a concurrent rewrite, cancellation or extension of the same series waits (PostgreSQL; on
    SQLite the write transaction already holds every other writer)."""
    if db.dialect == "postgresql":
        db.execute("SELECT id FROM agenda_series WHERE id = ? FOR UPDATE", [series_id])


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
    """Open-ended series materialised short of ``until_iso`` (inside the transaction that
    extends them). PostgreSQL locks them: a concurrent extension waits, then finds the series
    extended already (its condition is checked again on the row it waited for)."""
    lock = " FOR UPDATE" if db.dialect == "postgresql" else ""
    return [
        _decode_series(r)
        for r in _rows(
            db,
            "SELECT * FROM agenda_series WHERE open_ended = 1 AND materialised_until < ?"
            f" AND cancelled_at IS NULL ORDER BY id{lock}",
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


def count_series_rows(db: Database, series_id: int) -> int:
    return db.execute(
        "SELECT count(*) FROM agenda_appointments WHERE series_id = ?", [series_id]
    ).fetchone()[0]


def series_rows_from(db: Database, series_id: int, from_iso: str) -> list[dict]:
    """Occurrences of a series scheduled (originally) at or after ``from_iso``."""
    return _rows(
        db,
        "SELECT a.id, a.recurrence_id, a.start_utc, a.end_utc, a.status, a.detached,"
        " a.cancel_reason, a.updated_by,"
        " CASE WHEN EXISTS (SELECT 1 FROM agenda_checkins c WHERE c.appointment_id = a.id)"
        " THEN 1 ELSE 0 END AS checked"
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


def count_series_before(db: Database, series_id: int, before_iso: str) -> int:
    return db.execute(
        "SELECT count(*) FROM agenda_appointments WHERE series_id = ? AND recurrence_id < ?",
        [series_id, before_iso],
    ).fetchone()[0]


# --------------------------------------------------------------------------- series cancellation


def rows_from(db: Database, series_id: int, from_iso: str) -> list[dict]:
    """Occurrences of a series scheduled (originally) at or after ``from_iso``."""
    return _rows(
        db,
        "SELECT a.id, a.recurrence_id, a.start_utc, a.end_utc, a.status, a.with_series,"
        " CASE WHEN EXISTS (SELECT 1 FROM agenda_checkins c WHERE c.appointment_id = a.id)"
        " THEN 1 ELSE 0 END AS checked"
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
            " forced = CASE WHEN forced > ? THEN forced ELSE ? END, updated_by = ?, updated_at = ?"
            f" WHERE id IN ({_marks(chunk)})",
            [status, int(forced), int(forced), actor_id, now, *chunk],
        )
        db.execute(
            f"UPDATE agenda_attendees SET busy = ? WHERE appointment_id IN ({_marks(chunk)})",
            [int(busy), *chunk],
        )

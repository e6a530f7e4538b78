"""Storage of availability: working hours, absences and teams."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from virage.agenda.storage_util import chunks as _chunks
from virage.agenda.storage_util import marks as _marks
from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row


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
    db.executemany(
        "INSERT INTO agenda_working_hours (user_id, weekday, start_time, end_time, updated_by,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(user_id, w, s, e, by, now) for w, s, e in slots],
    )


def insert_absence(
    db: Database, user_id: int, kind: str, start: str, end: str, by: int | None
) -> int:
    cur = db.execute(
        "INSERT INTO agenda_absences (user_id, kind, start_utc, end_utc, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        [user_id, kind, start, end, by, utcnow_iso()],
    )
    return cur.fetchone()[0]


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


def create_team(db: Database, structure_id: int, name: str) -> int | None:
    """The new team's id, or ``None`` when the structure already has one of that name (the
    database decides, when two are created at the same moment)."""
    row = db.execute(
        "INSERT INTO agenda_teams (structure_id, name, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT (structure_id, name) DO NOTHING RETURNING id",
        [structure_id, name, utcnow_iso()],
    ).fetchone()
    return row[0] if row else None


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
    db.executemany(
        "INSERT INTO agenda_team_members (team_id, user_id) VALUES (?, ?)",
        [(team_id, uid) for uid in sorted(set(user_ids))],
    )


def delete_team(db: Database, team_id: int) -> None:
    db.execute("DELETE FROM agenda_team_members WHERE team_id = ?", [team_id])
    db.execute("DELETE FROM agenda_teams WHERE id = ?", [team_id])

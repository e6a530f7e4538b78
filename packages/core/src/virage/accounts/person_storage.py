"""Storage of the accounts domain, persons side: persons supported, their care teams and the
emergency accesses to their records. Re-exported by ``virage.accounts.storage``; the tables are
created there (migration ``0002_accounts``, as released)."""

from __future__ import annotations

import json
from typing import Any

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row

# --------------------------------------------------------------------------- persons

PERSON_FIELDS = (
    "family_name",
    "birth_name",
    "given_names",
    "birth_date",
    "sex",
    "ins_nir",
    "ins_oid",
    "address",
    "postcode",
    "city",
    "phone",
    "contacts",
    "health_notes",
)


def _decode_person(row: dict | None) -> dict | None:
    if row is not None:
        row["contacts"] = json.loads(row["contacts"] or "[]")
    return row


def create_person(db: Database, structure_id: int, data: dict[str, Any]) -> int:
    now = utcnow_iso()
    values = {k: data.get(k) for k in PERSON_FIELDS}
    values["contacts"] = json.dumps(values["contacts"] or [], ensure_ascii=False)
    values["health_notes"] = values["health_notes"] or ""
    cols = ", ".join(values)
    marks = ", ".join("?" * len(values))
    cur = db.execute(
        f"INSERT INTO persons (structure_id, {cols}, created_at, updated_at)"
        f" VALUES (?, {marks}, ?, ?) RETURNING id",
        [structure_id, *values.values(), now, now],
    )
    return cur.fetchone()[0]


def get_person(db: Database, person_id: int) -> dict | None:
    return _decode_person(_row(db, "SELECT * FROM persons WHERE id = ?", [person_id]))


def update_person(db: Database, person_id: int, changes: dict[str, Any]) -> None:
    changes = {k: v for k, v in changes.items() if k in PERSON_FIELDS}
    if not changes:
        return
    if "contacts" in changes:
        changes["contacts"] = json.dumps(changes["contacts"] or [], ensure_ascii=False)
    sets = ", ".join(f"{k} = ?" for k in changes)
    db.execute(
        f"UPDATE persons SET {sets}, updated_at = ? WHERE id = ?",
        [*changes.values(), utcnow_iso(), person_id],
    )


def close_person(db: Database, person_id: int) -> None:
    now = utcnow_iso()
    db.execute(
        "UPDATE persons SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ?",
        [now, now, person_id],
    )


def delete_person(db: Database, person_id: int) -> None:
    db.execute("DELETE FROM persons WHERE id = ?", [person_id])


def list_persons(
    db: Database,
    structure_id: int,
    *,
    status: str | None = "active",
    only_user_team: int | None = None,
    query: str | None = None,
    limit: int = 200,
) -> list[dict]:
    where, params = ["p.structure_id = ?"], [structure_id]
    if status:
        where.append("p.status = ?")
        params.append(status)
    if only_user_team is not None:
        where.append("p.id IN (SELECT person_id FROM care_team WHERE user_id = ?)")
        params.append(only_user_team)
    if query:
        # lower() on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's is not (ASCII).
        where.append(
            "(lower(p.family_name) LIKE lower(?) OR lower(p.given_names) LIKE lower(?)"
            " OR lower(p.birth_name) LIKE lower(?))"
        )
        like = f"%{query}%"
        params += [like, like, like]
    return _rows(
        db,
        "SELECT p.id, p.structure_id, p.family_name, p.birth_name, p.given_names, p.birth_date,"
        " p.sex, p.city, p.status FROM persons p"
        f" WHERE {' AND '.join(where)} ORDER BY p.family_name, p.given_names LIMIT ?",
        [*params, limit],
    )


def persons_closed_before(db: Database, structure_id: int, before_iso: str) -> list[int]:
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM persons WHERE structure_id = ? AND status = 'closed' AND closed_at < ?",
            [structure_id, before_iso],
        ).fetchall()
    ]


def count_persons(db: Database, structure_id: int) -> dict[str, int]:
    return dict(
        db.execute(
            "SELECT status, count(*) FROM persons WHERE structure_id = ? GROUP BY status",
            [structure_id],
        ).fetchall()
    )


# --------------------------------------------------------------------------- care team


def care_team_ids(db: Database, person_id: int) -> frozenset[int]:
    return frozenset(
        r[0] for r in db.execute("SELECT user_id FROM care_team WHERE person_id = ?", [person_id])
    )


def care_team(db: Database, person_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT u.id, u.display_name, u.profession, m.role, c.added_at FROM care_team c"
        " JOIN users u ON u.id = c.user_id"
        " JOIN persons p ON p.id = c.person_id"
        " LEFT JOIN memberships m ON m.user_id = u.id AND m.structure_id = p.structure_id"
        " WHERE c.person_id = ? ORDER BY u.display_name",
        [person_id],
    )


def add_to_care_team(db: Database, person_id: int, user_id: int, added_by: int | None) -> bool:
    cur = db.execute(
        "INSERT INTO care_team (person_id, user_id, added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [person_id, user_id, added_by, utcnow_iso()],
    )
    return cur.rowcount == 1


def remove_from_care_team(db: Database, person_id: int, user_id: int) -> bool:
    cur = db.execute(
        "DELETE FROM care_team WHERE person_id = ? AND user_id = ?", [person_id, user_id]
    )
    return cur.rowcount == 1


def care_teams_of_user(db: Database, user_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT p.id, p.given_names, p.family_name, s.name AS structure, c.added_at FROM care_team c"
        " JOIN persons p ON p.id = c.person_id JOIN structures s ON s.id = p.structure_id"
        " WHERE c.user_id = ? ORDER BY p.family_name",
        [user_id],
    )


# --------------------------------------------------------------------------- emergency access


def grant_emergency(
    db: Database, person_id: int, user_id: int, reason: str, expires_at: str
) -> int:
    cur = db.execute(
        "INSERT INTO emergency_accesses (person_id, user_id, reason, granted_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        [person_id, user_id, reason, utcnow_iso(), expires_at],
    )
    return cur.fetchone()[0]


def emergency_users(db: Database, person_id: int, now_iso: str) -> frozenset[int]:
    return frozenset(
        r[0]
        for r in db.execute(
            "SELECT user_id FROM emergency_accesses WHERE person_id = ? AND expires_at > ?",
            [person_id, now_iso],
        )
    )


def emergency_of_user(db: Database, user_id: int) -> list[dict]:
    return _rows(
        db,
        "SELECT e.person_id, e.reason, e.granted_at, e.expires_at FROM emergency_accesses e"
        " WHERE e.user_id = ? ORDER BY e.granted_at DESC",
        [user_id],
    )


# --------------------------------------------------------------------------- names for the journal


def names_of(db: Database, person_ids: list[int], user_id: int) -> list[dict]:
    """Id, structure, names of these persons, and whether ``user_id`` is in their care team."""
    if not person_ids:
        return []
    marks = ", ".join("?" * len(person_ids))
    return _rows(
        db,
        "SELECT p.id, p.structure_id, p.given_names, p.family_name,"
        " EXISTS (SELECT 1 FROM care_team c WHERE c.person_id = p.id AND c.user_id = ?) AS in_team"
        f" FROM persons p WHERE p.id IN ({marks})",
        [user_id, *person_ids],
    )

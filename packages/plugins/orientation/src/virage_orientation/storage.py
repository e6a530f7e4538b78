"""SQL of the orientation plugin: its own tables only (prefix ``orientation_``).

The schema is in :mod:`virage_orientation.schema`, the places, links and dashboard in
:mod:`virage_orientation.network`; their functions are importable from here too.
"""

from __future__ import annotations

import json
from typing import Any

from virage.sdk import fetch_all, fetch_one, utcnow_iso
from virage_orientation.catalog import OPEN_SENDING
from virage_orientation.network import (  # noqa: F401  (importable from here as before)
    dashboard,
    link,
    linked_directory,
    places_for,
    places_of,
    set_places,
)
from virage_orientation.schema import create_tables  # noqa: F401  (importable from here)

# --------------------------------------------------------------------------- requests

REQUEST_FIELDS = (
    "module",
    "offer",
    "decision_ref",
    "criteria",
    "gir",
    "mobility",
    "commune_code",
    "commune_label",
    "lat",
    "lon",
    "radius_km",
    "wished_date",
    "urgency",
    "consent",
    "consent_by",
    "admin_notes",
)


def _decode(row: dict | None) -> dict | None:
    if row is not None and "criteria" in row:
        row["criteria"] = json.loads(row["criteria"] or "[]")
    return row


def _encode(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if "criteria" in out:
        out["criteria"] = json.dumps(list(out["criteria"]), ensure_ascii=False)
    return out


def create_request(db, person: dict, structure_id: int, author_id: int, data: dict) -> int:
    now = utcnow_iso()
    values = _encode({k: data.get(k) for k in REQUEST_FIELDS})
    values.update(
        person_id=person["id"],
        structure_id=structure_id,
        author_id=author_id,
        family_name=person["family_name"],
        birth_name=person.get("birth_name"),
        given_names=person["given_names"],
        birth_date=person.get("birth_date"),
        sex=person.get("sex"),
        created_at=now,
        updated_at=now,
    )
    values["admin_notes"] = values.get("admin_notes") or ""
    cols = ", ".join(values)
    cur = db.execute(
        f"INSERT INTO orientation_requests ({cols}) VALUES ({', '.join('?' * len(values))})"
        " RETURNING id",
        list(values.values()),
    )
    return cur.fetchone()[0]


def update_request(db, request_id: int, data: dict) -> None:
    values = _encode({k: data.get(k) for k in REQUEST_FIELDS})
    values["admin_notes"] = values.get("admin_notes") or ""
    sets = ", ".join(f"{k} = ?" for k in values)
    db.execute(
        f"UPDATE orientation_requests SET {sets}, updated_at = ? WHERE id = ? AND status = 'brouillon'",
        [*values.values(), utcnow_iso(), request_id],
    )


def get_request(db, request_id: int) -> dict | None:
    return _decode(fetch_one(db, "SELECT * FROM orientation_requests WHERE id = ?", [request_id]))


def requests_of_structure(db, structure_id: int) -> list[dict]:
    return [
        _decode(r)
        for r in fetch_all(
            db,
            "SELECT * FROM orientation_requests WHERE structure_id = ? ORDER BY id DESC",
            [structure_id],
        )
    ]


def requests_of_person(db, person_id: int) -> list[dict]:
    return [
        _decode(r)
        for r in fetch_all(
            db, "SELECT * FROM orientation_requests WHERE person_id = ? ORDER BY id", [person_id]
        )
    ]


def possible_duplicates(db, request: dict) -> list[dict]:
    """Other requests for the same identity (family name, birth name, birth date, sex)."""
    return fetch_all(
        db,
        "SELECT id, structure_id, status, created_at FROM orientation_requests"
        " WHERE id != ? AND lower(family_name) = lower(?)"
        " AND lower(COALESCE(birth_name, '')) = lower(COALESCE(?, ''))"
        " AND COALESCE(birth_date, '') = COALESCE(?, '') AND COALESCE(sex, '') = COALESCE(?, '')"
        " AND status != 'cloturee'",
        [
            request.get("id") or 0,
            request["family_name"],
            request.get("birth_name"),
            request.get("birth_date"),
            request.get("sex"),
        ],
    )


def lock_request(db, request_id: int) -> None:
    """Inside a transaction: hold the request until it ends, before touching its sendings.

    Every transaction that changes a request and its sendings takes the request first, so that
    two of them (a withdrawal and an admission, say) wait for each other instead of locking
    each other's rows in opposite orders. SQLite's transaction already holds the write lock.
    """
    if db.dialect == "postgresql":
        db.execute(
            "SELECT id FROM orientation_requests WHERE id = ? FOR NO KEY UPDATE", [request_id]
        )


def set_request_status(db, request_id: int, status: str, from_statuses: tuple[str, ...]) -> bool:
    """Conditional update: True when the request was in one of ``from_statuses``."""
    now = utcnow_iso()
    sent = ", sent_at = ?" if status == "envoyee" else ""
    params: list[Any] = [status, now] + ([now] if sent else [])
    cur = db.execute(
        f"UPDATE orientation_requests SET status = ?, updated_at = ?{sent}"
        f" WHERE id = ? AND status IN ({','.join('?' * len(from_statuses))})",
        [*params, request_id, *from_statuses],
    )
    return cur.rowcount == 1


# --------------------------------------------------------------------------- medical part


def get_medical(db, request_id: int) -> dict | None:
    return fetch_one(db, "SELECT * FROM orientation_medical WHERE request_id = ?", [request_id])


def save_medical(db, request_id: int, content: str, author_id: int, author_label: str) -> None:
    db.execute(
        "INSERT INTO orientation_medical (request_id, content, author_id, author_label,"
        " completed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (request_id) DO UPDATE SET"
        " content = excluded.content, author_id = excluded.author_id,"
        " author_label = excluded.author_label, completed_at = excluded.completed_at",
        [request_id, content, author_id, author_label, utcnow_iso()],
    )


# --------------------------------------------------------------------------- sendings


def add_sending(db, request_id: int, directory_id: int, name: str) -> int | None:
    """The new sending's id; ``None`` when the request was already sent to that structure (a
    concurrent sending won: the database decides, by the unique key)."""
    now = utcnow_iso()
    row = db.execute(
        "INSERT INTO orientation_sendings (request_id, directory_id, structure_name, status,"
        " status_at, sent_at) VALUES (?, ?, ?, 'envoyee', ?, ?)"
        " ON CONFLICT (request_id, directory_id) DO NOTHING RETURNING id",
        [request_id, directory_id, name, now, now],
    ).fetchone()
    return row[0] if row else None


def sendings_of(db, request_id: int) -> list[dict]:
    return fetch_all(
        db, "SELECT * FROM orientation_sendings WHERE request_id = ? ORDER BY id", [request_id]
    )


def get_sending(db, sending_id: int) -> dict | None:
    return fetch_one(db, "SELECT * FROM orientation_sendings WHERE id = ?", [sending_id])


def incoming(db, directory_id: int) -> list[dict]:
    return fetch_all(
        db,
        "SELECT s.*, r.module, r.offer, r.urgency, r.wished_date, r.family_name, r.given_names,"
        " r.birth_date, r.status AS request_status FROM orientation_sendings s"
        " JOIN orientation_requests r ON r.id = s.request_id"
        " WHERE s.directory_id = ? ORDER BY s.status_at DESC",
        [directory_id],
    )


def transition_sending(
    db, sending_id: int, status: str, from_statuses: tuple[str, ...], **values: Any
) -> bool:
    """Conditional update (compare-and-set on the status): True when this answer won."""
    now = utcnow_iso()
    sets = ["status = ?", "status_at = ?"]
    params: list[Any] = [status, now]
    for key in ("refusal_reason", "comment", "proposed_date"):
        if key in values:
            sets.append(f"{key} = ?")
            params.append(values[key])
    if values.get("answered"):
        sets.append("answered_at = COALESCE(answered_at, ?)")
        params.append(now)
    cur = db.execute(
        f"UPDATE orientation_sendings SET {', '.join(sets)} WHERE id = ?"
        f" AND status IN ({','.join('?' * len(from_statuses))})",
        [*params, sending_id, *from_statuses],
    )
    return cur.rowcount == 1


def close_sendings(
    db,
    request_id: int,
    status: str,
    from_statuses: tuple[str, ...] = OPEN_SENDING,
    *,
    keep_id: int | None = None,
) -> list[int]:
    """Move the sendings of a request that are in ``from_statuses`` to ``status``; their ids.

    ``keep_id``: a sending left as it is (the admission the person chose). One conditional
    update: a sending whose status an answer changed meanwhile is left as that answer made it.
    """
    marks = ",".join("?" * len(from_statuses))
    where, params = f"request_id = ? AND status IN ({marks})", [request_id, *from_statuses]
    if keep_id is not None:
        where += " AND id != ?"
        params.append(keep_id)
    cur = db.execute(
        f"UPDATE orientation_sendings SET status = ?, status_at = ? WHERE {where} RETURNING id",
        [status, utcnow_iso(), *params],
    )
    return sorted(r[0] for r in cur.fetchall())


# --------------------------------------------------------------------------- events


def add_event(
    db,
    request_id: int,
    sending_id: int | None,
    status: str,
    detail,
    actor_label,
    actor_id: int | None = None,
):
    db.execute(
        "INSERT INTO orientation_events (request_id, sending_id, status, detail, actor_label,"
        " actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [request_id, sending_id, status, detail, actor_label, actor_id, utcnow_iso()],
    )


def events_of(db, request_id: int) -> list[dict]:
    return fetch_all(
        db,
        "SELECT e.*, s.structure_name FROM orientation_events e"
        " LEFT JOIN orientation_sendings s ON s.id = e.sending_id"
        " WHERE e.request_id = ? ORDER BY e.id",
        [request_id],
    )


# --------------------------------------------------------------------------- dating


#: The timestamps of a request and of its parts: table, key column, columns.
TIMESTAMPS = (
    ("orientation_requests", "id", ("created_at", "updated_at", "sent_at")),
    ("orientation_medical", "request_id", ("completed_at",)),
    ("orientation_sendings", "request_id", ("sent_at", "status_at", "answered_at")),
    ("orientation_events", "request_id", ("at",)),
)


def backdate(db, request_id: int, since: str, at: str) -> None:
    """Date ``at`` what a step wrote on a request since ``since`` (both ISO 8601 UTC).

    For data recorded after the fact (the demo territory spreads its requests over past weeks):
    the step itself goes through the service, only its timestamps are moved.
    """
    for table, key, columns in TIMESTAMPS:
        for column in columns:
            db.execute(
                f"UPDATE {table} SET {column} = ? WHERE {key} = ? AND {column} >= ?",
                [at, request_id, since],
            )


# --------------------------------------------------------------------------- workers


def worker_records(db, user_id: int) -> dict[str, Any]:
    """What orientation records about a worker: requests, medical parts and answers authored."""
    return {
        "requests": fetch_all(
            db,
            "SELECT id, offer, created_at FROM orientation_requests WHERE author_id = ?"
            " ORDER BY id",
            [user_id],
        ),
        "medical": fetch_all(
            db,
            "SELECT request_id, completed_at FROM orientation_medical WHERE author_id = ?"
            " ORDER BY request_id",
            [user_id],
        ),
        "events": fetch_all(
            db,
            "SELECT request_id, status, at FROM orientation_events WHERE actor_id = ? ORDER BY id",
            [user_id],
        ),
    }


# --------------------------------------------------------------------------- person


def delete_person(db, person_id: int) -> None:
    ids = [r["id"] for r in requests_of_person(db, person_id)]
    for rid in ids:
        db.execute("DELETE FROM orientation_events WHERE request_id = ?", [rid])
        db.execute("DELETE FROM orientation_sendings WHERE request_id = ?", [rid])
        db.execute("DELETE FROM orientation_medical WHERE request_id = ?", [rid])
    db.execute("DELETE FROM orientation_requests WHERE person_id = ?", [person_id])


def drafts_without_medical(db, structure_id: int) -> list[dict]:
    """The structure's draft requests whose medical part is still to be written."""
    return [
        _decode(r)
        for r in fetch_all(
            db,
            "SELECT r.* FROM orientation_requests r"
            " LEFT JOIN orientation_medical m ON m.request_id = r.id"
            " WHERE r.structure_id = ? AND r.status = 'brouillon' AND m.request_id IS NULL"
            " ORDER BY r.id",
            [structure_id],
        )
    ]

"""SQL of the orientation plugin: its own tables only (prefix ``orientation_``)."""

from __future__ import annotations

import json
from typing import Any

from virage.db import Database, fetch_all, fetch_one, utcnow_iso
from virage_orientation.catalog import OPEN_SENDING


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
        f"INSERT INTO orientation_requests ({cols}) VALUES ({', '.join('?' * len(values))})",
        list(values.values()),
    )
    return cur.lastrowid


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


def add_sending(db, request_id: int, directory_id: int, name: str) -> int:
    now = utcnow_iso()
    cur = db.execute(
        "INSERT INTO orientation_sendings (request_id, directory_id, structure_name, status,"
        " status_at, sent_at) VALUES (?, ?, ?, 'envoyee', ?, ?)",
        [request_id, directory_id, name, now, now],
    )
    return cur.lastrowid


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

    ``keep_id``: a sending left as it is (the admission the person chose).
    """
    marks = ",".join("?" * len(from_statuses))
    where, params = f"request_id = ? AND status IN ({marks})", [request_id, *from_statuses]
    if keep_id is not None:
        where += " AND id != ?"
        params.append(keep_id)
    ids = [
        r["id"]
        for r in fetch_all(
            db, f"SELECT id FROM orientation_sendings WHERE {where} ORDER BY id", params
        )
    ]
    if ids:
        db.execute(
            f"UPDATE orientation_sendings SET status = ?, status_at = ?"
            f" WHERE id IN ({','.join('?' * len(ids))})",
            [status, utcnow_iso(), *ids],
        )
    return ids


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


# --------------------------------------------------------------------------- places & links


def set_places(db, directory_id: int, offer: str, places: int) -> None:
    db.execute(
        "INSERT INTO orientation_places (directory_id, offer, places, updated_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (directory_id, offer) DO UPDATE SET"
        " places = excluded.places, updated_at = excluded.updated_at",
        [directory_id, offer, places, utcnow_iso()],
    )


def places_for(db, directory_ids: list[int], offer: str) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for start in range(0, len(directory_ids), 500):
        chunk = directory_ids[start : start + 500]
        for r in fetch_all(
            db,
            f"SELECT directory_id, places, updated_at FROM orientation_places WHERE offer = ?"
            f" AND directory_id IN ({','.join('?' * len(chunk))})",
            [offer, *chunk],
        ):
            out[r["directory_id"]] = r
    return out


def places_of(db, directory_id: int) -> list[dict]:
    return fetch_all(
        db,
        "SELECT offer, places, updated_at FROM orientation_places WHERE directory_id = ?",
        [directory_id],
    )


def link(db, structure_id: int, directory_id: int) -> None:
    db.execute(
        "INSERT INTO orientation_links (structure_id, directory_id) VALUES (?, ?)"
        " ON CONFLICT (structure_id) DO UPDATE SET directory_id = excluded.directory_id",
        [structure_id, directory_id],
    )


def linked_directory(db, structure_id: int) -> int | None:
    row = fetch_one(
        db, "SELECT directory_id FROM orientation_links WHERE structure_id = ?", [structure_id]
    )
    return row["directory_id"] if row else None


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


# --------------------------------------------------------------------------- person & dashboard


def delete_person(db, person_id: int) -> None:
    ids = [r["id"] for r in requests_of_person(db, person_id)]
    for rid in ids:
        db.execute("DELETE FROM orientation_events WHERE request_id = ?", [rid])
        db.execute("DELETE FROM orientation_sendings WHERE request_id = ?", [rid])
        db.execute("DELETE FROM orientation_medical WHERE request_id = ?", [rid])
    db.execute("DELETE FROM orientation_requests WHERE person_id = ?", [person_id])


def dashboard(db) -> dict[str, Any]:
    by_status = {
        r["status"]: r["n"]
        for r in fetch_all(
            db, "SELECT status, COUNT(*) AS n FROM orientation_requests GROUP BY status"
        )
    }
    sending_status = {
        r["status"]: r["n"]
        for r in fetch_all(
            db, "SELECT status, COUNT(*) AS n FROM orientation_sendings GROUP BY status"
        )
    }
    avg = db.execute(
        "SELECT AVG((julianday(answered_at) - julianday(sent_at)) * 24), COUNT(answered_at)"
        " FROM orientation_sendings WHERE answered_at IS NOT NULL"
    ).fetchone()
    reasons = fetch_all(
        db,
        "SELECT refusal_reason AS reason, COUNT(*) AS n FROM orientation_sendings"
        " WHERE status = 'refusee' GROUP BY refusal_reason ORDER BY n DESC",
    )
    return {
        "requests": by_status,
        "sendings": sending_status,
        "average_response_hours": round(avg[0], 1) if avg[0] is not None else None,
        "answered": avg[1],
        "refusal_reasons": reasons,
    }

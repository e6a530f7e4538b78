"""Read-only facts of the orientation for the indicators, for the structure that orients
(requests sent in a month, their sendings' answers): no name, no medical part, no author."""

from __future__ import annotations

from virage.sdk import Database, fetch_all

#: A month of one structure's orientations is small; bounded anyway.
MAX_ROWS = 5000


def requests_sent(db: Database, structure_id: int, start_utc: str, end_utc: str) -> list[dict]:
    return fetch_all(
        db,
        "SELECT offer, COUNT(*) AS n, COUNT(DISTINCT person_id) AS persons"
        " FROM orientation_requests WHERE structure_id = ? AND sent_at >= ? AND sent_at < ?"
        " GROUP BY offer",
        [structure_id, start_utc, end_utc],
    )


def sendings_of_requests_sent(
    db: Database, structure_id: int, start_utc: str, end_utc: str
) -> list[dict]:
    """The sendings of the requests sent in the month: when each was answered, its status."""
    return fetch_all(
        db,
        "SELECT r.id AS request_id, r.person_id, r.sent_at AS request_sent_at, s.sent_at,"
        " s.answered_at, s.status, s.status_at FROM orientation_sendings s"
        " JOIN orientation_requests r ON r.id = s.request_id"
        " WHERE r.structure_id = ? AND r.sent_at >= ? AND r.sent_at < ? LIMIT ?",
        [structure_id, start_utc, end_utc, MAX_ROWS],
    )


def answers_of_month(db: Database, structure_id: int, start_utc: str, end_utc: str) -> list[dict]:
    """Sendings of the structure's requests whose status changed in the month."""
    return fetch_all(
        db,
        "SELECT r.person_id, r.sent_at AS request_sent_at, s.status, s.status_at,"
        " s.refusal_reason FROM orientation_sendings s"
        " JOIN orientation_requests r ON r.id = s.request_id"
        " WHERE r.structure_id = ? AND s.status_at >= ? AND s.status_at < ? LIMIT ?",
        [structure_id, start_utc, end_utc, MAX_ROWS],
    )

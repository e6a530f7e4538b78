"""SQL of what orientation knows of the network: the places structures declare, the links of
network structures to the directory, and the aggregated dashboard (own tables only)."""

from __future__ import annotations

from typing import Any

from virage.sdk import fetch_all, fetch_one, utcnow_iso


def set_places(db, directory_id: int, offer: str, places: int) -> None:
    db.execute(
        "INSERT INTO orientation_places (directory_id, offer, places, updated_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (directory_id, offer) DO UPDATE SET"
        " places = excluded.places, updated_at = excluded.updated_at",
        [directory_id, offer, places, utcnow_iso()],
    )


def clear_places(db, directory_id: int, offer: str) -> None:
    """The structure no longer declares places for ``offer`` (« non déclarées »)."""
    db.execute(
        "DELETE FROM orientation_places WHERE directory_id = ? AND offer = ?",
        [directory_id, offer],
    )


def closed_offers(db, directory_id: int) -> set[str]:
    """The offers for which the structure does not take orientations (settings of the structure)."""
    rows = fetch_all(
        db, "SELECT offer FROM orientation_offers_closed WHERE directory_id = ?", [directory_id]
    )
    return {r["offer"] for r in rows}


def set_closed_offers(db, directory_id: int, offers: set[str]) -> None:
    db.execute("DELETE FROM orientation_offers_closed WHERE directory_id = ?", [directory_id])
    for offer in sorted(offers):
        db.execute(
            "INSERT INTO orientation_offers_closed (directory_id, offer, updated_at)"
            " VALUES (?, ?, ?)",
            [directory_id, offer, utcnow_iso()],
        )


def closed_for(db, directory_ids: list[int], offer: str) -> set[int]:
    """Which of ``directory_ids`` do not take orientations for ``offer``."""
    out: set[int] = set()
    for start in range(0, len(directory_ids), 500):
        chunk = directory_ids[start : start + 500]
        for r in fetch_all(
            db,
            "SELECT directory_id FROM orientation_offers_closed WHERE offer = ?"
            f" AND directory_id IN ({','.join('?' * len(chunk))})",
            [offer, *chunk],
        ):
            out.add(r["directory_id"])
    return out


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


# --------------------------------------------------------------------------- dashboard


def _hours_between(start: str, end: str, dialect: str) -> str:
    """SQL: hours from ``start`` to ``end`` (two ISO 8601 text columns)."""
    if dialect == "postgresql":
        return f"EXTRACT(EPOCH FROM ({end}::timestamptz - {start}::timestamptz)) / 3600.0"
    return f"(julianday({end}) - julianday({start})) * 24"


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
        f"SELECT AVG({_hours_between('sent_at', 'answered_at', db.dialect)}), COUNT(answered_at)"
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

"""SQL of the kiosk's indicators: the tickets of a month (when each was taken and called, with
or without appointment, the person when the kiosk knows her) and ``kiosk_monthly``, the month's
figures kept before its tickets are forgotten (migration ``kiosk/0003_monthly``).

Tickets are kept 31 days (:data:`virage_kiosk.arrivals.KEEP_DAYS`); a month's figures must
outlive them, or a month computed again (the current and previous ones are, every time the
dashboard is opened) or exported later would lose its first weeks. Never read: who called or
checked a ticket (``called_by``, ``verified_by``), nor the desk — only how many different people
called the month's tickets (:func:`callers_between`), never who.
"""

from __future__ import annotations

from virage.sdk import Database, structure_policy

#: A month of one structure's arrivals; bounded anyway.
MAX_ROWS = 50000


def create_monthly(db: Database) -> None:
    db.execute(
        """CREATE TABLE kiosk_monthly (
            structure_id INTEGER NOT NULL,
            month TEXT NOT NULL,
            indicator TEXT NOT NULL,
            category TEXT NOT NULL,
            value REAL NOT NULL,
            base INTEGER NOT NULL,
            PRIMARY KEY (structure_id, month, indicator, category)
        )"""
    )
    db.execute(
        """CREATE TABLE kiosk_monthly_kept (
            structure_id INTEGER NOT NULL,
            month TEXT NOT NULL,
            PRIMARY KEY (structure_id, month)
        )"""
    )
    structure_policy(db, "kiosk_monthly")
    structure_policy(db, "kiosk_monthly_kept")


def tickets_between(db: Database, structure_id: int, start_utc: str, end_utc: str) -> list[dict]:
    """Tickets taken in [start, end): when, when called, with an appointment or not, the person
    (``None`` for a ticket without appointment: the kiosk does not know who took it)."""
    return db.fetch_all(
        "SELECT created_at, called_at, appointment_id, person_id FROM kiosk_tickets"
        " WHERE structure_id = ? AND created_at >= ? AND created_at < ? ORDER BY id LIMIT ?",
        [structure_id, start_utc, end_utc, MAX_ROWS],
    )


def callers_between(db: Database, structure_id: int, start_utc: str, end_utc: str) -> int:
    """How many different people called the tickets taken in [start, end) (a count, never who)."""
    row = db.fetch_one(
        "SELECT count(DISTINCT called_by) AS n FROM kiosk_tickets WHERE structure_id = ?"
        " AND created_at >= ? AND created_at < ? AND called_by IS NOT NULL",
        [structure_id, start_utc, end_utc],
    )
    return int(row["n"]) if row else 0


def months_before(db: Database, structure_id: int, day: str) -> list[str]:
    """The months (``AAAA-MM``) that have tickets of a day before ``day`` and are not kept yet."""
    rows = db.fetch_all(
        "SELECT DISTINCT substr(t.day, 1, 7) AS month FROM kiosk_tickets t"
        " WHERE t.structure_id = ? AND t.day < ? AND NOT EXISTS (SELECT 1 FROM kiosk_monthly_kept"
        " k WHERE k.structure_id = t.structure_id AND k.month = substr(t.day, 1, 7))"
        " ORDER BY month LIMIT 120",
        [structure_id, day],
    )
    return [r["month"] for r in rows]


def keep(db: Database, structure_id: int, month: str, rows: list[tuple[str, str, float, int]]):
    """Keep a month's figures: ``rows`` of (indicator, category, value, base)."""
    db.execute(
        "INSERT INTO kiosk_monthly_kept (structure_id, month) VALUES (?, ?)", [structure_id, month]
    )
    for indicator, category, value, base in rows:
        db.execute(
            "INSERT INTO kiosk_monthly (structure_id, month, indicator, category, value, base)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [structure_id, month, indicator, category, value, base],
        )


def kept(db: Database, structure_id: int, month: str, indicator: str) -> list[dict] | None:
    """The figures kept for ``month`` (``None`` when the month is not kept: read the tickets)."""
    if not db.fetch_one(
        "SELECT 1 AS x FROM kiosk_monthly_kept WHERE structure_id = ? AND month = ?",
        [structure_id, month],
    ):
        return None
    return db.fetch_all(
        "SELECT category, value, base FROM kiosk_monthly"
        " WHERE structure_id = ? AND month = ? AND indicator = ? ORDER BY category",
        [structure_id, month, indicator],
    )

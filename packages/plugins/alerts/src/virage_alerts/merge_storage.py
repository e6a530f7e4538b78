"""Storage of the alerts' part of a merge of duplicate records (``persons_merged``). SQL lives
here only.

The duplicate's alerts follow the record kept. A person occupies one room: when both records
had one, the kept record's stays and the duplicate's room is freed (the team sets it again if
needed); otherwise the duplicate's room becomes the kept record's.
"""

from __future__ import annotations

from virage.sdk import Database


def move_person(db: Database, kept_id: int, merged_id: int) -> int:
    """Re-attach the duplicate's alerts and room; return the alerts moved."""
    if db.fetch_one("SELECT 1 AS x FROM alerts_rooms WHERE person_id = ?", [kept_id]):
        db.execute("DELETE FROM alerts_rooms WHERE person_id = ?", [merged_id])
    else:
        db.execute(
            "UPDATE alerts_rooms SET person_id = ? WHERE person_id = ?", [kept_id, merged_id]
        )
    return db.execute(
        "UPDATE alerts_alerts SET person_id = ? WHERE person_id = ?", [kept_id, merged_id]
    ).rowcount

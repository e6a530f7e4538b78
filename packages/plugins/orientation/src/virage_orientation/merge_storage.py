"""Storage of the orientation's part of a merge of duplicate records (``persons_merged``): the
duplicate's orientation requests (their sendings, events and medical part hang on them) follow
the record kept. SQL lives here only."""

from __future__ import annotations

from virage.sdk import Database


def move_person(db: Database, kept_id: int, merged_id: int) -> int:
    """Re-attach the duplicate's requests; return how many were moved."""
    return db.execute(
        "UPDATE orientation_requests SET person_id = ? WHERE person_id = ?", [kept_id, merged_id]
    ).rowcount

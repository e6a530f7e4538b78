"""Storage of the file's part of a merge of duplicate records (``persons_merged``). SQL lives
here only.

The duplicate's plans, objectives, objective links and assessments follow the record kept. A
person has one current plan: when both records had one, the kept record's stays current and the
duplicate's becomes superseded (history). The duplicate's versions are numbered after the kept
record's (``UNIQUE (person_id, version)``), in their own order.
"""

from __future__ import annotations

from virage.db import Database, fetch_one, utcnow_iso


def move_person(db: Database, kept_id: int, merged_id: int) -> dict[str, int]:
    """Re-attach the duplicate's file; return what was moved (plans, assessments)."""
    top = fetch_one(
        db,
        "SELECT COALESCE(MAX(version), 0) AS v FROM dossier_plans WHERE person_id = ?",
        [kept_id],
    )["v"]
    kept_current = fetch_one(
        db,
        "SELECT id FROM dossier_plans WHERE person_id = ? AND status = 'current'",
        [kept_id],
    )
    if kept_current is not None:
        db.execute(
            "UPDATE dossier_plans SET status = 'superseded', superseded_at = ?"
            " WHERE person_id = ? AND status = 'current'",
            [utcnow_iso(), merged_id],
        )
    plans = db.execute(
        "UPDATE dossier_plans SET person_id = ?, version = version + ? WHERE person_id = ?",
        [kept_id, top, merged_id],
    ).rowcount
    for table in ("dossier_objectives", "dossier_objective_links"):
        db.execute(f"UPDATE {table} SET person_id = ? WHERE person_id = ?", [kept_id, merged_id])
    assessments = db.execute(
        "UPDATE dossier_assessments SET person_id = ? WHERE person_id = ?", [kept_id, merged_id]
    ).rowcount
    return {"plans": plans, "assessments": assessments}

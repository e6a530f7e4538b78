"""Storage of the transmissions' part of a merge of duplicate records (``persons_merged``): the
duplicate's transmissions (with their acknowledgements, which hang on them) follow the record kept.
SQL lives here only.

A transmission's person never changes (migration ``0031``), except here: for the time of the
merge, ``transmissions_merge`` holds the pair (duplicate → record kept) and the triggers of
``0152`` let exactly that change through, after the grace period too. Nothing else of the
transmission changes; the pair is removed before the merge's transaction commits.
"""

from __future__ import annotations

from virage.db import Database, fetch_one
from virage.db_ddl import now_text, refuse
from virage.db_policies import structure_policy
from virage.transmissions.schema_storage import FTS_BODY, FTS_SCOPE, IMMUTABLE

MERGING = (
    "EXISTS (SELECT 1 FROM transmissions_merge m"
    " WHERE m.person_id = OLD.person_id AND m.kept_id = NEW.person_id)"
)


def _drop_trigger(db: Database, name: str) -> None:
    if db.dialect == "postgresql":
        db.execute(f"DROP TRIGGER IF EXISTS {name} ON transmissions")
        db.execute(f"DROP FUNCTION IF EXISTS {name}_fn()")
    else:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")


def allow_merge(db: Database) -> None:
    """Migration ``core/0152_transmissions_merge``: the person of a transmission changes only
    when its record is merged into another (the pair is in ``transmissions_merge``)."""
    db.execute(
        """CREATE TABLE transmissions_merge (
            person_id INTEGER PRIMARY KEY,
            kept_id INTEGER NOT NULL,
            structure_id INTEGER NOT NULL
        )"""
    )
    structure_policy(db, "transmissions_merge")
    for name in ("transmissions_identity_frozen", "transmissions_frozen_after_grace"):
        _drop_trigger(db, name)
    refuse(
        db,
        "transmissions_identity_frozen",
        table="transmissions",
        event="UPDATE OF id, structure_id, author_id, author_label, kind, parent_id,"
        " created_at, editable_until, client_id, source",
        message="transmission : auteur, personne, date et lien ne se modifient jamais",
    )
    refuse(
        db,
        "transmissions_person_frozen",
        table="transmissions",
        event="UPDATE OF person_id",
        message="transmission : auteur, personne, date et lien ne se modifient jamais",
        when=f"NOT {MERGING}",
    )
    refuse(
        db,
        "transmissions_frozen_after_grace",
        table="transmissions",
        event="UPDATE",
        message=IMMUTABLE,
        when=f"{now_text(db)} >= OLD.editable_until AND NOT {MERGING}",
    )
    if db.dialect != "postgresql":  # the full-text scope names the person: re-index
        old, new = {"row": "old"}, {"row": "new"}
        db.execute(
            "CREATE TRIGGER transmissions_fts_ap AFTER UPDATE OF person_id ON transmissions BEGIN"
            " INSERT INTO transmissions_fts (transmissions_fts, rowid, target, body, scope) VALUES"
            f" ('delete', old.id, old.target, {FTS_BODY.format(**old)},"
            f" {FTS_SCOPE.format(**old)});"
            " INSERT INTO transmissions_fts (rowid, target, body, scope) VALUES"
            f" (new.id, new.target, {FTS_BODY.format(**new)}, {FTS_SCOPE.format(**new)}); END"
        )


def move_person(db: Database, kept_id: int, merged_id: int) -> int:
    """Re-attach the duplicate's transmissions; return how many were moved."""
    row = fetch_one(
        db, "SELECT structure_id FROM transmissions WHERE person_id = ? LIMIT 1", [merged_id]
    )
    if row is None:
        return 0
    db.execute(
        "INSERT INTO transmissions_merge (person_id, kept_id, structure_id) VALUES (?, ?, ?)",
        [merged_id, kept_id, row["structure_id"]],
    )
    moved = db.execute(
        "UPDATE transmissions SET person_id = ? WHERE person_id = ?", [kept_id, merged_id]
    ).rowcount
    db.execute("DELETE FROM transmissions_merge WHERE person_id = ?", [merged_id])
    return moved

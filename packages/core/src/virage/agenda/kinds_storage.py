"""Which kinds of appointment a structure does not use (table ``agenda_unused_kinds``): a kind is
in use unless the structure set it aside, so a kind added by a new plugin is offered at once."""

from __future__ import annotations

from virage.db import Database


def create_table(db: Database) -> None:
    """Migration ``core/0106_agenda_kinds_in_use``."""
    db.execute(
        """CREATE TABLE agenda_unused_kinds (
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            kind TEXT NOT NULL,
            PRIMARY KEY (structure_id, kind)
        )"""
    )


def unused(db: Database, structure_id: int) -> set[str]:
    rows = db.execute(
        "SELECT kind FROM agenda_unused_kinds WHERE structure_id = ?", [structure_id]
    ).fetchall()
    return {r[0] for r in rows}


def set_unused(db: Database, structure_id: int, kinds: set[str]) -> None:
    db.execute("DELETE FROM agenda_unused_kinds WHERE structure_id = ?", [structure_id])
    for kind in sorted(kinds):
        db.execute(
            "INSERT INTO agenda_unused_kinds (structure_id, kind) VALUES (?, ?)",
            [structure_id, kind],
        )

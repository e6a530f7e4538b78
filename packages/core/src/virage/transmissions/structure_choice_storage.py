"""Which targets and templates of the shared nomenclature a structure sets aside (table
``transmissions_unused``): everything is in use unless set aside, so a target the network adds is
offered at once."""

from __future__ import annotations

from virage.db import Database


def create_table(db: Database) -> None:
    """Migration ``core/0107_transmissions_in_use``."""
    db.execute(
        """CREATE TABLE transmissions_unused (
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            item TEXT NOT NULL CHECK (item IN ('target', 'template')),
            ref TEXT NOT NULL,
            PRIMARY KEY (structure_id, item, ref)
        )"""
    )


def unused(db: Database, structure_id: int) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"target": set(), "template": set()}
    for item, ref in db.execute(
        "SELECT item, ref FROM transmissions_unused WHERE structure_id = ?", [structure_id]
    ).fetchall():
        found[item].add(ref)
    return found


def set_unused(db: Database, structure_id: int, targets: set[str], templates: set[str]) -> None:
    db.execute("DELETE FROM transmissions_unused WHERE structure_id = ?", [structure_id])
    for item, refs in (("target", targets), ("template", templates)):
        for ref in sorted(refs):
            db.execute(
                "INSERT INTO transmissions_unused (structure_id, item, ref) VALUES (?, ?, ?)",
                [structure_id, item, ref],
            )

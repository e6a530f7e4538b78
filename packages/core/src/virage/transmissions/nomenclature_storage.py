"""Storage of the shared nomenclature of transmissions: targets ("cibles") and DAR templates.

Re-exported by ``virage.transmissions.storage``.
"""

from __future__ import annotations

from virage.db import Database, utcnow_iso
from virage.db import fetch_all as _rows
from virage.db import fetch_one as _row
from virage.transmissions.targets import TransmissionTarget, TransmissionTemplate


def upsert_target(db: Database, target: TransmissionTarget, source: str) -> bool:
    """Add a target if its code is new (an existing one, maybe retired by the network, is kept)."""
    cur = db.execute(
        "INSERT INTO transmissions_targets (code, label, category, position, source,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [target.code, target.label, target.category, target.position, source, utcnow_iso()],
    )
    return cur.rowcount == 1


def upsert_template(db: Database, template: TransmissionTemplate, source: str) -> bool:
    cur = db.execute(
        "INSERT INTO transmissions_templates (target, label, data, actions, results,"
        " source) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [
            template.target,
            template.label,
            template.data,
            template.actions,
            template.results,
            source,
        ],
    )
    return cur.rowcount == 1


def set_target_active(db: Database, code: str, active: bool) -> bool:
    cur = db.execute(
        "UPDATE transmissions_targets SET active = ? WHERE code = ?", [int(active), code]
    )
    return cur.rowcount == 1


def list_targets(db: Database, *, active_only: bool = True) -> list[dict]:
    where = "WHERE active = 1" if active_only else ""
    return _rows(
        db,
        "SELECT code, label, category, position, source, active FROM transmissions_targets"
        f" {where} ORDER BY position, label",
    )


def get_target(db: Database, code: str) -> dict | None:
    return _row(db, "SELECT * FROM transmissions_targets WHERE code = ?", [code])


def list_templates(db: Database) -> list[dict]:
    return _rows(
        db,
        "SELECT m.id, m.target, m.label, m.data, m.actions, m.results, m.source"
        " FROM transmissions_templates m JOIN transmissions_targets t ON t.code = m.target"
        " WHERE m.active = 1 AND t.active = 1 ORDER BY t.position, m.label",
    )


def get_template(db: Database, template_id: int) -> dict | None:
    return _row(
        db, "SELECT * FROM transmissions_templates WHERE id = ? AND active = 1", [template_id]
    )


def update_target(db: Database, code: str, label: str, category: str, position: int) -> bool:
    cur = db.execute(
        "UPDATE transmissions_targets SET label = ?, category = ?, position = ? WHERE code = ?",
        [label, category, position, code],
    )
    return cur.rowcount == 1


def all_templates(db: Database) -> list[dict]:
    """Every template, retired ones and those of a retired target included (administration)."""
    return _rows(
        db,
        "SELECT m.id, m.target, m.label, m.data, m.actions, m.results, m.source, m.active"
        " FROM transmissions_templates m JOIN transmissions_targets t ON t.code = m.target"
        " ORDER BY t.position, m.target, m.label",
    )


def get_any_template(db: Database, template_id: int) -> dict | None:
    return _row(db, "SELECT * FROM transmissions_templates WHERE id = ?", [template_id])


def update_template(db: Database, template_id: int, template: TransmissionTemplate) -> bool:
    cur = db.execute(
        "UPDATE transmissions_templates SET label = ?, data = ?, actions = ?, results = ?"
        " WHERE id = ?",
        [template.label, template.data, template.actions, template.results, template_id],
    )
    return cur.rowcount == 1


def set_template_active(db: Database, template_id: int, active: bool) -> bool:
    cur = db.execute(
        "UPDATE transmissions_templates SET active = ? WHERE id = ?", [int(active), template_id]
    )
    return cur.rowcount == 1


def template_label_taken(db: Database, target: str, label: str, template_id: int) -> bool:
    row = _row(
        db,
        "SELECT id FROM transmissions_templates WHERE target = ? AND label = ? AND id <> ?",
        [target, label, template_id],
    )
    return row is not None

"""Storage of the person's file: support plans (versions, objectives), links from transmissions to
objectives, and assessments (dated answers to a questionnaire). SQL lives here only."""

from __future__ import annotations

import json
from typing import Any

from virage.db import Database, fetch_all, fetch_one
from virage.db_policies import structure_policy

TABLES = ("dossier_plans", "dossier_objectives", "dossier_objective_links", "dossier_assessments")


def create_tables(db: Database) -> None:
    """Migration ``core/0140_dossier``."""
    db.execute(
        """CREATE TABLE dossier_plans (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES persons(id),
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            version INTEGER NOT NULL CHECK (version >= 1),
            status TEXT NOT NULL DEFAULT 'current' CHECK (status IN ('current', 'superseded')),
            review_on TEXT NOT NULL,
            agreed_on TEXT,
            agreed_how TEXT NOT NULL DEFAULT '',
            agreed_by TEXT NOT NULL DEFAULT '',
            author_label TEXT NOT NULL,
            created_at TEXT NOT NULL,
            superseded_at TEXT,
            UNIQUE (person_id, version)
        )"""
    )
    db.execute(
        "CREATE INDEX dossier_plans_review ON dossier_plans (structure_id, status, review_on)"
    )
    db.execute(
        """CREATE TABLE dossier_objectives (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES dossier_plans(id),
            person_id INTEGER NOT NULL REFERENCES persons(id),
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            position INTEGER NOT NULL,
            words TEXT NOT NULL,
            actions TEXT NOT NULL DEFAULT '',
            who TEXT NOT NULL DEFAULT '',
            care INTEGER NOT NULL DEFAULT 0,
            origin_id INTEGER
        )"""
    )
    db.execute("CREATE INDEX dossier_objectives_plan ON dossier_objectives (plan_id, position)")
    db.execute(
        """CREATE TABLE dossier_objective_links (
            transmission_id INTEGER NOT NULL,
            objective_id INTEGER NOT NULL REFERENCES dossier_objectives(id),
            person_id INTEGER NOT NULL REFERENCES persons(id),
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            linked_by TEXT NOT NULL,
            linked_at TEXT NOT NULL,
            PRIMARY KEY (transmission_id, objective_id)
        )"""
    )
    db.execute(
        "CREATE INDEX dossier_objective_links_objective ON dossier_objective_links (objective_id)"
    )
    db.execute(
        """CREATE TABLE dossier_assessments (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES persons(id),
            structure_id INTEGER NOT NULL REFERENCES structures(id),
            questionnaire TEXT NOT NULL,
            answered_on TEXT NOT NULL,
            respondent TEXT NOT NULL CHECK (respondent IN ('personne', 'proche', 'professionnel')),
            respondent_name TEXT NOT NULL DEFAULT '',
            filled_by_label TEXT NOT NULL,
            responses TEXT NOT NULL,
            result TEXT,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        "CREATE INDEX dossier_assessments_person ON dossier_assessments (person_id, answered_on)"
    )


def create_row_security(db: Database) -> None:
    """Migration ``core/0141_row_security_dossier``: every table by structure (PostgreSQL)."""
    for table in TABLES:
        structure_policy(db, table)


# --------------------------------------------------------------------------- plans


def current_plan(db: Database, person_id: int) -> dict | None:
    return fetch_one(
        db,
        "SELECT * FROM dossier_plans WHERE person_id = ? AND status = 'current'",
        [person_id],
    )


def plans(db: Database, person_id: int) -> list[dict]:
    """Every version, newest first."""
    return fetch_all(
        db, "SELECT * FROM dossier_plans WHERE person_id = ? ORDER BY version DESC", [person_id]
    )


def plan(db: Database, plan_id: int) -> dict | None:
    return fetch_one(db, "SELECT * FROM dossier_plans WHERE id = ?", [plan_id])


def objectives(db: Database, plan_id: int) -> list[dict]:
    return fetch_all(
        db, "SELECT * FROM dossier_objectives WHERE plan_id = ? ORDER BY position", [plan_id]
    )


def objective(db: Database, objective_id: int) -> dict | None:
    return fetch_one(db, "SELECT * FROM dossier_objectives WHERE id = ?", [objective_id])


def insert_plan(db: Database, values: dict[str, Any], items: list[dict[str, Any]], now: str) -> int:
    """Add a version; the current one (if any) becomes read-only, its links follow the objectives
    that continue it (``origin_id``)."""
    last = fetch_one(
        db,
        "SELECT max(version) AS v FROM dossier_plans WHERE person_id = ?",
        [values["person_id"]],
    )
    db.execute(
        "UPDATE dossier_plans SET status = 'superseded', superseded_at = ?"
        " WHERE person_id = ? AND status = 'current'",
        [now, values["person_id"]],
    )
    plan_id = db.insert_row(
        "dossier_plans",
        {
            **values,
            "version": ((last or {}).get("v") or 0) + 1,
            "status": "current",
            "created_at": now,
        },
    )
    for position, item in enumerate(items, start=1):
        new_id = db.insert_row(
            "dossier_objectives",
            {
                "plan_id": plan_id,
                "person_id": values["person_id"],
                "structure_id": values["structure_id"],
                "position": position,
                "words": item["words"],
                "actions": item.get("actions", ""),
                "who": item.get("who", ""),
                "care": 1 if item.get("care") else 0,
                "origin_id": item.get("origin_id"),
            },
        )
        if item.get("origin_id"):
            db.execute(
                "INSERT INTO dossier_objective_links"
                " (transmission_id, objective_id, person_id, structure_id, linked_by, linked_at)"
                " SELECT transmission_id, ?, person_id, structure_id, linked_by, linked_at"
                " FROM dossier_objective_links WHERE objective_id = ?",
                [new_id, item["origin_id"]],
            )
    return plan_id


def reviews_due(db: Database, structure_id: int, until: str, limit: int = 2000) -> list[dict]:
    """Current plans of the structure whose review date is on or before ``until``."""
    return fetch_all(
        db,
        "SELECT id, person_id, version, review_on FROM dossier_plans"
        " WHERE structure_id = ? AND status = 'current' AND review_on <= ?"
        " ORDER BY review_on, id LIMIT ?",
        [structure_id, until, limit],
    )


# --------------------------------------------------------------------------- links


def link(db: Database, values: dict[str, Any]) -> bool:
    exists = fetch_one(
        db,
        "SELECT 1 AS x FROM dossier_objective_links WHERE transmission_id = ? AND objective_id = ?",
        [values["transmission_id"], values["objective_id"]],
    )
    if exists:
        return False
    columns = (
        "transmission_id",
        "objective_id",
        "person_id",
        "structure_id",
        "linked_by",
        "linked_at",
    )
    db.execute(
        f"INSERT INTO dossier_objective_links ({', '.join(columns)}) VALUES (?, ?, ?, ?, ?, ?)",
        [values[c] for c in columns],
    )
    return True


def links_for_plan(db: Database, plan_id: int) -> list[dict]:
    return fetch_all(
        db,
        "SELECT l.* FROM dossier_objective_links l"
        " JOIN dossier_objectives o ON o.id = l.objective_id WHERE o.plan_id = ?"
        " ORDER BY l.linked_at DESC",
        [plan_id],
    )


# --------------------------------------------------------------------------- assessments


def insert_assessment(db: Database, values: dict[str, Any]) -> int:
    return db.insert_row(
        "dossier_assessments",
        {**values, "responses": json.dumps(values["responses"], ensure_ascii=False)},
    )


def _decoded(row: dict) -> dict:
    row["responses"] = json.loads(row["responses"])
    return row


def assessments(db: Database, person_id: int, limit: int = 200) -> list[dict]:
    rows = fetch_all(
        db,
        "SELECT * FROM dossier_assessments WHERE person_id = ?"
        " ORDER BY answered_on DESC, id DESC LIMIT ?",
        [person_id, limit],
    )
    return [_decoded(r) for r in rows]


def assessment(db: Database, assessment_id: int) -> dict | None:
    row = fetch_one(db, "SELECT * FROM dossier_assessments WHERE id = ?", [assessment_id])
    return _decoded(row) if row else None


# --------------------------------------------------------------------------- RGPD


def all_for_person(db: Database, person_id: int) -> dict[str, list[dict]]:
    plan_rows = plans(db, person_id)
    objective_rows = fetch_all(
        db,
        "SELECT * FROM dossier_objectives WHERE person_id = ? ORDER BY plan_id, position",
        [person_id],
    )
    link_rows = fetch_all(
        db, "SELECT * FROM dossier_objective_links WHERE person_id = ?", [person_id]
    )
    return {
        "plans": plan_rows,
        "objectives": objective_rows,
        "links": link_rows,
        "assessments": assessments(db, person_id, limit=100_000),
    }


def delete_for_person(db: Database, person_id: int) -> None:
    for table in (
        "dossier_objective_links",
        "dossier_objectives",
        "dossier_plans",
        "dossier_assessments",
    ):
        db.execute(f"DELETE FROM {table} WHERE person_id = ?", [person_id])

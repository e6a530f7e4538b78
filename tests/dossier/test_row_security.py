"""PostgreSQL's second lock on the file's tables: a query that forgot its ``WHERE structure_id``
still sees only the structures acted for, and cannot write into another one."""

from __future__ import annotations

import pytest

from tests.dossier.conftest import write_assessment, write_plan
from virage import db_scope
from virage.db import connect
from virage.dossier.storage import TABLES

pytestmark = pytest.mark.postgres_only


def test_an_unfiltered_query_sees_only_its_structure(client, world):
    a, b = world.structures["a"], world.structures["b"]
    assert write_plan(client, world).status_code == 201
    assert write_plan(client, world, name="coord_b", person="p2").status_code == 201
    assert write_assessment(client, world).status_code == 201
    assert write_assessment(client, world, name="coord_b", person="p2").status_code == 201
    db = connect(world.settings.db_path)
    try:
        for table in TABLES:
            if table == "dossier_objective_links":
                continue
            everything = {
                r["structure_id"] for r in db.fetch_all(f"SELECT structure_id FROM {table}")
            }
            assert everything == {a, b}, table
            token = db_scope.acting_for([b])
            try:
                seen = {
                    r["structure_id"] for r in db.fetch_all(f"SELECT structure_id FROM {table}")
                }
                assert seen == {b}, table
            finally:
                db_scope.reset(token)
        token = db_scope.acting_for([b])
        try:
            with pytest.raises(db.Error):
                db.execute(
                    "INSERT INTO dossier_assessments (person_id, structure_id, questionnaire,"
                    " answered_on, respondent, filled_by_label, responses, created_at)"
                    " VALUES (?, ?, 'aggir', '2026-12-01', 'personne', 'x', '{}', 'x')",
                    [world.persons["p1"], a],
                )
        finally:
            db_scope.reset(token)
    finally:
        db.close()

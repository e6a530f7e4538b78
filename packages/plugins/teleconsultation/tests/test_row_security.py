"""PostgreSQL's second lock on the sessions (``structure_policy``): a query that forgot its
``WHERE structure_id = ?`` still sees only the structures the request acts for."""

from __future__ import annotations

import pytest
from tc_helpers import request_tc

from virage.sdk.testing import connect


@pytest.mark.postgres_only
def test_a_structure_sees_only_its_own_sessions(client, world, doctors):
    tc = request_tc(client, world, doctors["external"])
    db = connect(world.settings.db_path)
    try:
        rows = "SELECT id FROM teleconsultations"
        assert [r[0] for r in db.execute(rows).fetchall()] == [tc["id"]]  # the command line
        # what a request of a worker of structure b tells the database (see db_scope)
        scope = "SELECT set_config('virage.structures', ?, false)"
        db.execute(scope, [str(world.structures["b"])])
        assert db.execute(rows).fetchall() == []
        with pytest.raises(db.Error):  # nor writes one for another structure
            db.execute(
                "INSERT INTO teleconsultations (structure_id, person_id, status, requested_by,"
                " doctor_professional_id, doctor_label, reason, room, created_at, updated_at)"
                " VALUES (?, 1, 'requested', 1, 1, 'x', 'x', 'rls-test', 'x', 'x')",
                [world.structures["a"]],
            )
        db.execute(scope, [str(world.structures["a"])])
        assert [r[0] for r in db.execute(rows).fetchall()] == [tc["id"]]
    finally:
        db.close()

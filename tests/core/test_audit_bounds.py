"""An audit entry naming an id no database column can hold is still written, on both engines.

Found by schemathesis on PostgreSQL: a refusal for an id above 2**63 - 1 was queued for the group
commit, which then failed for the whole batch and answered 500. The entry keeps the value asked
for in its details; the id columns stay empty.
"""

from __future__ import annotations

import json

import pytest

from virage.app import prepare_database
from virage.audit import storage
from virage.audit.service import record
from virage.plugins import PluginHost


@pytest.mark.parametrize("huge", [2**63, 2**64, -(2**63) - 1, 10**30])
def test_out_of_range_ids_are_recorded_in_the_details(settings, huge):
    db = prepare_database(settings, PluginHost(settings))
    record(db, None, "persons.read", structure_id=huge, person_id=huge, outcome="denied")
    record(db, None, "persons.read", structure_id=1, person_id=2, details={"motif": "x"})
    rows = db.fetch_all(
        f"SELECT {storage.COLUMNS} FROM audit_log WHERE action = ? ORDER BY id", ["persons.read"]
    )
    assert len(rows) == 2
    first, second = rows
    assert first["person_id"] is None and first["structure_id"] is None
    assert first["outcome"] == "denied"
    kept = json.loads(first["details"])["identifiants_hors_limites"]
    assert kept == {"structure_id": str(huge), "person_id": str(huge)}
    assert (second["structure_id"], second["person_id"]) == (1, 2)
    assert json.loads(second["details"]) == {"motif": "x"}


def test_a_nul_character_in_the_request_is_recorded_replaced(settings):
    db = prepare_database(settings, PluginHost(settings))
    record(
        db, None, "directory.import.progress", route="GET /a\x00b", target="x\x00", outcome="denied"
    )
    row = db.fetch_one(
        "SELECT route, target FROM audit_log WHERE action = ?", ["directory.import.progress"]
    )
    assert row == {"route": "GET /a\ufffdb", "target": "x\ufffd"}

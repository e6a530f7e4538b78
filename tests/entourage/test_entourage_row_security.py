"""Row-level security (PostgreSQL) of the entourage and of identity vigilance: a query that
forgets its ``WHERE`` still sees one structure's rows, and cannot write another's."""

from __future__ import annotations

import pytest

from virage import db_scope
from virage.accounts import identity_vigilance_storage
from virage.entourage import storage
from virage.sdk import Settings, accounts
from virage.sdk.testing import open_database

pytestmark = pytest.mark.postgres_only


def test_entourage_and_identity_rows_follow_their_structure(tmp_path):
    db = open_database(Settings(db_path=tmp_path / "virage.db", secret_key="rls-test"))
    a = accounts.create_structure(db, "SSIAD des Tilleuls", "ssiad")
    b = accounts.create_structure(db, "EHPAD Les Cèdres", "ehpad")
    persons = {}
    for structure in (a, b):
        pid = accounts.create_person(db, structure, {"family_name": "M", "given_names": "J"})
        persons[structure] = pid
        storage.add(db, structure, pid, {"kind": "relative", "name": "X"}, None, "test")
        identity_vigilance_storage.set_validated(db, pid, structure, "passeport", "test")
    token = db_scope.acting_for([a])
    try:
        for table in ("entourage_entries", "identity_vigilance"):
            rows = db.fetch_all(f"SELECT structure_id FROM {table}")  # no WHERE, on purpose
            assert {r["structure_id"] for r in rows} == {a}
        # The engine's own refusal (a policy violation), whatever its class.
        with pytest.raises(Exception), db.savepoint("rls"):  # noqa: B017
            storage.add(db, b, persons[b], {"kind": "relative", "name": "Y"}, None, "test")
    finally:
        db_scope.reset(token)
    db.close()

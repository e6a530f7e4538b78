"""Row-level security (PostgreSQL) of the library: a query that forgets its ``WHERE`` still sees
one structure's folders, documents and versions, and cannot write another's."""

from __future__ import annotations

import pytest

from virage import db_scope
from virage.library import storage
from virage.sdk import Settings, accounts
from virage.sdk.testing import open_database

pytestmark = pytest.mark.postgres_only

VERSION = {"filename": "p.pdf", "media_type": "application/pdf", "size": 1, "sha256": "0" * 64}


def test_library_rows_follow_their_structure(tmp_path):
    db = open_database(Settings(db_path=tmp_path / "virage.db", secret_key="rls-test"))
    a = accounts.create_structure(db, "SSIAD des Tilleuls", "ssiad")
    b = accounts.create_structure(db, "EHPAD Les Cèdres", "ehpad")
    for structure in (a, b):
        folder = storage.add_folder(db, structure, None, "Procédures", 1, "test")
        doc = storage.add_document(db, structure, folder, "Nuit", "procedure")
        storage.add_version(db, doc, {**VERSION, "text": "nuit"}, None, "test", "nuit")
    token = db_scope.acting_for([a])
    try:
        for table in storage.TABLES:
            rows = db.fetch_all(f"SELECT structure_id FROM {table}")  # no WHERE, on purpose
            assert {r["structure_id"] for r in rows} == {a}, table
        with pytest.raises(Exception), db.savepoint("rls"):  # noqa: B017
            storage.add_folder(db, b, None, "Intrus", 1, "test")
    finally:
        db_scope.reset(token)
    db.close()

"""Row-level security (PostgreSQL) of the inboxes: a query that forgets its ``WHERE`` sees one
structure's inboxes and items only, and cannot write into another's."""

from __future__ import annotations

import pytest

from virage import db_scope
from virage.inboxes import storage
from virage.inboxes.settings import InboxSettings, seed
from virage.sdk import Settings, accounts
from virage.sdk.testing import open_database

pytestmark = pytest.mark.postgres_only


def _item(inbox_id: int, structure_id: int) -> dict:
    return {
        "inbox_id": inbox_id,
        "structure_id": structure_id,
        "source": "internal",
        "sender": "x",
        "subject": "s",
        "body": "b",
        "received_at": "2026-12-02T21:00:00+00:00",
    }


def test_inbox_rows_follow_their_structure(tmp_path):
    db = open_database(Settings(db_path=tmp_path / "virage.db", secret_key="rls-test"))
    a = accounts.create_structure(db, "SSIAD des Tilleuls", "ssiad")
    b = accounts.create_structure(db, "EHPAD Les Cèdres", "ehpad")
    inboxes = {s: seed(db, s, InboxSettings(name=f"Astreinte {s}")) for s in (a, b)}
    for s, inbox_id in inboxes.items():
        item_id = storage.add_item(db, _item(inbox_id, s))
        storage.add_routing(db, storage.item(db, item_id), 1, "routed", "2026-12-02T21:00:00+00:00")
    token = db_scope.acting_for([a])
    try:
        for table in storage.TABLES:
            rows = db.fetch_all(f"SELECT structure_id FROM {table}")  # no WHERE, on purpose
            assert {r["structure_id"] for r in rows} <= {a}, table
        assert len(db.fetch_all("SELECT id FROM inbox_items")) == 1
        with pytest.raises(Exception), db.savepoint("rls"):  # noqa: B017
            storage.add_item(db, _item(inboxes[b], b))
    finally:
        db_scope.reset(token)
    db.close()

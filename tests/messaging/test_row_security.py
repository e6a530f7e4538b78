"""PostgreSQL row security: a query that forgets its WHERE sees no other structure's messages; a
partner's professional sees her own participation rows, nothing else until the service checked
the consent."""

from __future__ import annotations

import pytest

from tests.messaging.conftest import record_consent, start
from virage import db_scope
from virage.db import connect

pytestmark = pytest.mark.postgres_only


def test_unfiltered_queries_see_only_the_structures_acted_for(client, world):
    record_consent(client, world)
    assert start(client, world, "nurse_a", ["coord_b"]).status_code == 201
    db = connect(world.settings.db_path)
    try:
        token = db_scope.acting_for([world.structures["b"]], world.users["coord_b"])
        try:
            for table in ("message_threads", "message_posts", "message_reads", "message_consents"):
                assert db.fetch_one(f"SELECT count(*) AS n FROM {table}")["n"] == 0, table
            rows = db.fetch_all("SELECT user_id FROM message_participants")
            assert [r["user_id"] for r in rows] == [world.users["coord_b"]]
        finally:
            db_scope.reset(token)
        token = db_scope.acting_for([world.structures["a"]], world.users["nurse_a"])
        try:
            assert db.fetch_one("SELECT count(*) AS n FROM message_posts")["n"] == 1
        finally:
            db_scope.reset(token)
    finally:
        db.close()

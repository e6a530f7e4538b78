"""Row-level security on PostgreSQL: a query that forgets its ``WHERE`` still sees one structure.

Run in the PostgreSQL pass of the suite (``VIRAGE_TEST_POSTGRES``): each test makes two structures
with a person each, then runs deliberately unfiltered queries as a worker of one of them — directly
and through a route of a test plugin, as a worker, as the network administrator and as nobody.
"""

from __future__ import annotations

import pytest
from litestar import get
from litestar.testing import TestClient

from virage import db_scope
from virage.plugins import hookimpl
from virage.sdk import Settings, accounts
from virage.sdk.testing import SESSION_COOKIE, create_app, open_database, signed_in

pytestmark = pytest.mark.postgres_only

UNFILTERED = "SELECT structure_id FROM persons"  # no WHERE, on purpose


@pytest.fixture
def world(tmp_path):
    settings = Settings(db_path=tmp_path / "virage.db", secret_key="rls-test")
    db = open_database(settings)
    a = accounts.create_structure(db, "SSIAD des Tilleuls", "ssiad")
    b = accounts.create_structure(db, "EHPAD Les Cèdres", "ehpad")
    for structure, name in ((a, "Martin"), (b, "Durand")):
        accounts.create_person(db, structure, {"family_name": name, "given_names": "Jeanne"})
    accounts.create_user(
        db, username="ines", display_name="Inès", password="x" * 12, structure_id=a, role="nurse"
    )
    accounts.create_user(
        db,
        username="admin",
        display_name="Admin réseau",
        password="x" * 12,
        structure_id=a,
        role="coordinator",
        is_network_admin=True,
    )
    return settings, db, a, b


def test_the_engine_is_postgresql(world):
    _, db, _, _ = world
    assert db.dialect == "postgresql"


def test_an_unfiltered_query_sees_only_the_structures_acted_for(world):
    _, db, a, b = world
    assert {r["structure_id"] for r in db.fetch_all(UNFILTERED)} == {a, b}  # the system
    token = db_scope.acting_for([a])
    try:
        assert {r["structure_id"] for r in db.fetch_all(UNFILTERED)} == {a}
        assert db.fetch_one("SELECT count(*) AS n FROM transmissions")["n"] == 0
    finally:
        db_scope.reset(token)
    token = db_scope.acting_for(None)
    try:
        assert db.fetch_all(UNFILTERED) == []
    finally:
        db_scope.reset(token)


def test_a_write_into_another_structure_is_refused(world):
    _, db, a, b = world
    token = db_scope.acting_for([a])
    try:
        with pytest.raises(db.Error):
            db.execute(
                "INSERT INTO persons (structure_id, family_name, given_names, contacts,"
                " health_notes, created_at, updated_at) VALUES (?, 'X', 'Y', '[]', '', ?, ?)",
                [b, "2026-12-02T08:00:00+00:00", "2026-12-02T08:00:00+00:00"],
            )
        changed = db.execute("UPDATE persons SET family_name = 'Z' WHERE structure_id = ?", [b])
        assert changed.rowcount == 0
    finally:
        db_scope.reset(token)
    names = {r["family_name"] for r in db.fetch_all("SELECT family_name FROM persons")}
    assert names == {"Martin", "Durand"}


class _Unfiltered:
    """A careless plugin: its route counts persons without any WHERE."""

    @hookimpl
    def register_routes(self):
        @get("/test-rls/persons", sync_to_thread=False)
        def persons(db: object) -> list[int]:
            return sorted(r["structure_id"] for r in db.fetch_all(UNFILTERED))

        return [persons]


def test_requests_act_for_the_workers_structures_admins_included(world):
    settings, db, a, _ = world
    with TestClient(create_app(settings, plugins=[_Unfiltered()])) as client:
        assert client.get("/test-rls/persons").json() == []  # nobody signed in
        client.cookies.set(SESSION_COOKIE, signed_in(db, "ines"))
        assert client.get("/test-rls/persons").json() == [a]
        client.cookies.set(SESSION_COOKIE, signed_in(db, "admin"))
        assert client.get("/test-rls/persons").json() == [a]  # not every structure


def test_the_audit_trail_shows_a_structure_its_entries_and_a_worker_hers(world):
    _, db, a, b = world
    ines = accounts.user_by_username(db, "ines")["id"]
    admin = accounts.user_by_username(db, "admin")["id"]
    for actor, structure, action in (
        (ines, a, "persons.read"),
        (admin, b, "persons.read"),
        (ines, None, "login"),
        (admin, None, "login"),
    ):
        db.execute(
            "INSERT INTO audit_log (at, actor_user_id, actor_label, via, structure_id, action,"
            " outcome) VALUES ('2026-12-02T08:00:00+00:00', ?, 'x', 'session', ?, ?, 'allowed')",
            [actor, structure, action],
        )
    token = db_scope.acting_for([a], ines)
    try:
        seen = db.fetch_all("SELECT actor_user_id, structure_id FROM audit_log")  # no WHERE
        # An access is recorded whoever makes it: the trail always accepts a new entry.
        db.execute(
            "INSERT INTO audit_log (at, actor_user_id, actor_label, via, structure_id, action,"
            " outcome) VALUES ('2026-12-02T08:01:00+00:00', NULL, 'x', 'session', ?, 'login',"
            " 'denied')",
            [b],
        )
    finally:
        db_scope.reset(token)
    assert sorted((r["actor_user_id"], r["structure_id"] or 0) for r in seen) == sorted(
        [(ines, a), (ines, 0)]
    )

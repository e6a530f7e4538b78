"""PostgreSQL's second lock on the kiosk's tables (``structure_policy``): a kiosk acts for its
structure only (``virage.sdk.devices.acting_for_structure``), so a query that forgot its
``WHERE structure_id = ?`` still sees none of another structure's tickets."""

from __future__ import annotations

import pytest
from kiosk_helpers import as_device, configure, enrol, post_form

from virage.sdk.devices import acting_for_structure
from virage.sdk.testing import connect


@pytest.mark.postgres_only
def test_a_kiosk_sees_only_its_structures_tickets(client, world):
    configure(client, world)
    as_device(client, enrol(client, world))
    page = client.get("/borne/sans-rendez-vous")
    service = page.text.split('name="service" value="')[1].split('"')[0]
    post_form(client, "/borne/sans-rendez-vous", "/borne/sans-rendez-vous", {"service": service})
    db = connect(world.settings.db_path)
    try:
        rows = "SELECT number FROM kiosk_tickets"
        assert [r[0] for r in db.execute(rows).fetchall()] == [1]  # the command line: all
        with acting_for_structure(world.structures["b"]):
            assert db.execute(rows).fetchall() == []
            with pytest.raises(db.Error):  # nor writes one for another structure
                db.execute(
                    "INSERT INTO kiosk_tickets (structure_id, day, number, device_id, created_at)"
                    " VALUES (?, 'x', 99, 1, 'x')",
                    [world.structures["a"]],
                )
        with acting_for_structure(world.structures["a"]):
            assert [r[0] for r in db.execute(rows).fetchall()] == [1]
    finally:
        db.close()

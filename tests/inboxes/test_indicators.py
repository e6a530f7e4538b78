"""The organisational inboxes' indicators (issue 24): items received by kind of inbox, shares
escalated and closed, by Paris calendar month; a cell's base counts the persons named plus the
items naming nobody; no worker and no response time anywhere."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

from tests.inboxes.conftest import ADDRESS, message
from tests.indicators.helpers import as_worker, post_form
from virage.inboxes import service, storage
from virage.inboxes.indicators import INDICATORS
from virage.inboxes.model import CloseIn, ItemIn
from virage.inboxes.settings import InboxSettings, seed
from virage.indicators import service as indicators
from virage.indicators.model import month_bounds
from virage.plugins import PluginHost
from virage.sdk import accounts, inboxes

MONTH = "2026-11"
WORKERS = ("nurse_a", "nurse2_a", "director_a", "nurse a", "nurse2 a")


def _seed(client, db, world, inbox, pinned) -> None:
    """November, on call: two items naming Jeanne Durand posted by a nurse, three messages from
    the hospital and one received at 23 h 30 UTC on 31 October (0 h 30 on 1 November in Paris);
    two closed, one escalated. A message at 23 h 30 UTC on 30 November is December's. A shared
    inbox receives one item naming nobody."""
    plugins = client.app.state.plugins
    nurse = accounts.access_for(db, plugins, "nurse_a")
    pinned.at = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    for subject in ("Pansement", "Chute"):
        service.post(
            nurse,
            inbox,
            ItemIn(subject=subject, body="À voir demain.", person_id=world.persons["p1"]),
        )
    received = [datetime(2026, 11, d, 20, 0, tzinfo=UTC) for d in (3, 12, 21)]
    received += [
        datetime(2026, 10, 31, 23, 30, tzinfo=UTC),
        datetime(2026, 11, 30, 23, 30, tzinfo=UTC),
    ]
    ids = [
        inboxes.receive_external(
            db, plugins, inbox_address=ADDRESS, message=message(n, received_at=at)
        )
        for n, at in enumerate(received)
    ]
    for item_id in ids[:2]:
        service.claim(nurse, item_id)
        service.close(nurse, item_id, CloseIn(outcome="Passage prévu"))
    storage.update_item(db, ids[2], {"escalation_level": 1})
    shared = seed(db, world.structures["a"], InboxSettings(name="Secrétariat", kind="shared"))
    service.post(nurse, shared, ItemIn(subject="Matériel", body="Livraison lundi."))


def _cells(db, world, month: str) -> dict:
    return {
        i.key: {
            c.category: (c.value, c.base)
            for c in i.compute(db, world.structures["a"], *month_bounds(month))
        }
        for i in INDICATORS
    }


def test_items_by_kind_and_shares_by_paris_month(client, db, world, inbox, pinned):
    _seed(client, db, world, inbox, pinned)
    assert _cells(db, world, MONTH) == {
        # 6 items: Jeanne Durand once, four items naming nobody
        "boites.elements_recus": {"Astreinte": (6, 5), "Boîte partagée": (1, 1)},
        "boites.part_transmise": {"": (14.3, 6)},
        "boites.part_close": {"": (28.6, 6)},
    }
    assert _cells(db, world, "2026-12")["boites.elements_recus"] == {"Astreinte": (1, 1)}
    assert _cells(db, world, "2026-10")["boites.elements_recus"] == {}


def test_no_escalated_share_that_one_or_two_people_on_call_make_up(
    client, db, world, inbox, pinned
):
    _seed(client, db, world, inbox, pinned)
    items = [r["id"] for r in db.fetch_all("SELECT id FROM inbox_items ORDER BY id")]
    on_call = [world.users[n] for n in ("nurse_a", "nurse2_a", "care_a")]
    for n, item_id in enumerate(items):  # two people on call this month
        storage.update_item(db, item_id, {"on_call_user_id": on_call[n % 2]})
    db.commit()
    cells = _cells(db, world, MONTH)
    assert cells["boites.part_transmise"] == {}
    assert cells["boites.part_close"] == {"": (28.6, 6)}  # about the team's work, not a person
    storage.update_item(db, items[0], {"on_call_user_id": on_call[2]})  # a third person
    db.commit()
    assert _cells(db, world, MONTH)["boites.part_transmise"] == {"": (14.3, 6)}


def test_no_response_time_and_nothing_per_worker(world):
    for indicator in INDICATORS:
        assert indicator.unit in ("éléments", "%")
        assert not {"professionnel", "personne"} & set(indicator.dimensions)
    received = INDICATORS[0].description
    assert "aucun délai" in received and "une personne à la fois" in received


def test_the_export_hides_small_cells_and_names_no_worker(client, db, world, inbox, pinned):
    _seed(client, db, world, inbox, pinned)
    sid = world.structures["a"]
    plugins = PluginHost(world.settings)
    assert {i.key for i in INDICATORS} <= {i.key for _, i in indicators.declared(plugins)}
    as_worker(client, world, "director_a")
    dashboard = client.get(f"/indicateurs/structures/{sid}?debut={MONTH}&fin={MONTH}")
    assert dashboard.status_code == 200
    assert "Éléments reçus par les boîtes organisationnelles" in dashboard.text
    assert "Part des éléments clos" in dashboard.text
    page = f"/indicateurs/structures/{sid}/sas"
    r = post_form(client, page, page, {"periode": MONTH})
    assert r.status_code == 303, r.text
    export = re.search(r"/indicateurs/sas/(\d+)", r.headers["location"])[1]
    for username in ("director_a", "dpo_a"):
        as_worker(client, world, username)
        assert (
            post_form(
                client, f"/indicateurs/sas/{export}", f"/indicateurs/sas/{export}/approuver"
            ).status_code
            == 303
        )
    text = client.get(f"/indicateurs/sas/{export}/telecharger?format=csv").text
    raw = client.get(f"/indicateurs/sas/{export}/telecharger?format=json").text
    lines = [x for x in csv.reader(io.StringIO(text), delimiter=";") if x[0].startswith("boites.")]
    value = {(x[0], x[3], x[4]): x[5] for x in lines}
    # the shared inbox's single item is hidden, and so is the on-call inbox's (the month's total
    # would give it back); the shares are rates over five persons or more: shown
    assert value[("boites.elements_recus", MONTH, "Boîte partagée")] == "masqué"
    assert value[("boites.elements_recus", MONTH, "Astreinte")] == "masqué"
    assert value[("boites.elements_recus", MONTH, "total")] == "7"
    assert value[("boites.part_close", MONTH, "")] == "28.6"
    assert value[("boites.part_transmise", MONTH, "")] == "14.3"
    for worker in WORKERS:
        assert worker not in text and worker not in raw
    assert "Durand" not in text and "Durand" not in raw

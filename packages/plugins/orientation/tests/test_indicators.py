"""The orientation's indicators: requests, delays, refusals by reason, waiting lists — counts and
medians per month for the structure that orients, never a name nor a worker."""

from __future__ import annotations

from virage_orientation.indicators import INDICATORS

from tests.accounts.conftest import bearer
from virage.sdk import Indicator, PluginHost
from virage.sdk.testing import connect

ALL_TIME = ("2000-01-01T00:00:00+00:00", "2100-01-01T00:00:00+00:00")
API = "/api/v1/orientation"
REQUEST = {
    "module": "grand_age",
    "offer": "ehpad",
    "criteria": [],
    "gir": 3,
    "mobility": "aide",
    "commune": "39600",
    "radius_km": 20,
    "urgency": "normale",
    "consent": "personne",
}


def ready(client, world, territory) -> int:
    """A request with both parts, sent to the Tilleuls (structure b) and Les Coteaux."""
    body = {**REQUEST, "person_id": world.persons["p1"]}
    rid = client.post(f"{API}/demandes", json=body, headers=bearer(world, "social_a")).json()["id"]
    r = client.put(
        f"{API}/demandes/{rid}/volet-medical",
        json={"content": "Troubles cognitifs modérés."},
        headers=bearer(world, "nurse_a"),
    )
    assert r.status_code == 200, r.text
    to = [territory["EHPAD Les Tilleuls"], territory["EHPAD Les Coteaux"]]
    sent = client.post(
        f"{API}/demandes/{rid}/envois", json={"structures": to}, headers=bearer(world, "social_a")
    )
    assert sent.status_code == 201, sent.text
    return rid


def sending_of(client, world, rid, name):
    req = client.get(f"{API}/demandes/{rid}", headers=bearer(world, "social_a")).json()
    return next(s for s in req["sendings"] if s["structure_name"] == name)


def _computed(world, structure="a") -> dict:
    db = connect(world.settings.db_path)
    try:
        return {i.key: i.compute(db, world.structures[structure], *ALL_TIME) for i in INDICATORS}
    finally:
        db.close()


def test_declared_through_the_hook_and_never_by_worker(world):
    plugins = PluginHost(world.settings)
    found = [i for i in plugins.call_flat("register_indicators") if isinstance(i, Indicator)]
    keys = {i.key for i in found}
    assert {"orientation.demandes", "orientation.refus", "orientation.delai_admission"} <= keys
    for indicator in found:
        assert indicator.problems() == []


def test_requests_delays_refusals_and_admissions(client, world, territory):
    rid = ready(client, world, territory)
    b = world.structures["b"]
    h = bearer(world, "coord_b")
    tilleuls = sending_of(client, world, rid, "EHPAD Les Tilleuls")["id"]
    coteaux = sending_of(client, world, rid, "EHPAD Les Coteaux")["id"]
    url = f"{API}/structures/{b}/recues/{tilleuls}/reponse"
    assert client.post(url, json={"status": "consultee"}, headers=h).status_code == 201
    r = client.post(url, json={"status": "acceptee", "proposed_date": "2026-12-03"}, headers=h)
    assert r.status_code == 201
    r = client.post(
        f"{API}/demandes/{rid}/admission",
        json={"sending_id": tilleuls},
        headers=bearer(world, "social_a"),
    )
    assert r.status_code == 201, r.text
    assert client.post(url, json={"status": "admission_realisee"}, headers=h).status_code == 201
    assert coteaux
    cells = _computed(world)
    (offer,) = cells["orientation.demandes"]
    assert (offer.value, offer.base) == (1, 1) and offer.category.startswith("EHPAD")
    (first,) = cells["orientation.delai_premiere_reponse"]
    assert first.value >= 0 and first.base == 1
    (admission,) = cells["orientation.delai_admission"]
    assert admission.base == 1
    assert cells["orientation.refus"] == []
    # the receiving structure's own requests: none
    assert all(v == [] for v in _computed(world, "b").values())

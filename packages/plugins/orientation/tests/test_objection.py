"""The person's objection to sharing outside her care team, where an orientation request leaves
it: refused sending (objection to any sharing), sending without the medical part (objection to the
sharing of her health information), and a receiving structure that no longer reads the medical
part once she objects, even for a request sent before."""

from __future__ import annotations

import json

import pytest
from virage_orientation.service import WITHOUT_MEDICAL

from tests.accounts.conftest import bearer, login
from virage.sdk import AccessContext, PluginHost, accounts
from virage.sdk.testing import build_registry, connect

API = "/api/v1/orientation"
REQUEST = {
    "module": "grand_age",
    "offer": "ehpad",
    "criteria": ["unite_protegee"],
    "gir": 3,
    "mobility": "aide",
    "commune": "39600",
    "radius_km": 20,
    "urgency": "normale",
    "consent": "personne",
}
MEDICAL = "Troubles cognitifs modérés."


@pytest.fixture
def coordination(world):
    """The coordinator of the person's structure, to record or withdraw her objection."""
    db = connect(world.settings.db_path)
    user = accounts.user_by_username(db, "coord_a")
    access = AccessContext(
        db, build_registry(PluginHost(world.settings)), accounts.actor_for_user(db, user), "test"
    )
    yield access
    db.close()


def create(client, world, medical: bool = True) -> int:
    body = {**REQUEST, "person_id": world.persons["p1"]}
    r = client.post(f"{API}/demandes", json=body, headers=bearer(world, "social_a"))
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    if medical:
        r = client.put(
            f"{API}/demandes/{rid}/volet-medical",
            json={"content": MEDICAL},
            headers=bearer(world, "nurse_a"),
        )
        assert r.status_code == 200, r.text
    return rid


def send(client, world, rid, territory):
    return client.post(
        f"{API}/demandes/{rid}/envois",
        json={"structures": [territory["EHPAD Les Tilleuls"]]},
        headers=bearer(world, "social_a"),
    )


def received(client, world, rid) -> dict:
    req = client.get(f"{API}/demandes/{rid}", headers=bearer(world, "social_a")).json()
    sid = req["sendings"][0]["id"]
    r = client.get(
        f"{API}/structures/{world.structures['b']}/recues/{sid}", headers=bearer(world, "coord_b")
    )
    assert r.status_code == 200, r.text
    return r.json()


def audit(world, action: str) -> list[tuple]:
    db = connect(world.settings.db_path)
    try:
        return db.execute(
            "SELECT outcome, details FROM audit_log WHERE action = ? ORDER BY id", [action]
        ).fetchall()
    finally:
        db.close()


def test_an_objection_to_any_sharing_refuses_the_sending(client, world, territory, coordination):
    rid = create(client, world)
    accounts.record_objection(coordination, world.persons["p1"], "tout", "2026-03-03", "")
    r = send(client, world, rid, territory)
    assert r.status_code == 403
    assert r.json()["detail"] == (
        "Jeanne DURAND s'est opposé·e le 3 mars 2026 à tout partage de ses informations hors de "
        "son équipe de soins : rien ne peut être envoyé à une autre structure ni à un "
        "professionnel extérieur. Si la personne change d'avis, levez l'opposition dans son "
        "dossier."
    )
    req = client.get(f"{API}/demandes/{rid}", headers=bearer(world, "social_a")).json()
    assert req["status"] == "brouillon" and req["sendings"] == []
    assert req["objection"]["scope"] == "tout"
    refusal = [d for o, d in audit(world, "orientation.request.send") if o == "denied"]
    assert json.loads(refusal[0]) == {"raison": "opposition au partage", "portee": "tout"}
    # The request page says it before anyone tries.
    login(client, "social_a")
    page = client.get(f"/orientation/demandes/{rid}")
    assert 'id="opposition"' in page.text and "rien ne peut être envoyé" in page.text


def test_an_objection_to_health_sharing_sends_without_the_medical_part(
    client, world, territory, coordination
):
    rid = create(client, world, medical=False)
    accounts.record_objection(coordination, world.persons["p1"], "sante", "2026-03-03", "")
    r = send(client, world, rid, territory)  # no medical part needed: it would not be sent
    assert r.status_code == 201, r.text
    body = r.json()
    assert [e["detail"] for e in body["events"] if e["status"] == "envoyee"] == [WITHOUT_MEDICAL]
    [(_, details)] = audit(world, "orientation.request.sent")
    assert "sans_volet_medical" in json.loads(details)
    # Written afterwards by the care team, the medical part still stays home.
    client.put(
        f"{API}/demandes/{rid}/volet-medical",
        json={"content": MEDICAL},
        headers=bearer(world, "nurse_a"),
    )
    got = received(client, world, rid)
    assert got["medical"] is None and got["medical_withheld"] is True
    assert got["can_read_medical"] is False
    login(client, "coord_b")
    page = client.get(
        f"/orientation/structures/{world.structures['b']}/recues/{got['sending']['id']}"
    )
    assert 'id="volet-medical-oppose"' in page.text and MEDICAL not in page.text


def test_an_objection_after_the_sending_keeps_the_medical_part_home(
    client, world, territory, coordination
):
    rid = create(client, world)
    assert send(client, world, rid, territory).status_code == 201
    assert received(client, world, rid)["medical"]["content"] == MEDICAL
    oid = accounts.record_objection(coordination, world.persons["p1"], "sante", "2026-03-03", "")
    got = received(client, world, rid)
    assert got["medical"] is None and got["medical_withheld"] is True
    reads = [o for o, _ in audit(world, "orientation.medical.read")]
    assert reads == ["allowed"]  # only the read before the objection
    accounts.withdraw_objection(coordination, world.persons["p1"], oid, "2026-03-10")
    assert received(client, world, rid)["medical"]["content"] == MEDICAL

"""Withdrawal of a request by the requesting side: sendings « annulée », request closed, traced."""

from __future__ import annotations

import pytest
from virage_orientation import service as orientation_service
from virage_orientation.models import AnswerIn

from tests.accounts.conftest import bearer, csrf_from, login
from virage.sdk import AccessContext, Conflict, PluginHost, accounts
from virage.sdk.testing import build_registry, connect

API = "/api/v1/orientation"
REASON = "Retour à domicile avec le SSIAD, souhait de la personne"

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


def create(client, world) -> int:
    body = {**REQUEST, "person_id": world.persons["p1"]}
    r = client.post(f"{API}/demandes", json=body, headers=bearer(world, "social_a"))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def ready(client, world, territory) -> int:
    """A request sent to the Tilleuls (structure b of the world) and to Les Coteaux."""
    rid = create(client, world)
    r = client.put(
        f"{API}/demandes/{rid}/volet-medical",
        json={"content": "Troubles cognitifs modérés."},
        headers=bearer(world, "nurse_a"),
    )
    assert r.status_code == 200, r.text
    r = client.post(
        f"{API}/demandes/{rid}/envois",
        json={"structures": [territory["EHPAD Les Tilleuls"], territory["EHPAD Les Coteaux"]]},
        headers=bearer(world, "social_a"),
    )
    assert r.status_code == 201, r.text
    return rid


def tilleuls(client, world, rid) -> int:
    req = client.get(f"{API}/demandes/{rid}", headers=bearer(world, "social_a")).json()
    return next(s["id"] for s in req["sendings"] if s["structure_name"] == "EHPAD Les Tilleuls")


def withdraw(client, world, rid, who="social_a", reason=REASON):
    return client.post(
        f"{API}/demandes/{rid}/retrait", json={"reason": reason}, headers=bearer(world, who)
    )


def audit_actions(world) -> list[tuple[str, str]]:
    db = connect(world.settings.db_path)
    try:
        return db.execute("SELECT action, outcome FROM audit_log ORDER BY id").fetchall()
    finally:
        db.close()


def test_withdraw_a_sent_request(client, world, territory):
    rid = ready(client, world, territory)
    sid = tilleuls(client, world, rid)
    b = world.structures["b"]
    # the Tilleuls opened it (« consultée »), Les Coteaux did not
    assert client.get(f"{API}/structures/{b}/recues/{sid}", headers=bearer(world, "coord_b"))
    r = withdraw(client, world, rid)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "cloturee" and body["can_withdraw"] is False
    assert {s["status"] for s in body["sendings"]} == {"annulee"}
    assert {s["status_label"] for s in body["sendings"]} == {"Annulée par le demandeur"}
    assert body["withdrawal"]["reason"] == REASON
    events = [(e["status"], e["detail"], e["structure_name"]) for e in body["events"]]
    assert events[-3:] == [
        ("annulee", REASON, "EHPAD Les Tilleuls"),
        ("annulee", REASON, "EHPAD Les Coteaux"),
        ("retiree", REASON, None),
    ]
    assert ("orientation.request.withdraw", "allowed") in audit_actions(world)
    assert ("orientation.request.withdrawn", "allowed") in audit_actions(world)
    # a closed request does not count as a duplicate any more, and cannot be sent or edited
    r = client.post(
        f"{API}/demandes/{rid}/envois",
        json={"structures": [territory["EHPAD La Source"]]},
        headers=bearer(world, "social_a"),
    )
    assert r.status_code == 409
    r = client.put(
        f"{API}/demandes/{rid}/volet-medical",
        json={"content": "ajout"},
        headers=bearer(world, "nurse_a"),
    )
    assert r.status_code == 409
    # withdrawing twice is refused
    r = withdraw(client, world, rid)
    assert r.status_code == 409 and "déjà close" in r.json()["detail"]


def test_receiving_structure_sees_the_withdrawal_and_cannot_answer(client, world, territory):
    rid = ready(client, world, territory)
    sid = tilleuls(client, world, rid)
    b = world.structures["b"]
    assert withdraw(client, world, rid).status_code == 201
    got = client.get(f"{API}/structures/{b}/recues/{sid}", headers=bearer(world, "coord_b"))
    assert got.status_code == 200
    got = got.json()
    # data minimisation: the medical part is closed to the structure once withdrawn
    assert got["medical"] is None and got["medical_closed"] is True
    assert got["can_read_medical"] is False
    assert got["sending"]["status"] == "annulee"
    assert got["sending"]["status_label"] == "Annulée par le demandeur"
    assert got["withdrawal"]["reason"] == REASON
    assert got["next_statuses"] == []
    # only its own sending's history, never the other recipients'
    assert {e["structure_name"] for e in got["events"]} == {"EHPAD Les Tilleuls"}
    listed = client.get(f"{API}/structures/{b}/recues", headers=bearer(world, "coord_b")).json()
    assert [s["status_label"] for s in listed] == ["Annulée par le demandeur"]
    for status in ("consultee", "refusee", "acceptee"):
        r = client.post(
            f"{API}/structures/{b}/recues/{sid}/reponse",
            json={
                "status": status,
                "refusal_reason": "pas_de_place",
                "proposed_date": "2026-12-03",
            },
            headers=bearer(world, "coord_b"),
        )
        assert r.status_code == 409, r.text
        assert "retiré cette demande" in r.json()["detail"]
    # the page of the receiving structure says so, with the reason, and offers no answer form
    login(client, "coord_b")
    page = client.get(f"/orientation/structures/{b}/recues/{sid}")
    assert page.status_code == 200
    assert "Annulée par le demandeur" in page.text and REASON in page.text
    assert "Enregistrer la réponse" not in page.text
    assert 'id="volet-medical-clos"' in page.text
    assert "Troubles cognitifs modérés" not in page.text


def test_withdraw_from_the_web_page(client, world, territory):
    rid = ready(client, world, territory)
    login(client, "social_a")
    page = client.get(f"/orientation/demandes/{rid}")
    assert "Retirer la demande" in page.text
    assert f'action="/orientation/demandes/{rid}/retrait"' in page.text
    token = csrf_from(page.text)
    # no reason: a French message, nothing changed
    r = client.post(
        f"/orientation/demandes/{rid}/retrait",
        data={"_csrf_token": token, "reason": " ", "confirme": "1"},
        follow_redirects=False,
    )
    assert r.status_code == 400 and "motif du retrait" in r.text
    # without the CSRF token: refused
    r = client.post(
        f"/orientation/demandes/{rid}/retrait", data={"reason": REASON}, follow_redirects=False
    )
    assert r.status_code == 403
    r = client.post(
        f"/orientation/demandes/{rid}/retrait",
        data={"_csrf_token": token, "reason": REASON, "confirme": "1"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].endswith("?ok=retiree")
    page = client.get(r.headers["location"])
    assert "Demande retirée" in page.text and REASON in page.text
    assert "Annulée par le demandeur" in page.text
    assert f'action="/orientation/demandes/{rid}/retrait"' not in page.text


def test_a_draft_is_simply_closed(client, world, territory):
    rid = create(client, world)
    second = client.post(
        f"{API}/demandes",
        json={**REQUEST, "person_id": world.persons["p1"]},
        headers=bearer(world, "social_a"),
    ).json()
    assert second["duplicates"] == 1
    r = withdraw(client, world, rid, who="coord_a", reason="La personne a changé d'avis")
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "cloturee" and r.json()["sendings"] == []
    assert [e["status"] for e in r.json()["events"]] == ["brouillon", "retiree"]
    again = client.get(f"{API}/demandes/{second['id']}", headers=bearer(world, "social_a"))
    assert again.json()["duplicates"] == 0


def test_admission_chosen_can_be_withdrawn_but_not_once_realised(client, world, territory):
    rid = ready(client, world, territory)
    sid = tilleuls(client, world, rid)
    b = world.structures["b"]
    url = f"{API}/structures/{b}/recues/{sid}/reponse"
    h = bearer(world, "coord_b")
    assert (
        client.post(
            url, json={"status": "acceptee", "proposed_date": "2026-12-03"}, headers=h
        ).status_code
        == 201
    )
    r = client.post(
        f"{API}/demandes/{rid}/admission",
        json={"sending_id": sid},
        headers=bearer(world, "social_a"),
    )
    assert r.status_code == 201, r.text
    assert client.post(url, json={"status": "admission_realisee"}, headers=h).status_code == 201
    r = withdraw(client, world, rid)
    assert r.status_code == 409 and "admission réalisée" in r.json()["detail"]
    req = client.get(f"{API}/demandes/{rid}", headers=bearer(world, "social_a")).json()
    assert {s["status"] for s in req["sendings"]} == {"admission_realisee", "close_autre_admission"}
    assert req["withdrawal"] is None

    # a second request: admission accepted by the person, not realised yet → withdrawable; the
    # sending closed by the other admission keeps its status
    rid = ready(client, world, territory)
    sid = tilleuls(client, world, rid)
    url = f"{API}/structures/{b}/recues/{sid}/reponse"
    client.post(url, json={"status": "acceptee", "proposed_date": "2026-12-03"}, headers=h)
    client.post(
        f"{API}/demandes/{rid}/admission",
        json={"sending_id": sid},
        headers=bearer(world, "social_a"),
    )
    r = withdraw(client, world, rid, reason="Décès de la personne")
    assert r.status_code == 201, r.text
    statuses = {s["structure_name"]: s["status"] for s in r.json()["sendings"]}
    assert statuses == {
        "EHPAD Les Tilleuls": "annulee",
        "EHPAD Les Coteaux": "close_autre_admission",
    }
    assert client.post(url, json={"status": "admission_realisee"}, headers=h).status_code == 409


@pytest.mark.parametrize("reason", [None, "", "  ", "ok", "x" * 301])
def test_reason_is_required(client, world, territory, reason):
    rid = ready(client, world, territory)
    body = {} if reason is None else {"reason": reason}
    r = client.post(f"{API}/demandes/{rid}/retrait", json=body, headers=bearer(world, "social_a"))
    assert r.status_code == 400
    assert "motif du retrait (3 à 300 caractères)" in r.json()["detail"]
    req = client.get(f"{API}/demandes/{rid}", headers=bearer(world, "social_a")).json()
    assert req["status"] == "envoyee"
    assert {s["status"] for s in req["sendings"]} == {"envoyee"}


def test_only_the_requesting_side_may_withdraw(client, world, territory):
    rid = ready(client, world, territory)
    before = len(audit_actions(world))
    # the secretariat, and a nurse outside the person's care team: 403, as for the other
    # requester actions; another structure (even a recipient): 404
    for who, status in (("secretary_a", 403), ("nurse2_a", 403), ("care_a", 403)):
        r = withdraw(client, world, rid, who=who)
        assert r.status_code == status, (who, r.text)
        assert r.json()["detail"]
    for who in ("coord_b", "nurse_b"):
        assert withdraw(client, world, rid, who=who).status_code == 404
    assert withdraw(client, world, 999_999).status_code == 404
    denied = audit_actions(world)[before:]
    assert ("orientation.request.withdraw", "denied") in denied
    req = client.get(f"{API}/demandes/{rid}", headers=bearer(world, "social_a")).json()
    assert req["status"] == "envoyee"


def test_dashboard_counts_withdrawals(client, world, territory):
    rid = ready(client, world, territory)
    sid = tilleuls(client, world, rid)
    b = world.structures["b"]
    client.get(f"{API}/structures/{b}/recues/{sid}", headers=bearer(world, "coord_b"))
    ready(client, world, territory)
    assert withdraw(client, world, rid).status_code == 201
    body = client.get(f"{API}/tableau-de-bord", headers=bearer(world, "director_a")).json()
    assert body["requests"] == {"cloturee": 1, "envoyee": 1}
    assert body["sendings"] == {"annulee": 2, "envoyee": 2}
    # a withdrawal is not an answer: only the consultation counts in the response time
    assert body["answered"] == 1
    login(client, "director_a")
    page = client.get("/orientation/tableau-de-bord")
    assert "Annulée par le demandeur : <strong>2</strong>" in page.text
    assert REASON not in page.text


def test_withdrawal_through_the_service(world, territory, client):
    """The service function itself: the receiving coordinator's answer then conflicts."""
    rid = ready(client, world, territory)
    sid = tilleuls(client, world, rid)
    registry = build_registry(PluginHost(world.settings))
    db = connect(world.settings.db_path)

    def access(name: str) -> AccessContext:
        user = accounts.user(db, world.users[name])
        return AccessContext(db, registry, accounts.actor_for_user(db, user))

    view = orientation_service.withdraw(access("social_a"), rid, f"  {REASON}\n")
    assert view["withdrawal"]["reason"] == REASON  # spaces normalised
    with pytest.raises(Conflict, match="retiré cette demande"):
        orientation_service.answer(
            access("coord_b"), world.structures["b"], sid, AnswerIn(status="consultee")
        )


def test_a_structure_closed_by_an_admission_elsewhere_no_longer_reads_the_medical_part(
    client, world, territory
):
    from virage_orientation import storage as orientation_storage

    rid = ready(client, world, territory)
    sid = tilleuls(client, world, rid)
    b = world.structures["b"]
    url = f"{API}/structures/{b}/recues/{sid}"
    before = client.get(url, headers=bearer(world, "coord_b")).json()
    assert before["medical"]["content"] == "Troubles cognitifs modérés."
    # the person was admitted at Les Coteaux (not a tenant of the test world): the Tilleuls'
    # sending is closed the way choose() closes the other open sendings
    db = connect(world.settings.db_path)
    try:
        assert orientation_storage.transition_sending(
            db, sid, "close_autre_admission", ("consultee",)
        )
    finally:
        db.close()
    after = client.get(url, headers=bearer(world, "coord_b")).json()
    assert after["sending"]["status"] == "close_autre_admission"
    assert after["medical"] is None and after["medical_closed"] is True
    login(client, "coord_b")
    page = client.get(f"/orientation/structures/{b}/recues/{sid}")
    assert 'id="volet-medical-clos"' in page.text
    assert "Troubles cognitifs modérés" not in page.text


def test_withdrawal_is_in_the_openapi_schema(client):
    schema = client.get("/schema/openapi.json").json()
    op = schema["paths"][f"{API}/demandes/{{request_id}}/retrait"]["post"]
    assert "Retirer la demande" in op["summary"]
    assert op["requestBody"]


def test_withdrawal_needs_a_confirmation_and_does_not_look_like_send(client, world, territory):
    rid = ready(client, world, territory)
    login(client, "social_a")
    page = client.get(f"/orientation/demandes/{rid}")
    form = page.text.split('class="or-withdraw"')[1].split("</details>")[0]
    assert "<summary" in form and 'class="danger"' in form and 'name="confirme"' in form
    r = client.post(
        f"/orientation/demandes/{rid}/retrait",
        data={"_csrf_token": csrf_from(page.text), "reason": REASON},
        follow_redirects=False,
    )
    assert r.status_code == 400 and "confirme le retrait" in r.text
    body = client.get(f"{API}/demandes/{rid}", headers=bearer(world, "social_a")).json()
    assert body["status"] == "envoyee"

"""The inboxes' pages and API, and their attacks: another structure's worker, a worker who is
not among the readers, an item about a person read outside her care team, bad input."""

from __future__ import annotations

from tests.inboxes.conftest import ADDRESS, bearer, csrf_from, local, login, message, on_call
from virage.inboxes import storage
from virage.sdk import inboxes


def _form(client, page_url, action, data):
    page = client.get(page_url)
    assert page.status_code == 200, page.text
    return client.post(
        action, data={**data, "_csrf_token": csrf_from(page.text)}, follow_redirects=False
    )


def test_the_night_nurse_claims_answers_and_closes_from_the_pages(
    client, db, world, inbox, pinned, recorder
):
    on_call(db, world, "nurse_a", local(21))
    item_id = inboxes.receive_external(
        db, client.app.state.plugins, inbox_address=ADDRESS, message=message()
    )
    assert login(client, "nurse_a").status_code == 303
    listing = client.get("/boites")
    assert "Astreinte SSIAD" in listing.text and "1 élément ouvert" in listing.text
    page = client.get(f"/boites/{inbox}")
    assert "D'astreinte maintenant" in page.text and "nurse a" in page.text
    url = f"/boites/elements/{item_id}"
    assert _form(client, url, f"{url}/prendre", {}).status_code == 303
    r = _form(client, url, f"{url}/repondre", {"text": "Je passe à 8 h."})
    assert r.status_code == 303 and "envoi=aucun" in r.headers["location"]
    shown = client.get(r.headers["location"])
    assert "aucun envoi vers l" in shown.text and "Je passe à 8 h." in shown.text
    assert _form(client, url, f"{url}/clore", {"text": "Visite demain"}).status_code == 303
    assert "Clos par nurse a" in client.get(url).text
    r = _form(client, f"/boites/{inbox}", f"/boites/{inbox}/releve", {"text": "Rien à signaler"})
    assert r.status_code == 303
    me = client.get("/moi/enregistrements")
    assert "Boîtes organisationnelles" in me.text and "pris par vous" in me.text
    assert "reçu à la relève" not in me.text


def test_attacks_other_structure_non_reader_and_outside_the_care_team(
    client, db, world, inbox, pinned
):
    item_id = inboxes.receive_external(
        db, client.app.state.plugins, inbox_address=ADDRESS, message=message()
    )
    url = f"/api/v1/boites/elements/{item_id}"
    assert client.get(url, headers=bearer(world, "nurse_b")).status_code == 404
    assert (
        client.get(f"/api/v1/boites/{inbox}/elements", headers=bearer(world, "nurse_b")).status_code
        == 404
    )
    r = client.get(url, headers=bearer(world, "secretary_a"))
    assert r.status_code == 403 and "destinataires" in r.json()["detail"]
    # An item about a person, posted by her coordinator: the nurse outside her team reads the
    # subject, never the text; the nurse of her team reads it.
    r = client.post(
        f"/api/v1/boites/{inbox}/elements",
        json={
            "subject": "Passage à prévoir",
            "body": "Glycémie haute ce soir",
            "person_id": world.persons["p1"],
        },
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 201, r.text
    about = r.json()["id"]
    outside = client.get(f"/api/v1/boites/elements/{about}", headers=bearer(world, "nurse2_a"))
    assert outside.status_code == 200 and outside.json()["body"] is None
    inside = client.get(f"/api/v1/boites/elements/{about}", headers=bearer(world, "nurse_a"))
    assert inside.json()["body"] == "Glycémie haute ce soir"
    # A person of another structure cannot be cited.
    r = client.post(
        f"/api/v1/boites/{inbox}/elements",
        json={"subject": "x", "body": "y", "person_id": world.persons["p2"]},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 404
    assert storage.item(db, about)["body"] == "Glycémie haute ce soir"


def test_bad_input_is_a_french_4xx_and_changes_nothing(client, db, world, inbox, pinned):
    item_id = inboxes.receive_external(
        db, client.app.state.plugins, inbox_address=ADDRESS, message=message()
    )
    h = bearer(world, "nurse_a")
    for body in ({"subject": None, "body": "x"}, {"subject": "x" * 5000, "body": "y"}, {}):
        r = client.post(f"/api/v1/boites/{inbox}/elements", json=body, headers=h)
        assert r.status_code == 400, r.text
    r = client.post(
        f"/api/v1/boites/elements/{item_id}/cloture", json={"outcome": "fini"}, headers=h
    )
    assert r.status_code == 409 and "Je prends" in r.json()["detail"]
    r = client.post(f"/api/v1/boites/elements/{item_id}/reponses", json={"body": None}, headers=h)
    assert r.status_code == 400
    assert client.get("/api/v1/boites/elements/-1", headers=h).status_code in (400, 404)
    assert storage.item(db, item_id)["status"] == "open"


def test_the_direction_creates_an_inbox_and_a_nurse_cannot(client, db, world):
    assert login(client, "director_a").status_code == 303
    r = _form(
        client,
        "/boites",
        "/boites",
        {
            "structure_id": str(world.structures["a"]),
            "name": "Secrétariat",
            "kind": "shared",
            "external_address": "secretariat@ssiad-a.mssante.fr",
            "reader_roles": ["secretariat", "director"],
            "claim_minutes": "20",
        },
    )
    assert r.status_code == 303, r.text
    assert "Secrétariat" in client.get(r.headers["location"]).text
    r = _form(
        client,
        "/boites",
        "/boites",
        {
            "structure_id": str(world.structures["a"]),
            "name": "Autre",
            "external_address": "secretariat@ssiad-a.mssante.fr",
        },
    )
    assert r.status_code == 409
    r = _form(
        client,
        "/boites",
        "/boites",
        {"structure_id": str(world.structures["a"]), "name": "X", "claim_minutes": "-3"},
    )
    assert r.status_code == 400
    client.cookies.clear()
    assert login(client, "nurse_a").status_code == 303
    r = _form(
        client, "/boites", "/boites", {"structure_id": str(world.structures["a"]), "name": "Z"}
    )
    assert r.status_code == 403

"""Issue 18: the orientation home asks the doctor (or coordinating nurse) for the medical parts
to complete, offers « Nouvelle demande » to those allowed, and the person chooser behind it."""

from __future__ import annotations

from tests.accounts.conftest import bearer, csrf_from, login

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


def create(client, world) -> int:
    body = {**REQUEST, "person_id": world.persons["p1"]}
    r = client.post(f"{API}/demandes", json=body, headers=bearer(world, "social_a"))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_the_nurse_sees_the_medical_parts_to_complete(client, world, territory):
    rid = create(client, world)
    login(client, "nurse_a")
    home = client.get("/orientation/")
    assert home.status_code == 200
    assert "Volet médical à compléter : 1 demande." in home.text
    assert f'href="/orientation/demandes/{rid}#h-med"' in home.text
    page = client.get(f"/orientation/demandes/{rid}")
    assert "À compléter par vous" in page.text
    r = client.post(
        f"/orientation/demandes/{rid}/volet-medical",
        data={"_csrf_token": csrf_from(page.text), "content": "Troubles cognitifs."},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "Volet médical à compléter" not in client.get("/orientation/").text


def test_the_social_worker_is_not_asked_for_the_medical_part(client, world, territory):
    rid = create(client, world)
    login(client, "social_a")
    home = client.get("/orientation/")
    assert "Volet médical à compléter" not in home.text
    page = client.get(f"/orientation/demandes/{rid}")
    assert "À compléter par vous" not in page.text
    assert "À compléter par le médecin" in page.text


def test_new_request_button_and_person_chooser(client, world, territory):
    login(client, "social_a")
    home = client.get("/orientation/")
    assert 'href="/orientation/nouvelle">Nouvelle demande</a>' in home.text
    chooser = client.get("/orientation/nouvelle")
    assert chooser.status_code == 200
    assert f'href="/orientation/nouvelle?personne={world.persons["p1"]}"' in chooser.text
    assert f'personne={world.persons["p2"]}"' not in chooser.text  # another structure's person
    found = client.get("/orientation/nouvelle", params={"q": "zzzz"})
    assert "Aucune personne trouvée pour « zzzz »" in found.text


def test_no_new_request_for_the_secretary(client, world, territory):
    login(client, "secretary_a")
    home = client.get("/orientation/")
    assert "Nouvelle demande</a>" not in home.text
    assert client.get("/orientation/nouvelle").status_code == 403

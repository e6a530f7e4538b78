"""The optional link to the agenda visit a transmission comes from (when the agenda is there)."""

from __future__ import annotations

import pytest

from tests.transmissions.conftest import bearer, web_login, write

agenda = pytest.importorskip("virage.agenda.timeutil")


def _visit_today(client, world, person="p1", who="nurse_a"):
    today = agenda.today_paris()
    response = client.post(
        "/api/v1/agenda/appointments",
        json={
            "kind": "home_visit",
            "title": "Soins du matin",
            "person_id": world.persons[person],
            "professional_ids": [world.users[who]],
            "start": f"{today}T12:00",
            "duration_minutes": 30,
            "force": True,
        },
        headers=bearer(world, "coord_a" if person == "p1" else "coord_b"),
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_the_form_offers_today_s_visits_and_the_card_names_it(client, world):
    appointment = _visit_today(client, world)
    web_login(client, "nurse_a")
    form = client.get(
        f"/personnes/{world.persons['p1']}/transmissions/nouvelle?visite={appointment}"
    )
    assert "Visite de l'agenda" in form.text
    assert f'<option value="{appointment}" selected>12:00 — Soins du matin</option>' in form.text
    t = write(client, world, "nurse_a", appointment_id=appointment)
    assert t.status_code == 201 and t.json()["appointment_id"] == appointment
    page = client.get(f"/personnes/{world.persons['p1']}/transmissions").text
    assert "visite du " in page


def test_a_visit_of_another_person_cannot_be_linked(client, world):
    other = _visit_today(client, world, person="p2", who="nurse_b")
    refused = write(client, world, "nurse_a", appointment_id=other)
    assert refused.status_code == 400 and "visite" in refused.json()["detail"]
    assert write(client, world, "nurse_a", appointment_id=999999).status_code == 400

"""Issue 18: the request keeps the typed reason across the doctor search; the slots are offered
within the working day of a day the nurse chooses."""

from __future__ import annotations

import re
from datetime import timedelta

from tc_helpers import API, request_tc

from tests.accounts.conftest import bearer, csrf_from, login
from virage.sdk import today_paris


def test_doctor_search_keeps_the_reason_and_the_documents(client, world, doctors):
    login(client, "nurse_a")
    p1 = world.persons["p1"]
    form = client.get(f"/teleconsultation/nouvelle?personne={p1}")
    r = client.post(
        "/teleconsultation/",
        data={
            "_csrf_token": csrf_from(form.text),
            "person_id": p1,
            "chercher": "1",
            "q": "vasseur",
            "accompanying": world.users["care_a"],
            "reason": "Plaie du talon, avis sur le pansement",
            "documents": "Photos de la plaie",
        },
    )
    assert r.status_code == 200, r.text
    assert "Plaie du talon, avis sur le pansement</textarea>" in r.text
    assert "Photos de la plaie</textarea>" in r.text
    assert 'value="vasseur"' in r.text and "Vasseur" in r.text
    assert f'<option value="{world.users["care_a"]}" selected>' in r.text
    # nothing was requested by the search
    mine = client.get(API, headers=bearer(world, "nurse_a")).json()
    assert mine == [] or all(t.get("status") != "requested" for t in mine)


def test_doctor_search_is_refused_for_another_structures_person(client, world, doctors):
    login(client, "nurse_b")
    form = client.get("/teleconsultation/")
    r = client.post(
        "/teleconsultation/",
        data={
            "_csrf_token": csrf_from(form.text),
            "person_id": world.persons["p1"],
            "chercher": "1",
            "q": "vasseur",
            "reason": "x",
        },
    )
    assert r.status_code in (403, 404)


def test_slots_within_the_working_day_of_the_chosen_day(client, world, doctors):
    tc = request_tc(client, world, doctors["account"])
    login(client, "nurse_a")
    page = client.get(f"/teleconsultation/{tc['id']}")
    assert page.status_code == 200
    assert 'aria-label="Choisir le jour"' in page.text and "aujourd" in page.text
    day = today_paris() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    page = client.get(f"/teleconsultation/{tc['id']}?jour={day}")
    hours = [int(h) for h in re.findall(r'name="start" value="[^"]*T(\d\d):\d\d', page.text)]
    assert hours, "a working day of the doctor has free slots"
    assert all(8 <= h < 19 for h in hours)
    assert re.findall(r'name="start" value="(\d{4}-\d\d-\d\d)', page.text)[0] == str(day)
    assert '<strong aria-current="date">' in page.text
    # a day out of range falls back to today; the API gives the slots of one day
    assert client.get(f"/teleconsultation/{tc['id']}?jour=1999-01-01").status_code == 200
    slots = client.get(
        f"{API}/{tc['id']}/creneaux", params={"du": str(day)}, headers=bearer(world, "nurse_a")
    ).json()
    assert slots and {s["start_local"][:10] for s in slots} == {str(day)}

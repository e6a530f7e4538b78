"""« Ma journée » for the field (issue 18): the person's urgent transmissions not yet acknowledged on
the visit card (asked to the transmissions, within what the worker may read), « En cours » after
arrival, one path (« Je suis arrivé·e » → « Visite terminée »), back at the card without
JavaScript, one tap to write or read the person's transmissions, the address for the phone's map
application (geo:), the phone to call (tel:)."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.accounts.conftest import bearer, csrf_from, login
from tests.agenda.helpers import visit
from virage.accounts import lookups
from virage.agenda.timeutil import today_paris
from virage.db import connect

TODAY = today_paris()


def _at(days: int, hhmm: str) -> str:
    return f"{TODAY + timedelta(days=days)}T{hhmm}"


def _write(client, world, who, priority="urgent", data="Chute cette nuit, hématome à la hanche."):
    body = {"person_id": world.persons["p1"], "target": "chute", "data": data, "priority": priority}
    response = client.post("/api/v1/transmissions", json=body, headers=bearer(world, who))
    assert response.status_code == 201, response.text
    return response.json()


def _card(html: str, appointment_id: int) -> str:
    start = html.index(f'id="rdv-{appointment_id}"')
    ends = [html.find(m, start) for m in ('<li class="ag-item', "</ol>")]
    return html[start : min(e for e in ends if e > 0)]


def _day(client, who):
    assert login(client, who).status_code == 303
    page = client.get("/agenda/ma-journee")
    assert page.status_code == 200, page.text
    return page.text


def test_the_visit_card_shows_the_urgent_transmissions_i_have_not_acknowledged(client, world):
    v = visit(client, world, start=_at(0, "23:00"), duration_minutes=30).json()
    fall = _write(client, world, "care_a")
    _write(client, world, "care_a", priority="normal", data="Nuit calme ensuite.")
    _write(client, world, "nurse_a", data="Ma propre urgence.")  # mine: I know it
    card = _card(_day(client, "nurse_a"), v["id"])
    assert "1 transmission urgente à prendre en compte" in card
    assert "hématome à la hanche" in card and f'href="/transmissions/{fall["id"]}"' in card
    assert "Nuit calme" not in card and "Ma propre urgence" not in card
    # one tap to write about her (linked to this visit), one to read her recent ones
    p1 = world.persons["p1"]
    assert f'href="/personnes/{p1}/transmissions/nouvelle?visite={v["id"]}"' in card
    assert f'href="/personnes/{p1}/transmissions"' in card
    # the read is audited like any list of transmissions
    db = connect(world.settings.db_path)
    seen = db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'transmissions.read' AND person_id = ?"
        " AND actor_user_id = ? AND details LIKE ?",
        [p1, world.users["nurse_a"], "%ma journée%"],
    ).fetchone()[0]
    db.close()
    assert seen >= 1
    # acknowledged: it leaves the card
    acked = client.post(
        f"/api/v1/transmissions/{fall['id']}/acknowledgements", headers=bearer(world, "nurse_a")
    )
    assert acked.status_code == 200
    assert "urgente à prendre en compte" not in _card(
        client.get("/agenda/ma-journee").text, v["id"]
    )


def test_a_colleague_who_may_not_read_her_transmissions_sees_none(client, world):
    v = visit(
        client, world, start=_at(0, "23:00"), professional_ids=[world.users["nurse2_a"]]
    ).json()
    _write(client, world, "care_a")
    card = _card(_day(client, "nurse2_a"), v["id"])  # not in p1's care team
    assert "urgente" not in card and "hématome" not in card
    assert "Écrire une transmission" not in card and "Ses transmissions" not in card
    db = connect(world.settings.db_path)
    reads = db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'transmissions.read' AND actor_user_id = ?",
        [world.users["nurse2_a"]],
    ).fetchone()[0]
    db.close()
    assert reads == 0  # nothing read, nothing refused: not asked at all


def test_one_path_arrived_then_finished_with_en_cours_between(client, world):
    v = visit(client, world, start=_at(0, "23:00"), duration_minutes=30).json()
    html = _day(client, "nurse_a")
    card = _card(html, v["id"])
    assert "Prévu" in card and "Je suis arrivé·e" in card and "Visite terminée" not in card
    page = client.get(f"/agenda/rendez-vous/{v['id']}").text
    assert "Marquer comme fait" not in page  # « Visite terminée » marks it done
    r = client.post(
        f"/agenda/rendez-vous/{v['id']}/arrivee",
        data={"_csrf_token": csrf_from(html), "retour": f"/agenda/ma-journee?jour={TODAY}"},
        follow_redirects=False,
    )
    # without JavaScript: back at the card, not at the top of the page
    assert r.headers["location"] == f"/agenda/ma-journee?jour={TODAY}&ok=arrivee#rdv-{v['id']}"
    card = _card(client.get(r.headers["location"]).text, v["id"])
    assert "En cours" in card and "Prévu" not in card
    assert "Visite terminée" in card and "Je suis arrivé·e" not in card
    assert "En cours" in client.get(f"/agenda/rendez-vous/{v['id']}").text
    r = client.post(
        f"/agenda/rendez-vous/{v['id']}/depart",
        data={"_csrf_token": csrf_from(html), "retour": f"/agenda/ma-journee?jour={TODAY}"},
        follow_redirects=False,
    )
    assert r.headers["location"].endswith(f"ok=depart#rdv-{v['id']}")
    card = _card(client.get("/agenda/ma-journee").text, v["id"])
    assert "Fait" in card and "Arrivée et départ pointés" in card


def test_the_coordinator_keeps_marquer_comme_fait_for_a_visit_she_does_not_make(client, world):
    v = visit(client, world, start=_at(0, "00:00"), duration_minutes=30).json()
    assert login(client, "coord_a").status_code == 303
    assert "Marquer comme fait" in client.get(f"/agenda/rendez-vous/{v['id']}").text


def test_address_opens_the_map_application_and_phone_calls(client, world):
    db = connect(world.settings.db_path)
    lookups.update_person(
        db,
        world.persons["p1"],
        {
            "address": "3 rue des Lilas",
            "postcode": "25290",
            "city": "Ornans",
            "phone": "03 81 00 00 00",
        },
    )
    db.close()
    v = visit(client, world, start=_at(0, "23:00"), place="home").json()
    card = _card(_day(client, "nurse_a"), v["id"])
    assert 'href="geo:0,0?q=3%20rue%20des%20Lilas%2C%2025290%20Ornans"' in card
    assert "https://www.openstreetmap.org/search?query=3%20rue%20des%20Lilas" in card
    assert 'href="tel:0381000000"' in card
    # nothing about the worker's position: no geolocation asked by the page
    assert "geolocation" not in client.get("/agenda/ma-journee").text


def test_the_day_page_loads_its_in_place_script_and_big_targets(client, world):
    visit(client, world, start=_at(0, "23:00"))
    html = _day(client, "nurse_a")
    assert re.search(r'src="/static/agenda-day\.js[^"]*" defer', html)
    assert "data-in-place" in html
    css = client.get(re.search(r'href="(/static/agenda-day\.css[^"]*)"', html).group(1))
    assert css.status_code == 200 and "min-height: 44px" in css.text


def test_nouvelle_transmission_is_a_button_at_the_top_of_the_person_s_page(client, world):
    p1 = world.persons["p1"]
    assert login(client, "nurse_a").status_code == 303
    page = client.get(f"/personnes/{p1}").text
    button = (
        f'<a class="button" href="/personnes/{p1}/transmissions/nouvelle">Nouvelle transmission</a>'
    )
    assert button in page
    assert page.index(button) < page.index("Identité et coordonnées")
    # who may not write about her has no such button (the direction reads the record only)
    assert login(client, "director_a").status_code == 303
    page = client.get(f"/personnes/{p1}")
    assert "transmissions/nouvelle" not in page.text

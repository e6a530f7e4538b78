"""Issue 18: the secretary's journeys on the booking pages — free-slot search defaults, the person
search that keeps what was typed, plain repetition choices (raw RRULE for coordination only)."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.accounts.conftest import csrf_from, login
from tests.agenda.helpers import next_weekday, occurrences
from virage.agenda.timeutil import today_paris


def _web(client, who):
    assert login(client, who).status_code == 303


def test_free_slot_search_defaults_to_this_week_over_the_working_day_and_a_home_visit(
    client, world
):
    _web(client, "secretary_a")
    page = client.get(f"/agenda/structures/{world.structures['a']}/creneaux")
    assert page.status_code == 200
    today = today_paris()
    assert f'name="du" type="date" value="{today}"' in page.text
    assert f'name="au" type="date" value="{today + timedelta(days=6)}"' in page.text
    assert 'name="de" type="time" value="08:00"' in page.text
    assert 'name="a" type="time" value="18:00"' in page.text
    assert re.search(r'<option value="home_visit" selected>', page.text)
    assert "Téléconsultation" not in page.text.split('id="type"')[1].split("</select>")[0] or (
        'value="teleconsultation" selected' not in page.text
    )
    # the search ran at once: results (or the French "none") are on the page
    assert 'id="h-resultats"' in page.text
    links = re.findall(r'href="(/agenda/structures/\d+/nouveau\?[^"]+)"', page.text)
    if links:
        assert "type=home_visit" in links[0]


def test_free_slot_search_keeps_an_explicit_kind(client, world):
    _web(client, "secretary_a")
    page = client.get(
        f"/agenda/structures/{world.structures['a']}/creneaux",
        params={"chercher": "1", "type": "meeting"},
    )
    assert '<option value="meeting" selected>' in page.text
    assert (
        'name="duree" type="number" min="5" max="720" step="5" value="60"' in page.text
    )  # the kind's duration


def test_person_search_keeps_every_typed_field(client, world):
    _web(client, "secretary_a")
    url = f"/agenda/structures/{world.structures['a']}/nouveau"
    form = client.get(url)
    day = next_weekday(1)
    r = client.post(
        url,
        data={
            "_csrf_token": csrf_from(form.text),
            "chercher_personne": "1",
            "q": "durand",
            "kind": "structure_appointment",
            "date": str(day),
            "start_time": "10:15",
            "duration": "45",
            "title": "Bilan annuel",
            "to_bring": "Carte vitale",
            "place_detail": "Salle 2",
            "professional_ids": [str(world.users["social_a"])],
            "repetition": "weekly",
            "nombre": "4",
        },
    )
    assert r.status_code == 200, r.text
    html = r.text
    assert 'value="Bilan annuel"' in html and 'value="Carte vitale"' in html
    assert 'value="Salle 2"' in html and f'value="{day}"' in html
    assert 'value="10:15"' in html and 'value="45"' in html and 'value="4"' in html
    assert f'value="{world.users["social_a"]}" checked' in html
    assert '<option value="weekly" selected>Chaque semaine le mardi</option>' in html
    assert "DURAND" in html and "Personnes correspondant à « durand »" in html
    # nothing was booked by the search
    assert client.get("/agenda/ma-journee").status_code == 200


def _book_form(client, world, who, **fields):
    _web(client, who)
    url = f"/agenda/structures/{world.structures['a']}/nouveau"
    form = client.get(url)
    day = next_weekday(1, weeks_ahead=3)
    data = {
        "_csrf_token": csrf_from(form.text),
        "kind": "meeting",
        "date": str(day),
        "start_time": "14:00",
        "duration": "30",
        "professional_ids": [str(world.users["social_a"])],
        "title": "Point",
        **fields,
    }
    return form, client.post(url, data=data, follow_redirects=False), day


def test_plain_repetition_choices_become_a_rule_on_the_server(client, world):
    form, r, day = _book_form(client, world, "secretary_a", repetition="biweekly", nombre="3")
    assert r.status_code == 303, r.text
    assert "Avancé" not in form.text and 'name="rrule"' not in form.text
    assert "Ne se répète pas" in form.text and "Tous les 15 jours" in form.text
    rows = occurrences(client, world, "coord_a", str(day), str(day + timedelta(days=40)))
    starts = sorted(a["start"][:10] for a in rows if a["title"] == "Point")
    assert starts == [str(day), str(day + timedelta(days=14)), str(day + timedelta(days=28))]


def test_raw_rrule_is_for_coordination_only(client, world):
    _form, r, _day = _book_form(
        client, world, "secretary_a", rrule="FREQ=DAILY;COUNT=2", title="Interdit"
    )
    assert r.status_code == 400 and "réservée à la coordination" in r.text
    client.post("/deconnexion", data={"_csrf_token": csrf_from(r.text)})
    form, r, _day = _book_form(client, world, "coord_a", rrule="FREQ=DAILY;COUNT=2")
    assert "<summary>Avancé</summary>" in form.text
    assert r.status_code == 303, r.text


def test_until_and_count_together_are_refused_in_french(client, world):
    _form, r, _day = _book_form(
        client, world, "secretary_a", repetition="daily", nombre="3", jusqu_au="2031-01-01"
    )
    assert r.status_code == 400 and "pas les deux" in r.text
    assert 'value="Point"' in r.text

"""The web pages: a phone-first form that works without JavaScript and loses nothing."""

from __future__ import annotations

import re

from tests.transmissions.conftest import bearer, ids_in, web_login, write


def _form(client, world, url=None):
    url = url or f"/personnes/{world.persons['p1']}/transmissions/nouvelle"
    page = client.get(url)
    assert page.status_code == 200, page.text
    return page.text


def test_the_form_offers_targets_as_quick_choices_and_templates(client, world):
    web_login(client, "nurse_a")
    html = _form(client, world)
    assert html.count('name="target"') >= 14
    assert 'type="radio" id="cible-chute" name="target" value="chute"' in html
    assert "Chute à domicile" in html and 'data-template="' in html
    assert 'name="client_id" value="' in html
    assert "data-transmission-form" in html and 'data-user="' in html
    # without JavaScript, a template link fills the form on the server
    template_id = re.search(r'data-template="(\d+)">Chute à domicile', html).group(1)
    filled = _form(
        client,
        world,
        f"/personnes/{world.persons['p1']}/transmissions/nouvelle?modele={template_id}",
    )
    assert 'id="cible-chute" name="target" value="chute" data-category="soins" checked' in filled
    assert "Retrouvé·e au sol" in filled


def test_a_refused_form_comes_back_with_everything_typed(client, world):
    token = web_login(client, "nurse_a")
    p1 = world.persons["p1"]
    answer = client.post(
        f"/personnes/{p1}/transmissions",
        data={
            "_csrf_token": token,
            "client_id": "formulaire-0001",
            "target": "",
            "priority": "urgent",
            "data": "Texte long tapé avec soin pendant la tournée.",
            "actions": "Appel au médecin.",
        },
    )
    assert answer.status_code == 400
    assert "Cible inconnue" in answer.text
    assert "Texte long tapé avec soin pendant la tournée." in answer.text
    assert "Appel au médecin." in answer.text
    assert 'value="formulaire-0001"' in answer.text  # the retry keeps its identifier
    assert 'id="priorite-urgent" name="priority" value="urgent" checked' in answer.text


def test_writing_through_the_form(client, world):
    token = web_login(client, "care_a")
    p1 = world.persons["p1"]
    answer = client.post(
        f"/personnes/{p1}/transmissions",
        data={
            "_csrf_token": token,
            "client_id": "formulaire-0002",
            "target": "alimentation",
            "priority": "normal",
            "occurred_at": "",
            "data": "A mangé la moitié du repas.",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    page = client.get(answer.headers["location"]).text
    assert "Transmission enregistrée." in page
    assert "A mangé la moitié du repas." in page and "Vie quotidienne" in page
    assert "Modifier (délai de correction)" in page


def test_the_timeline_filters_and_pages(client, world):
    first = write(client, world, "nurse_a", target="douleur", data="Douleur 5/10.").json()
    second = write(client, world, "care_a", target="alimentation", data="Repas pris.").json()
    third = write(client, world, "nurse_a", target="social", data="Aide au logement.").json()
    web_login(client, "coord_a")
    url = f"/personnes/{world.persons['p1']}/transmissions"
    assert ids_in(client.get(url).text) == [third["id"], second["id"], first["id"]]
    assert ids_in(client.get(url, params={"cible": "douleur"}).text) == [first["id"]]
    assert ids_in(client.get(url, params={"categorie": "social"}).text) == [third["id"]]
    by_care = client.get(url, params={"auteur": str(world.users["care_a"])}).text
    assert ids_in(by_care) == [second["id"]]
    assert ids_in(client.get(url, params={"du": "2000-01-01", "au": "2000-01-02"}).text) == []
    assert client.get(url, params={"du": "demain"}).status_code == 400
    assert client.get(url, params={"avant": "n'importe quoi"}).status_code == 400


def test_the_timeline_pages_through_older_transmissions(client, world):
    ids = [
        write(client, world, "nurse_a", data=f"Observation {i}.").json()["id"] for i in range(32)
    ]
    web_login(client, "nurse_a")
    url = f"/personnes/{world.persons['p1']}/transmissions"
    page = client.get(url).text
    assert len(ids_in(page)) == 30
    more = re.search(r'href="\?([^"]+)">Transmissions plus anciennes', page).group(1)
    older = client.get(f"{url}?{more.replace('&amp;', '&')}").text
    assert set(ids_in(older)) == set(ids[:2])


def test_the_author_edits_within_the_grace_period(client, world):
    t = write(client, world, "nurse_a").json()
    token = web_login(client, "nurse_a")
    form = client.get(f"/transmissions/{t['id']}/modifier")
    assert form.status_code == 200 and "Retirer cette transmission" in form.text
    saved = client.post(
        f"/transmissions/{t['id']}/modifier",
        data={"_csrf_token": token, "target": "chute", "priority": "urgent", "data": "Corrigé."},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    one = client.get(f"/api/v1/transmissions/{t['id']}", headers=bearer(world, "nurse_a")).json()
    assert (one["data"], one["priority"]) == ("Corrigé.", "urgent")


def test_results_and_corrections_from_the_pages(client, world):
    t = write(client, world, "nurse_a").json()
    token = web_login(client, "care_a")
    detail = client.get(f"/transmissions/{t['id']}").text
    assert "Ajouter les résultats" in detail
    result_id = re.search(r'name="client_id" value="([^"]+)"', detail).group(1)
    added = client.post(
        f"/transmissions/{t['id']}/resultat",
        data={"_csrf_token": token, "results": "Calme, a dormi.", "client_id": result_id},
        follow_redirects=False,
    )
    assert added.status_code == 303
    form = client.get(f"/transmissions/{t['id']}/corriger").text
    assert "Corriger la transmission" in form and "Retrouvée au sol" in form
    corrected = client.post(
        f"/transmissions/{t['id']}/corriger",
        data={"_csrf_token": token, "target": "chute", "data": "Retrouvée assise, pas au sol."},
        follow_redirects=False,
    )
    assert corrected.status_code == 303
    page = client.get(f"/personnes/{world.persons['p1']}/transmissions").text
    assert "Calme, a dormi." in page and "Retrouvée assise, pas au sol." in page
    assert "Retrouvée au sol" in page


def test_choosing_a_person(client, world):
    web_login(client, "care_a")
    page = client.get("/transmissions/nouvelle").text
    assert "Jeanne DURAND" in page and "Petit" not in page
    web_login(client, "secretary_a")
    assert "aucune équipe de soins" in client.get("/transmissions/nouvelle").text


def test_the_home_shows_the_coordinator_the_count_of_unread_urgent_ones(client, world):
    write(client, world, "nurse_a", priority="urgent")
    web_login(client, "coord_a")
    page = client.get("/transmissions").text
    assert "1 transmission urgente non lue" in page


def test_a_refused_edit_comes_back_with_the_text(client, world):
    t = write(client, world, "nurse_a").json()
    token = web_login(client, "nurse_a")
    answer = client.post(
        f"/transmissions/{t['id']}/modifier",
        data={"_csrf_token": token, "target": "inconnue", "data": "Nouveau texte soigné."},
    )
    assert answer.status_code == 400
    assert "Cible inconnue" in answer.text and "Nouveau texte soigné." in answer.text


def test_a_refused_correction_comes_back_with_the_text(client, world):
    t = write(client, world, "nurse_a").json()
    token = web_login(client, "nurse_a")
    answer = client.post(
        f"/transmissions/{t['id']}/corriger",
        data={"_csrf_token": token, "target": "inconnue", "data": "Texte de la correction."},
    )
    assert answer.status_code == 400
    assert "Cible inconnue" in answer.text and "Texte de la correction." in answer.text
    assert f'action="/transmissions/{t["id"]}/corriger"' in answer.text


def test_roles_without_access_are_told_why(client, world):
    web_login(client, "secretary_a")
    page = client.get("/transmissions").text
    assert "Votre rôle ne donne pas accès aux transmissions" in page
    assert "Écrire une transmission" in page  # harmless: the list of persons is empty


def test_a_correction_from_the_page_must_match_its_person(client, world):
    t = write(client, world, "nurse_a").json()
    token = web_login(client, "coord_a")
    p3 = client.post(
        "/api/v1/persons",
        json={"family_name": "Martin", "given_names": "Paule"},
        headers=bearer(world, "coord_a"),
    ).json()["id"]
    mismatch = client.post(
        "/transmissions/envoyer",
        json={
            "person_id": p3,
            "client_id": "correction-mauvaise-personne",
            "corrects": t["id"],
            "target": "chute",
            "data": "Correction.",
        },
        headers={"x-csrftoken": token, "accept": "application/json"},
    )
    assert mismatch.status_code == 400
    ok = client.post(
        "/transmissions/envoyer",
        json={
            "person_id": world.persons["p1"],
            "client_id": "correction-bonne-personne",
            "corrects": t["id"],
            "target": "chute",
            "data": "Correction.",
        },
        headers={"x-csrftoken": token, "accept": "application/json"},
    )
    assert ok.status_code == 201 and ok.json()["person_id"] == world.persons["p1"]


def test_an_entry_written_by_someone_else_on_the_device_is_not_sent(client, world):
    # The nurse's entry waited on a shared tablet; the coordinator's session must not send it.
    token = web_login(client, "coord_a")
    entry = {
        "person_id": world.persons["p1"],
        "client_id": "ecrite-par-l-infirmiere",
        "target": "chute",
        "data": "Chute dans la salle de bain.",
    }
    refused = client.post(
        "/transmissions/envoyer",
        json={**entry, "author_id": world.users["nurse_a"]},
        headers={"x-csrftoken": token, "accept": "application/json"},
    )
    assert refused.status_code == 409
    assert "autre personne" in refused.json()["detail"]
    own = client.post(
        "/transmissions/envoyer",
        json={**entry, "author_id": world.users["coord_a"]},
        headers={"x-csrftoken": token, "accept": "application/json"},
    )
    assert own.status_code == 201

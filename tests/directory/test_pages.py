"""The directory pages: a search form that works without JavaScript, detail pages with a
map-free address and tel: links, and the network's own fields (administration only)."""

from __future__ import annotations

import re

import pytest

from tests.accounts.conftest import csrf_from, login


@pytest.fixture
def signed_in(client, directory):
    login(client, "secretary_a")
    return client


def test_needs_a_session(client, directory):
    response = client.get("/annuaire", follow_redirects=False)
    assert response.status_code in (302, 303) and "/connexion" in response.headers["location"]


def test_search_form_without_javascript(signed_in):
    page = signed_in.get("/annuaire")
    assert page.status_code == 200
    assert '<form method="get" action="/annuaire"' in page.text
    assert "structures en activité" in page.text
    results = signed_in.get(
        "/annuaire", params={"q": "ssiad", "pres_de": "Bourg-en-Bresse", "rayon": "15"}
    )
    assert results.status_code == 200
    assert "2 structures à moins de 15 km de BOURG EN BRESSE" in results.text
    order = re.findall(r'class="dir-name" href="[^"]+">([^<]+)<', results.text)
    assert order == ["SSIAD du Bassin Burgien", "SSIAD de Péronnas"]
    assert " km</strong>" in results.text


def test_search_errors_stay_on_the_page(signed_in):
    page = signed_in.get("/annuaire", params={"q": "ssiad", "pres_de": "Atlantide"})
    assert page.status_code == 400
    assert 'role="alert"' in page.text and "Atlantide" in page.text
    assert 'value="Atlantide"' in page.text  # the form keeps what was typed
    assert signed_in.get("/annuaire", params={"q": "ssiad", "page": "x"}).status_code == 400


def test_filters_and_pages(signed_in):
    page = signed_in.get("/annuaire", params={"q": "pharmacie"})
    assert "25 structures" in page.text and "page 1 sur 2" in page.text
    assert 'rel="next"' in page.text
    nxt = re.search(r'href="([^"]+)" rel="next"', page.text).group(1).replace("&amp;", "&")
    second = signed_in.get(nxt)
    assert "page 2 sur 2" in second.text and 'rel="prev"' in second.text
    closed = signed_in.get("/annuaire", params={"q": "anciens"})
    assert "Aucune structure ne correspond" in closed.text
    closed = signed_in.get("/annuaire", params={"q": "anciens", "statut": "toutes"})
    assert "EHPAD Les Anciens" in closed.text and "Fermée" in closed.text


def test_structure_page(signed_in):
    search = signed_in.get("/annuaire", params={"q": "010000081"})
    href = re.search(r'class="dir-name" href="([^"]+)"', search.text).group(1)
    page = signed_in.get(href)
    assert page.status_code == 200
    assert "<h1>EHPAD Saint-Étienne</h1>" in page.text
    assert '<address class="dir-address">' in page.text and "1 RUE DU LYCEE" in page.text
    assert 'href="tel:0474000001"' in page.text and "04 74 00 00 01" in page.text
    assert "Association Saint-Étienne Santé" in page.text
    main = page.text.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script" not in main and "<iframe" not in main  # no map, no script
    assert "Modifier les informations du réseau" not in page.text
    download = signed_in.get(href + "/fhir")
    assert download.headers["content-type"].startswith("application/fhir+json")
    assert download.json()["entry"][0]["resource"]["resourceType"] == "Organization"


def test_network_fields_by_the_network_administration(client, directory):
    login(client, "admin")
    search = client.get("/annuaire", params={"q": "bassin burgien"})
    href = re.search(r'class="dir-name" href="([^"]+)"', search.text).group(1)
    page = client.get(href)
    assert "Modifier les informations du réseau" in page.text
    bad = client.post(
        href + "/reseau", data={"champs": "pas de deux-points", "_csrf_token": csrf_from(page.text)}
    )
    assert bad.status_code == 400 and "Nom : valeur" in bad.text
    saved = client.post(
        href + "/reseau",
        data={
            "champs": "Places : 40\nZone d'intervention : Bourg, Péronnas",
            "_csrf_token": csrf_from(page.text),
        },
        follow_redirects=True,
    )
    assert saved.status_code == 200 and "<dd>40</dd>" in saved.text
    # searchable, and kept by the next import (see test_imports)
    found = client.get("/annuaire", params={"q": "péronnas", "type": "ET"})
    assert "SSIAD du Bassin Burgien" in found.text
    imports = client.get("/annuaire/imports")
    assert imports.status_code == 200 and "virage import finess" in imports.text


def test_others_cannot_edit_network_fields(signed_in):
    search = signed_in.get("/annuaire", params={"q": "bassin burgien"})
    href = re.search(r'class="dir-name" href="([^"]+)"', search.text).group(1)
    page = signed_in.get(href)
    refused = signed_in.post(
        href + "/reseau", data={"champs": "Places : 1", "_csrf_token": csrf_from(page.text)}
    )
    assert refused.status_code == 403
    assert "administration du réseau" in refused.text
    assert signed_in.get("/annuaire/imports").status_code == 403


def test_professionals_pages(signed_in):
    page = signed_in.get("/annuaire/professionnels", params={"q": "élodie"})
    assert "1 professionnel" in page.text
    href = re.search(r'class="dir-name" href="([^"]+)"', page.text).group(1)
    detail = signed_in.get(href)
    assert "Élodie" in detail.text and 'href="tel:0639980001"' in detail.text
    assert "SSIAD de Péronnas" in detail.text and "ADELI" in detail.text


def test_nav_item(signed_in):
    assert 'href="/annuaire"' in signed_in.get("/moi").text

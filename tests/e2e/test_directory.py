"""An aide-soignante looks for a SSIAD near the patient's village on her phone, opens its page
and calls it; then searches while typing, without accents; then a colleague without JavaScript
does the same. The screenshots illustrate docs/guides/annuaire.md."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import DEMO_PASSWORD, sign_in

pytestmark = pytest.mark.browser


def _no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"horizontal scroll on a phone: {width}px"


def test_find_a_ssiad_near_a_village_on_a_phone(live_server, phone, capture):
    page = phone.new_page()
    sign_in(page, live_server, "sophie.matin")
    nav = page.get_by_role("navigation", name="Navigation principale")
    nav.get_by_text("Plus", exact=True).click()  # on a phone, the directory is behind « Plus »
    nav.get_by_role("link", name="Annuaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire")
    expect(page.get_by_text("structures en activité")).to_be_visible()
    capture(page, "annuaire-recherche")

    page.get_by_label("Nom, catégorie, commune ou numéro FINESS").fill("ssiad")
    page.get_by_label("Près de (commune ou code postal)").fill("Loue-la-Vallée")
    page.get_by_label("Rayon").select_option("15")
    page.get_by_role("button", name="Rechercher").click()
    results = page.locator("#resultats")
    expect(results).to_contain_text("à moins de 15 km de Loue-la-Vallée (39600)")
    first = results.locator(".dir-item").first
    expect(first.locator(".dir-name")).to_have_text("SSIAD du Val-de-Loue")
    expect(first).to_contain_text(re.compile(r"\d+,\d km"))
    expect(results.get_by_text("SSIAD de Montigny-le-Haut")).to_be_visible()
    _no_horizontal_scroll(page)
    capture(page, "annuaire-resultats")

    first.locator(".dir-name").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SSIAD du Val-de-Loue")
    expect(page.locator("address.dir-address")).to_contain_text("12 rue des Écoles")
    call = page.get_by_role("link", name=re.compile("Appeler le 03 53 01"))
    expect(call).to_have_attribute("href", re.compile(r"^tel:035301\d{4}$"))
    expect(page.get_by_text("Zone d'intervention")).to_be_visible()
    _no_horizontal_scroll(page)
    capture(page, "annuaire-fiche", full_page=True)


def test_search_while_typing_without_accents(live_server, phone, capture):
    page = phone.new_page()
    sign_in(page, live_server, "lea.secretariat")
    page.goto(f"{live_server}/annuaire")
    page.get_by_label("Nom, catégorie, commune ou numéro FINESS").press_sequentially(
        "ehpad saint eti", delay=20
    )
    # no button pressed: the results refresh while typing
    expect(page.locator("#resultats .dir-name").first).to_have_text("EHPAD Saint-Étienne")
    expect(page).to_have_url(re.compile(r"/annuaire\?q=ehpad\+saint\+eti"))
    capture(page, "annuaire-frappe", full_page=True)

    # the real FINESS extract of the demo is searchable too
    page.goto(f"{live_server}/annuaire?q=clinique+convert")
    expect(page.locator("#resultats .dir-name").first).to_have_text("CLINIQUE CONVERT")

    page.goto(f"{live_server}/annuaire/professionnels")
    page.get_by_label("Profession", exact=True).select_option("60")
    page.get_by_label("Près de (commune ou code postal)").fill("39610")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#resultats")).to_contain_text("Nadia Benali")
    capture(page, "annuaire-professionnels", full_page=True)


def test_the_form_works_without_javascript(live_server, browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="fr-FR", java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server}/connexion")
        page.get_by_label("Identifiant").fill("nadia.nuit")
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.goto(f"{live_server}/annuaire")
        page.get_by_label("Nom, catégorie, commune ou numéro FINESS").fill("EHPAD")
        page.get_by_label("Près de (commune ou code postal)").fill("Atlantide")
        page.get_by_role("button", name="Rechercher").click()
        expect(page.get_by_role("alert")).to_contain_text("Commune « Atlantide » inconnue")
        page.get_by_label("Près de (commune ou code postal)").fill("Saint-Aubin-sur-Loue")
        page.get_by_role("button", name="Rechercher").click()
        expect(page.locator("#resultats .dir-name").first).to_have_text(
            re.compile("EHPAD (Les Tilleuls|Saint-Étienne)")
        )
    finally:
        context.close()

"""The sas in Chromium on the demo territory: the director of the SSIAD reads the dashboard (on a
390 px phone too), prepares last quarter's export, reviews and approves it; the DPO approves it;
then it is downloadable. Pictures for the guide."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.browser

SSIAD = "SSIAD du Val-de-Loue"


def _ssiad_link(page, base: str, name: str):
    page.goto(f"{base}/indicateurs/")
    row = page.get_by_role("listitem").filter(has_text=SSIAD)
    return row.get_by_role("link", name=name)


def test_director_and_dpo_approve_the_quarter_then_it_can_leave(
    browser, live_server, capture, tmp_path
):
    base = live_server
    director = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    page = director.new_page()
    sign_in(page, base, "claire.direction")
    _ssiad_link(page, base, "Tableau de bord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    expect(page.locator("figure.chart svg").first).to_be_visible()
    expect(page.get_by_role("table").first).to_be_attached()
    # readable on a phone: the page does not widen (tables scroll inside their frame)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("section.indicator h2").nth(1).scroll_into_view_if_needed()
    capture(page, "indicateurs-tableau-de-bord")

    _ssiad_link(page, base, "Sas des exports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sas des exports")
    page.get_by_role("button", name="Préparer l'export").click()
    expect(page.locator("#etat-export")).to_contain_text("En attente d'approbation")
    export_url = page.url
    capture(page, "indicateurs-sas-prepare")
    page.get_by_role("button", name="J'ai tout relu, j'approuve cet export").click()
    expect(page.locator("#etat-export")).to_contain_text("délégué à la protection des données")
    expect(page.get_by_role("link", name="Télécharger (CSV)")).to_have_count(0)
    director.close()

    dpo = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = dpo.new_page()
    sign_in(page, base, "dpo.reseau")
    page.goto(export_url)
    page.get_by_role("button", name="J'ai tout relu, j'approuve cet export").click()
    expect(page.locator("#etat-export")).to_contain_text("téléchargeable")
    expect(page.get_by_role("listitem").filter(has_text="Approuvé par")).to_have_count(2)
    capture(page, "indicateurs-sas-approuve")
    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger (CSV)").click()
    path = tmp_path / "export.csv"
    info.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("indicateur;libellé") and "agenda.visites_realisees" in text
    dpo.close()

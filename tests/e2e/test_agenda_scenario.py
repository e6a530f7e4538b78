"""The coordinator's team week and a care assistant's round.

The secretary booking a social worker's slot, « ma journée » on the phone and the calendar
subscription are scene 1 of the guided tour (tests/e2e/test_tour.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.browser

SOCIAL = "Service social départemental — MDS de Loue"


def test_coordinator_week_view_and_field_worker_day(live_server, browser, capture):
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = desk.new_page()
    sign_in(page, live_server, "ines.coordination")
    page.goto(f"{live_server}/agenda")
    page.get_by_role("link", name="Semaine de l'équipe").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Semaine de l'équipe")
    page.get_by_label("Équipe").select_option(label="Tournée du matin")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("table.ag-week")).to_contain_text("Sophie Lambert")
    capture(page, "agenda-semaine-equipe")
    desk.close()

    ctx = browser.new_context(viewport={"width": 375, "height": 740}, locale="fr-FR")
    mobile = ctx.new_page()
    sign_in(mobile, live_server, "sophie.matin")
    mobile.goto(f"{live_server}/agenda/ma-journee")
    first = mobile.locator("ol.ag-day > li").first
    expect(first).to_contain_text("Toilette et aide au lever")
    first.get_by_role("button", name="Je suis arrivé·e").click()
    expect(mobile.locator("[role=status]", has_text="C'est enregistré")).to_be_visible()
    expect(
        mobile.locator("ol.ag-day > li").first.get_by_role("button", name="Visite terminée")
    ).to_be_visible()
    capture(mobile, "agenda-tournee-aide-soignante")
    mobile.goto(f"{live_server}/moi/enregistrements#agenda")
    expect(mobile.locator("#agenda")).to_be_visible()
    expect(mobile.get_by_text("Mes pointages de visites")).to_be_visible()
    ctx.close()

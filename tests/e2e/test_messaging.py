"""Messaging on a phone (demo territory): Thomas, coordinator of the EHPAD Les Tilleuls, sees
« Messages 1 » in the menu, opens Paul's conversation about an admission (the person agreed to
the exchange), answers between two rounds without JavaScript; Paul sees the answer and that
Thomas read his messages; Amina, nurse of the EHPAD outside the conversation, reads nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.browser


def test_an_admission_discussed_from_a_phone(live_server, browser, capture):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="fr-FR",
        timezone_id="Europe/Paris",
        java_script_enabled=False,
    )
    page = context.new_page()
    sign_in(page, live_server, "thomas.idec")
    page.goto(f"{live_server}/messages")
    page.wait_for_load_state("load")
    link = page.get_by_role("link", name="Entrée à l'EHPAD lundi")
    expect(link).to_be_visible()
    link.click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_have_text("Entrée à l'EHPAD lundi")
    assert "DURAND" not in page.title().upper() and "EHPAD lundi" in page.title()
    page.get_by_label("Votre réponse").fill("Entendu pour dimanche 10 h, merci.")
    send = page.get_by_role("button", name="Envoyer")
    assert send.bounding_box()["height"] >= 44
    send.click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("Entendu pour dimanche 10 h, merci.")).to_be_visible()
    capture(page, "messagerie-conversation", full_page=True)
    href = page.url.split("#")[0]
    context.clear_cookies()

    sign_in(page, live_server, "paul.infirmier")
    page.goto(href)
    expect(page.get_by_text("Entendu pour dimanche 10 h, merci.")).to_be_visible()
    expect(page.get_by_text("Lu par Thomas Renaud").first).to_be_visible()
    context.clear_cookies()

    sign_in(page, live_server, "amina.ide")
    response = page.goto(href)
    assert response.status == 404
    expect(page.get_by_text("Entendu pour dimanche")).to_have_count(0)
    context.close()

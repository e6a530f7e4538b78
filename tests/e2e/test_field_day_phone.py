"""« Ma journée » on a phone (390 × 844), issue 18: « Je suis arrivé·e » then « Visite terminée »
update the card in place — the page does not jump back to the top — and every touch target of the
day and of the person's record is at least 44 pixels high."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone390(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    yield context.new_page()
    context.close()


def _small_targets(page, selector: str) -> list[tuple[str, float]]:
    small = []
    for element in page.locator(selector).all():
        if not element.is_visible():
            continue
        box = element.bounding_box()
        if box and box["height"] < 44:
            small.append((element.inner_text().strip()[:40], box["height"]))
    return small


def _still_in_view(page, card, where: float, scrolled: float) -> None:
    """No jump to the top: the page stays scrolled, the card where it was on the screen (a
    banner growing above it may push the page a little: the browser keeps the card in place)."""
    assert page.evaluate("window.scrollY") > scrolled / 2, "jumped to the top"
    box = card.bounding_box()
    assert box and abs(box["y"] - where) < 120 and 0 <= box["y"] < PHONE["height"], box


def test_check_in_and_out_keep_the_card_in_view(live_server, phone390):
    page = phone390
    sign_in(page, live_server, "sophie.matin")
    page.goto(f"{live_server}/agenda/ma-journee")
    cards = page.locator("ol.ag-day > li").filter(
        has=page.get_by_role("button", name="Je suis arrivé·e")
    )
    assert cards.count() >= 2, "the demo round has visits to check in"
    card = cards.nth(cards.count() - 1)  # the last one: far down the page
    card_id = card.get_attribute("id")
    card.get_by_role("button", name="Je suis arrivé·e").scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert before > 200, "the card is below the fold"
    where = card.bounding_box()["y"]  # the card's place on the screen
    card.get_by_role("button", name="Je suis arrivé·e").click()
    card = page.locator(f"#{card_id}")
    expect(card.get_by_role("button", name="Visite terminée")).to_be_visible()
    expect(card.locator("[data-state]")).to_have_text("En cours")
    expect(page.get_by_text("C'est enregistré : En cours")).to_be_visible()
    _still_in_view(page, card, where, before)
    card.get_by_role("button", name="Visite terminée").click()
    expect(card.locator("[data-state]")).to_have_text("Fait")
    expect(card).to_contain_text("Arrivée et départ pointés")
    _still_in_view(page, card, where, before)


def test_without_javascript_the_server_sends_the_page_back_at_the_card(live_server, browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, "paul.infirmier")
        page.goto(f"{live_server}/agenda/ma-journee")
        button = page.get_by_role("button", name="Je suis arrivé·e").last
        card_id = page.locator("ol.ag-day > li").filter(has=button).last.get_attribute("id")
        button.click()
        assert page.url.endswith(f"#{card_id}")
        expect(page.locator(f"#{card_id} [data-state]")).to_have_text("En cours")
        assert page.evaluate("window.scrollY") > 0
    finally:
        context.close()


def test_touch_targets_of_the_day_and_the_person_s_record(live_server, phone390):
    page = phone390
    sign_in(page, live_server, "paul.infirmier")
    page.goto(f"{live_server}/agenda/ma-journee")
    assert _small_targets(page, "main ol.ag-day a, main ol.ag-day button, .ag-daynav a") == []
    write = page.get_by_role("link", name="Écrire une transmission").first
    expect(write).to_be_visible()
    person = page.locator("ol.ag-day a[href^='/personnes/'][href$='/transmissions']").first
    href = person.get_attribute("href").rsplit("/", 1)[0]
    page.goto(f"{live_server}{href}")
    new = page.get_by_role("link", name="Nouvelle transmission").first
    expect(new).to_be_visible()
    assert new.bounding_box()["y"] < PHONE["height"], (
        "« Nouvelle transmission » in the first screen"
    )
    selector = "main button, main .button, main a[href^='tel:'], main summary"
    assert _small_targets(page, selector) == []

"""The menu by role on a phone (390 × 844) and the home by role, in a real browser (issue 17).

For every demo role: the strip holds at most five entries (« Plus » included), nothing overflows
sideways, every entry is a 44-pixel target; « Transmissions » is in a nurse's strip; « Plus »
opens without JavaScript; axe-core finds no serious violation on the pages with the menu open.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in

PHONE = {"width": 390, "height": 844}
AXE = Path(__file__).resolve().parents[1] / "docs" / "vendor" / "axe.min.js"
ROLES = [
    "admin.reseau",
    "claire.direction",
    "dpo.reseau",
    "ines.coordination",
    "paul.infirmier",
    "sophie.matin",
    "lea.secretariat",
    "karim.aide",
    "julie.social",
    "thomas.idec",
    "sarah.sortie",
    "dr.morel",
    "helene.teleconsult",
    "sylvie.accueil",
]


@pytest.fixture
def phone_page(browser):
    # bypass_csp: axe-core is injected as an inline script, which Virage's policy refuses
    context = browser.new_context(
        viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris", bypass_csp=True
    )
    yield context.new_page()
    context.close()


def _strip(page) -> list[str]:
    nav = page.get_by_role("navigation", name="Navigation principale")
    links = nav.locator(":scope > ul > li:visible > a, :scope > ul > li.nav-more:visible summary")
    return [text.strip() for text in links.all_inner_texts()]


def _serious(page) -> list[tuple]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} est absent : lancez ./scripts/fetch-assets")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, { resultTypes: ['violations'] })")
    return [
        (v["id"], v["impact"], v["nodes"][0]["target"], v["help"])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("username", ROLES)
def test_the_menu_fits_a_phone_for_every_role(live_server, phone_page, username):
    page = phone_page
    sign_in(page, live_server, username)
    strip = _strip(page)
    assert 1 <= len(strip) <= 5, strip
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{username}: {width}px wide on a phone"
    nav = page.get_by_role("navigation", name="Navigation principale")
    for link in nav.locator(":scope > ul > li:visible > a, summary").all():
        box = link.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44, (username, link.inner_text())
    if "Plus" in strip:
        nav.get_by_text("Plus", exact=True).click()
        more = nav.locator(".nav-more ul a")
        expect(more.first).to_be_visible()
        for link in more.all():
            assert link.bounding_box()["height"] >= 44
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        assert _serious(page) == [], username


def test_a_nurse_has_transmissions_in_her_strip_and_lands_on_her_day(live_server, phone_page):
    page = phone_page
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Identifiant").fill("paul.infirmier")
    page.get_by_label("Mot de passe").fill("demo-virage-2026")
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{live_server}/agenda/ma-journee")
    strip = _strip(page)
    assert strip[:3] == ["Ma journée", "Agenda", "Transmissions"] and strip[-1] == "Plus"
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav.get_by_role("link", name="Transmissions")).to_be_visible()
    for absent in ("API", "Bonjour", "Administration"):
        expect(nav.locator(":scope > ul > li:visible > a", has_text=absent)).to_have_count(0)


def test_the_coordinator_lands_on_what_needs_her(live_server, phone_page):
    page = phone_page
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Identifiant").fill("ines.coordination")
    page.get_by_label("Mot de passe").fill("demo-virage-2026")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce qui vous attend")
    expect(page.get_by_role("heading", name="L'équipe aujourd'hui").first).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert _serious(page) == []


def test_anonymous_sees_only_the_public_entries(live_server, phone_page):
    page = phone_page
    page.goto(live_server + "/")
    assert _strip(page) == ["Documentation"]
    assert _serious(page) == []

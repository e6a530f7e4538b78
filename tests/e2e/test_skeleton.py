"""End-to-end: the home page on a phone, the example plugin, the docs search, the API page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.browser


def _outside_requests(page, base):
    seen = []
    page.on("request", lambda r: seen.append(r.url))

    def outside():
        return [u for u in seen if not (u.startswith(base) or u.startswith(("data:", "blob:")))]

    return outside


def test_home_in_french_on_a_phone(live_server, phone):
    page = phone.new_page()
    outside = _outside_requests(page, live_server)
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue sur Virage")
    expect(page.get_by_role("navigation", name="Navigation principale")).to_be_visible()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 376, f"horizontal scroll on a phone: {width}px"
    assert outside() == []


def test_hello_plugin_page_and_nav_item(live_server, phone):
    page = phone.new_page()
    page.goto(live_server + "/hello/")
    # The example plugin teaches authentication: no anonymous page, no entry in her menu.
    expect(page).to_have_url(re.compile(r"/connexion\?suivant=/hello"))
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav.get_by_role("link", name="Bonjour")).to_have_count(0)
    sign_in(page, live_server, "paul.infirmier")  # a nurse holds hello.greet: the entry shows
    nav.get_by_text("Plus", exact=True).click()
    nav.get_by_role("link", name="Bonjour").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour depuis un plugin")


def test_docs_search_finds_a_page(live_server, page):
    page.goto(live_server + "/docs/")
    page.get_by_role("textbox", name="Rechercher").first.click()
    page.keyboard.type("plugin")
    result = page.locator(".md-search-result__item").filter(has_text="Écrire un plugin")
    expect(result.first).to_be_visible(timeout=15000)
    result.first.locator("a").first.click()
    # Material adds ?h=<terms> to highlight the search terms on the page
    expect(page).to_have_url(
        re.compile(re.escape(f"{live_server}/docs/developpeurs/ecrire-un-plugin/") + r"(\?h=.*)?$"),
        timeout=10000,
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Écrire un")


def test_architecture_diagram_renders_offline(live_server, page):
    outside = _outside_requests(page, live_server)
    page.goto(live_server + "/docs/developpeurs/architecture/")
    diagram = page.locator("div.mermaid").first
    expect(diagram).to_be_visible()
    page.wait_for_function(
        "() => { const d = document.querySelector('div.mermaid');"
        " return d && d.getBoundingClientRect().height > 100; }",
        timeout=15000,
    )
    assert outside() == []


def test_api_page_works_offline(live_server, page):
    outside = _outside_requests(page, live_server)
    page.goto(live_server + "/schema/")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("API Virage", timeout=15000)
    expect(page.get_by_text("/api/v1/plugins").first).to_be_visible()
    assert outside() == []

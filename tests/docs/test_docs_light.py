"""The documentation is light on a weak network: every page under 500 kB from a cold cache.

Weight = every byte the server sends while Chromium opens a page in a fresh context (no cache)
and until the network is idle: HTML, CSS, JavaScript, pictures, fonts, the search index if it
were asked for. The server does not compress, as the application's /docs. mermaid (3.5 MB) is
never downloaded: diagrams are drawn at build time (docs/overrides/diagrams.py); when the build
could not draw them, docs/javascripts/on-demand.js loads mermaid on the pages that need it only,
instant navigation included, from the site itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 500_000
MERMAID = "/javascripts/vendor/mermaid.min.js"
SEARCH_INDEX = "/search/search_index.json"
SEARCH_WORKER = re.compile(r"/assets/javascripts/workers/search\.[^/]+\.js$")
AUTODIAG_SCRIPT = "/javascripts/autodiagnostic.js"
AUTODIAG = "boite-a-outils/autodiagnostic/"


def test_every_page_weighs_under_500_kb_cold(browser: Browser, counting_docs, docs_pages):
    """On a computer's screen; test_docs_phone.py weighs them again on a phone's."""
    weights = {}
    heavy_assets = []
    for path in docs_pages:
        sent, asked, _ = counting_docs.cold_load(browser, path, {"width": 1280, "height": 720})
        weights[path] = sent
        heavy_assets += [
            (path or "/", asset)
            for asset in asked
            if asset in (MERMAID, SEARCH_INDEX)
            or SEARCH_WORKER.search(asset)
            or (asset == AUTODIAG_SCRIPT and path != AUTODIAG)
        ]
    assert len(weights) >= 30
    over = {path or "/": f"{sent / 1000:.0f} kB" for path, sent in weights.items() if sent > BUDGET}
    heaviest = max(weights, key=weights.get)
    assert not over, f"pages over {BUDGET / 1000:.0f} kB from a cold cache: {over}"
    assert not heavy_assets, f"loaded without being needed (page, file): {heavy_assets[:10]}"
    # The budget is met by pages that are actually complete: the heaviest still has its content.
    assert weights[heaviest] > 100_000


def test_search_index_is_downloaded_when_the_reader_searches(page: Page, counting_docs):
    counting_docs.reset()
    page.goto(counting_docs.url + "boite-a-outils/")
    page.wait_for_load_state("networkidle")
    _, asked = counting_docs.take()
    assert SEARCH_INDEX not in asked
    assert not any(SEARCH_WORKER.search(path) for path in asked)

    page.locator("input.md-search__input").click()
    expect(page.locator(".md-search-result__meta")).to_have_text(
        re.compile("Taper"), timeout=15_000
    )
    page.locator("input.md-search__input").press_sequentially("tablettes", delay=20)
    result = page.locator(".md-search-result__list a[href*='tablettes']")
    expect(result.first).to_be_attached(timeout=15_000)
    _, asked = counting_docs.take()
    assert asked.count(SEARCH_INDEX) == 1
    assert sum(1 for path in asked if SEARCH_WORKER.search(path)) == 1


def test_search_from_an_address_with_a_query_starts_at_once(page: Page, counting_docs):
    counting_docs.reset()
    page.goto(counting_docs.url + "?q=t%C3%A9l%C3%A9gestion")
    result = page.locator(".md-search-result__list a[href*='telegestion']")
    expect(result.first).to_be_attached(timeout=15_000)
    assert SEARCH_INDEX in counting_docs.take()[1]


# ------------------------------------------------------------------------------------------------
# Diagrams
# ------------------------------------------------------------------------------------------------


def mermaid_blocks() -> int:
    fence = re.compile(r"^\s*```mermaid\s*$", re.M)
    return sum(
        len(fence.findall(path.read_text(encoding="utf-8")))
        for path in (ROOT / "docs").rglob("*.md")
        if "overrides" not in path.parts
    )


def test_diagrams_are_drawn_at_build_time(page: Page, counting_docs, built_docs: Path):
    drawn = {
        index.parent.relative_to(built_docs).as_posix(): index.read_text(encoding="utf-8").count(
            'class="mermaid virage-schema"'
        )
        for index in built_docs.rglob("index.html")
    }
    pages = sorted(path for path, count in drawn.items() if count)
    assert sum(drawn.values()) == mermaid_blocks() > 0
    left = [p for p in built_docs.rglob("index.html") if '<pre class="mermaid">' in p.read_text()]
    assert not left, f"diagrams left to the browser: {left}"

    for path in pages:
        counting_docs.reset()
        page.goto(f"{counting_docs.url}{'' if path == '.' else path + '/'}")
        page.wait_for_load_state("networkidle")
        for diagram in page.locator("div.virage-schema").all():
            diagram.scroll_into_view_if_needed()
            expect(diagram.locator("svg")).to_be_visible()
            box = diagram.locator("svg").bounding_box()
            assert box and box["width"] > 50 and box["height"] > 50, f"empty diagram on {path}"
            # Real text, not boxes alone: at least one label of the diagram is drawn.
            assert diagram.locator("svg text").count() > 0
        assert MERMAID not in counting_docs.take()[1]


INSTANT = '"features": ["navigation.instant", '


def instant_navigation(page: Page, base: str, *, add_diagram_to: str | None = None) -> None:
    """Turn Material's instant navigation on in the pages' settings, as if mkdocs.yml had it.

    Material follows links instantly only to the addresses of sitemap.xml (it adapts their host,
    not their port nor their path): the site's address (site_url) becomes the test server's.
    """
    site_url = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M)[1]

    def serve_page(route):
        response = route.fetch()
        body = response.text().replace('"features": [', INSTANT, 1)
        if add_diagram_to and route.request.url.endswith(add_diagram_to):
            body = body.replace("</h1>", "</h1>" + DIAGRAM, 1)
        route.fulfill(response=response, body=body)

    def serve_sitemap(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(site_url, base))

    page.route(re.compile(r".*/$"), serve_page)
    page.route(re.compile(r".*/sitemap\.xml$"), serve_sitemap)


DIAGRAM = """<pre class="mermaid"><code>flowchart LR
    A["Demande"] --&gt; B["Réponse"]</code></pre>"""


def test_diagrams_left_to_the_browser_load_mermaid_only_where_needed_even_with_instant_navigation(
    page: Page, counting_docs
):
    """The fallback when the build could not draw: Material draws ``pre.mermaid`` with the
    vendored mermaid that on-demand.js loads, with instant navigation on (turned on here by
    rewriting the pages' settings) and nothing asked outside the site."""
    target = "boite-a-outils/glossaire/"
    outside: list[str] = []
    instant_navigation(page, counting_docs.url, add_diagram_to=target)
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((counting_docs.url, "data:", "blob:"))
            else None
        ),
    )
    counting_docs.reset()
    page.goto(counting_docs.url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.mermaid && typeof window.mermaid.render") == "function"
    assert MERMAID not in counting_docs.take()[1]

    page.evaluate("window.__sameDocument = true")
    page.locator(f"nav.md-nav--primary a[href$='{target}']").first.click()
    expect(page).to_have_url(counting_docs.url + target)
    diagram = page.locator("article div.mermaid").first
    expect(diagram).to_be_visible(timeout=30_000)
    box = diagram.bounding_box()
    assert box and box["width"] > 50 and box["height"] > 20
    assert page.evaluate("window.__sameDocument") is True, "not an instant navigation"
    assert counting_docs.take()[1].count(MERMAID) == 1

    # Back and forth: the library is not downloaded again.
    page.go_back()
    expect(page).to_have_url(counting_docs.url)
    page.locator(f"nav.md-nav--primary a[href$='{target}']").first.click()
    expect(page.locator("article div.mermaid").first).to_be_visible(timeout=30_000)
    assert counting_docs.take()[1].count(MERMAID) == 1
    assert not outside, f"requests leaving the site: {outside[:5]}"


def test_autodiagnostic_script_is_loaded_on_its_page_after_an_instant_navigation(
    page: Page, counting_docs
):
    instant_navigation(page, counting_docs.url)
    counting_docs.reset()
    page.goto(counting_docs.url + "boite-a-outils/")
    page.wait_for_load_state("networkidle")
    assert AUTODIAG_SCRIPT not in counting_docs.take()[1]
    page.evaluate("window.__sameDocument = true")
    page.locator(f"article a[href$='{AUTODIAG.split('/')[1]}/']").first.click()
    expect(page).to_have_url(counting_docs.url + AUTODIAG)
    expect(page.locator("#autodiag-form input[type=radio]").first).to_be_attached()
    assert page.evaluate("window.__sameDocument") is True
    assert counting_docs.take()[1].count(AUTODIAG_SCRIPT) == 1

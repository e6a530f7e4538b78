"""Every page of the documentation on a phone (390 × 844): light, nothing cut off or pushing the
page sideways; a wide table or diagram scrolls inside its own box, which the keyboard can reach.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
BUDGET = 500_000

#: What sticks out of the screen in the article, outside a box that scrolls sideways and fits.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (["auto", "scroll"].includes(style.overflowX)
          && box.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll("article.md-content__inner *")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.height > 0 && (box.right > width + 1 || box.left < -1)
        && !scrolls(el)) {
      out.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(box.left)}…${Math.round(box.right)} px)`);
    }
  }
  return { page: document.scrollingElement.scrollWidth, width, out: out.slice(0, 5) };
}"""

#: Boxes that scroll sideways and cannot take the keyboard's focus.
UNREACHABLE = """() => [...document.querySelectorAll("article.md-content__inner *")]
  .filter(el => ["auto", "scroll"].includes(getComputedStyle(el).overflowX)
    && el.scrollWidth > el.clientWidth + 1 && el.tabIndex < 0
    && !el.querySelector("a, button, input, select, textarea, [tabindex]"))
  .map(el => `${el.tagName.toLowerCase()}.${el.className}`)"""


def test_every_page_fits_a_phone_and_weighs_under_500_kb(
    browser: Browser, counting_docs, docs_pages
):
    def inspect(page: Page):
        return page.evaluate(STICKING_OUT), page.evaluate(UNREACHABLE)

    broken, unreachable, heavy = {}, {}, {}
    for path in docs_pages:
        sent, _, (layout, boxes) = counting_docs.cold_load(browser, path, PHONE, inspect)
        name = path or "/"
        if layout["page"] > layout["width"] or layout["out"]:
            broken[name] = layout
        if boxes:
            unreachable[name] = boxes
        if sent > BUDGET:
            heavy[name] = f"{sent / 1000:.0f} kB"
    assert len(docs_pages) >= 30
    assert not broken, f"pages wider than a phone (page width, what sticks out): {broken}"
    assert not unreachable, f"boxes scrolling sideways out of the keyboard's reach: {unreachable}"
    assert not heavy, f"pages over {BUDGET / 1000:.0f} kB from a cold cache on a phone: {heavy}"


def first_page_with(built_docs, marker: str) -> str:
    return next(
        index.parent.relative_to(built_docs).as_posix() + "/"
        for index in sorted(built_docs.rglob("index.html"))
        if marker in index.read_text(encoding="utf-8")
    )


def test_wide_diagrams_stay_readable_and_scroll_in_their_own_box(
    page: Page, docs_url: str, built_docs
):
    page.set_viewport_size(PHONE)
    page.goto(docs_url + first_page_with(built_docs, "virage-schema-largeur"))
    for diagram in page.locator("div.virage-schema").all():
        diagram.scroll_into_view_if_needed()
        natural = float(
            diagram.evaluate("d => d.style.getPropertyValue('--virage-schema-largeur')")[:-2]
        )
        drawn = diagram.locator("svg").bounding_box()["width"]
        # Readable: at least three quarters of its natural size.
        assert drawn >= natural * 0.75 - 1
        if drawn > diagram.bounding_box()["width"] + 1:
            expect(diagram).to_have_attribute("tabindex", "0")
            diagram.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function("d => d.scrollLeft > 0", arg=diagram.element_handle())
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_a_wide_table_scrolls_in_its_own_box(page: Page, docs_url: str, built_docs):
    page.set_viewport_size(PHONE)
    page.goto(docs_url + first_page_with(built_docs, "<table>"))
    # Made too wide for any phone: one cell of 400 letters that cannot wrap.
    page.evaluate(
        """() => {
        const cell = document.querySelector("article table td");
        cell.textContent = "x".repeat(400);
        cell.style.whiteSpace = "nowrap";
        window.dispatchEvent(new Event("resize"));
    }"""
    )
    box = page.locator(".md-typeset__scrollwrap", has=page.locator("td", has_text="x" * 400))
    expect(box).to_have_attribute("tabindex", "0")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    table = box.locator("table").bounding_box()
    assert table["x"] + table["width"] > PHONE["width"]  # wider than the screen, yet contained

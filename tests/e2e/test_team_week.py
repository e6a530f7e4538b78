"""Issue 18: the team week fits at 1366 px (Sunday visible, nothing clipped), reads day by day on
a phone, and marks « aujourd'hui »."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.browser


def _open_week(page, live_server):
    sign_in(page, live_server, "ines.coordination")
    page.goto(f"{live_server}/agenda")
    page.get_by_role("link", name="Semaine de l'équipe").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Semaine de l'équipe")


def test_team_week_fits_at_1366_with_sunday_and_today(live_server, browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")
    page = ctx.new_page()
    _open_week(page, live_server)
    grid = page.locator(".ag-weekgrid")
    expect(grid).to_be_visible()
    sunday = page.locator("table.ag-week thead th").last
    expect(sunday).to_contain_text("dim.")
    expect(sunday).to_be_in_viewport(ratio=1)
    box = sunday.bounding_box()
    assert box["x"] + box["width"] <= 1366
    # no horizontal scroll anywhere: neither in the grid nor on the page
    assert grid.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    today = page.locator('table.ag-week thead th[aria-current="date"]')
    expect(today).to_have_count(1)
    expect(today).to_contain_text("aujourd'hui")
    expect(page.locator(".ag-weeklist")).to_be_hidden()
    ctx.close()


def test_team_week_on_a_phone_is_a_day_by_day_list(live_server, browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = ctx.new_page()
    _open_week(page, live_server)
    expect(page.locator(".ag-weekgrid")).to_be_hidden()
    days = page.locator(".ag-weeklist section")
    expect(days).to_have_count(7)
    expect(days.last).to_contain_text("dimanche", ignore_case=True)
    marked = page.locator(".ag-weeklist section.ag-today")
    expect(marked).to_have_count(1)
    expect(marked.get_by_role("heading")).to_contain_text("aujourd'hui")
    page.locator(".ag-daylinks a").last.click()
    expect(days.last).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    ctx.close()

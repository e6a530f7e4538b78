"""In Chromium, the main pages, the API page and the documentation run under their
Content-Security-Policy without a single violation, and what moved out of inline code still works:
the directory refreshes while typing, the orientation pages keep their style, the error page's
« Revenir en arrière » goes back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import query, sign_in

pytestmark = pytest.mark.browser

#: Records every violation the browser reports, from the first byte of each page.
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") +
    " " + (e.sourceFile || "") + ":" + (e.lineNumber || ""));
});
"""


@pytest.fixture
def watched(browser):
    """A page whose console errors, uncaught errors and CSP violations are collected."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.add_init_script(WATCH)
    page = context.new_page()
    problems: list[str] = []

    def console(message) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and where == page.url:
            return  # the status of the page itself (a 404 page is visited on purpose)
        problems.append(f"console: {message.text} ({where})")

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    yield page, problems
    context.close()


def _visit(page, problems: list[str], url: str) -> None:
    response = page.goto(url)
    if "content-security-policy" not in response.headers:
        problems.append(f"{url}: no Content-Security-Policy")
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__cspViolations")
    problems.extend(f"{url}: CSP {v}" for v in violations)


def _first(server_env, sql: str, *params) -> int:
    rows = query(server_env, sql, params)
    assert rows, sql
    return rows[0][0]


def test_main_pages_run_without_csp_violation(live_server, server_env, watched):
    page, problems = watched
    person = _first(
        server_env,
        "SELECT p.id FROM persons p JOIN care_team c ON c.person_id = p.id"
        " JOIN users u ON u.id = c.user_id WHERE u.username = ? ORDER BY p.id",
        "paul.infirmier",
    )
    sign_in(page, live_server, "paul.infirmier")
    for path in (
        "/",
        "/moi",
        "/agenda",
        "/agenda/ma-journee",
        "/transmissions",
        "/transmissions/urgentes",
        f"/personnes/{person}",
        f"/personnes/{person}/transmissions",
        f"/personnes/{person}/transmissions/nouvelle",
        f"/personnes/{person}/transmissions/impression",
        "/annuaire",
        "/plugins",
        "/hello",
        "/nulle-part",
    ):
        _visit(page, problems, live_server + path)
    assert not problems, "\n".join(problems)


def test_plugin_pages_run_without_csp_violation(live_server, server_env, watched):
    page, problems = watched
    sign_in(page, live_server, "sarah.sortie")
    _visit(page, problems, live_server + "/orientation")
    _visit(page, problems, live_server + "/orientation/nouvelle")
    # The orientation pages' own style (an inline <style> with the nonce) is applied.
    checks = page.locator(".or-check")
    if checks.count():
        assert checks.first.evaluate("e => getComputedStyle(e).display") == "flex"
    page.context.clear_cookies()
    sign_in(page, live_server, "helene.teleconsult")
    _visit(page, problems, live_server + "/teleconsultation/")
    session = _first(server_env, "SELECT id FROM teleconsultations WHERE status = 'in_progress'")
    _visit(page, problems, f"{live_server}/teleconsultation/{session}")
    expect(page.locator("#tc-video")).to_be_visible()
    assert not problems, "\n".join(problems)


def test_api_page_and_docs_run_under_their_own_policy(live_server, watched):
    page, problems = watched
    _visit(page, problems, live_server + "/schema/")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("API Virage", timeout=15000)
    page.locator(".opblock-summary").first.click()  # Swagger UI reacts to clicks
    expect(page.locator(".opblock-body").first).to_be_visible()
    _visit(page, problems, live_server + "/docs/")
    expect(page.locator(".md-header")).to_be_visible()
    _visit(page, problems, live_server + "/docs/developpeurs/architecture/")
    page.wait_for_function(
        "() => { const d = document.querySelector('div.mermaid');"
        " return d && d.getBoundingClientRect().height > 100; }",
        timeout=15000,
    )
    page.get_by_role("textbox", name="Rechercher").first.click()
    page.keyboard.type("plugin")
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
    problems.extend(f"docs search: CSP {v}" for v in page.evaluate("window.__cspViolations"))
    assert not problems, "\n".join(problems)


def test_moved_scripts_still_work(live_server, watched):
    page, problems = watched
    sign_in(page, live_server, "lea.secretariat")
    _visit(page, problems, live_server + "/annuaire")
    page.get_by_label("Nom, catégorie, commune ou numéro FINESS").press_sequentially(
        "ehpad", delay=20
    )
    # directory-search.js refreshes the results and the address without a submit.
    refreshed = re.compile(re.escape(f"{live_server}/annuaire?q=ehpad") + r"(&.*)?$")
    expect(page).to_have_url(refreshed, timeout=10000)
    expect(page.locator("#resultats")).to_contain_text("EHPAD")
    # The error page goes back to where the person came from.
    _visit(page, problems, live_server + "/nulle-part")
    page.get_by_role("link", name="Revenir en arrière").click()
    expect(page).to_have_url(refreshed)
    assert not problems, "\n".join(problems)

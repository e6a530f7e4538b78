"""The documentation site in a real browser (Chromium through pytest-playwright).

The site is built strictly and served on 127.0.0.1 by the ``built_docs`` / ``docs_url`` session
fixtures of tests/conftest.py. Run with::

    .venv/bin/pytest tests/docs -q -m browser -p no:cacheprovider
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AUTODIAG = "boite-a-outils/autodiagnostic/"
STORAGE_KEY = "virage-autodiagnostic-v1"


def percent(values: list[int]) -> int | None:
    """The page's formula: round half up of sum * 25 / count (a percentage of the maximum 4)."""
    if not values:
        return None
    return math.floor(sum(values) * 25 / len(values) + 0.5)


def read_questions(page: Page) -> list[dict[str, str]]:
    """Question ids with their axis and category, read from the radio buttons of the form."""
    return page.eval_on_selector_all(
        "#autodiag-form input[type=radio][data-question][value='0']",
        """inputs => inputs.map(i => ({
            id: i.dataset.question, axe: i.dataset.axe, categorie: i.dataset.categorie }))""",
    )


def answer_all(page: Page, questions: list[dict[str, str]]) -> dict[str, int]:
    """Answer every question with a varied but reproducible value; return the answers."""
    answers = {}
    for index, question in enumerate(questions):
        value = (index * 3 + len(question["axe"])) % 5
        page.check(f'input[name="q-{question["id"]}"][value="{value}"]')
        answers[question["id"]] = value
    return answers


def expected_scores(questions, answers) -> tuple[dict, dict, int]:
    """Per-axis score for each category and for "ensemble", and the overall score."""
    by_cell: dict[tuple[str, str], list[int]] = defaultdict(list)
    for question in questions:
        value = answers[question["id"]]
        by_cell[(question["categorie"], question["axe"])].append(value)
        by_cell[("ensemble", question["axe"])].append(value)
    per_category = {cell: percent(values) for cell, values in by_cell.items()}
    axes = sorted({q["axe"] for q in questions})
    per_axis = {axe: per_category[("ensemble", axe)] for axe in axes}
    overall = percent(list(answers.values()))
    return per_axis, per_category, overall


def parse_points(points: str) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in points.split()]


# ------------------------------------------------------------------------------------------------
# Self-assessment
# ------------------------------------------------------------------------------------------------


def test_autodiagnostic_scores_radar_and_downloads(page: Page, docs_url: str, tmp_path: Path):
    page.goto(docs_url + AUTODIAG)
    questions = read_questions(page)
    axes = sorted({q["axe"] for q in questions})
    categories = sorted({q["categorie"] for q in questions})
    assert len(questions) >= 24 and len(axes) >= 5 and len(categories) == 4

    # Accessible markup: one fieldset with a legend per question, a label for every radio.
    assert page.locator("fieldset.autodiag-question").count() == len(questions)
    assert page.locator("fieldset.autodiag-question > legend").count() == len(questions)
    unlabelled = page.eval_on_selector_all(
        "#autodiag-form input[type=radio]",
        "inputs => inputs.filter(i => !i.labels || i.labels.length === 0).length",
    )
    assert unlabelled == 0

    answers = answer_all(page, questions)
    per_axis, per_category, overall = expected_scores(questions, answers)

    page.click("#autodiag-calculer")
    results = page.locator("#autodiag-resultats")
    expect(results).to_be_visible()

    # Per-axis scores ("Ensemble" column) and per category.
    for axe, score in per_axis.items():
        cell = results.locator(f'td[data-axe="{axe}"][data-categorie="ensemble"]')
        expect(cell).to_have_attribute("data-score", str(score))
        assert re.match(rf"^{score}\D", cell.inner_text())
    for (categorie, axe), score in per_category.items():
        cell = results.locator(f'td[data-axe="{axe}"][data-categorie="{categorie}"]')
        expect(cell).to_have_attribute("data-score", str(score))
    expect(page.locator("#autodiag-score-global")).to_have_attribute("data-score", str(overall))

    # Radar: one polygon per category plus the total, each with one vertex per axis, at the
    # right distance from the centre (the 100 % ring gives the scale).
    radar = page.locator("svg#autodiag-radar")
    expect(radar).to_be_visible()
    series = radar.locator("polygon.autodiag-serie")
    assert series.count() == len(categories) + 1
    for i in range(series.count()):
        assert len(parse_points(series.nth(i).get_attribute("points"))) == len(axes)
    assert radar.locator("text.autodiag-etiquette").count() == len(axes)
    outer = parse_points(radar.locator("polygon.autodiag-anneau").last.get_attribute("points"))
    centre = (sum(x for x, _ in outer) / len(outer), sum(y for _, y in outer) / len(outer))
    full = math.dist(centre, outer[0])
    total = parse_points(
        radar.locator('polygon.autodiag-serie[data-serie="ensemble"]').get_attribute("points")
    )
    axis_order = page.eval_on_selector_all(
        "svg#autodiag-radar text.autodiag-etiquette", "els => els.map(e => e.dataset.axe)"
    )
    for axe, vertex in zip(axis_order, total, strict=True):
        assert math.dist(centre, vertex) / full == pytest.approx(per_axis[axe] / 100, abs=0.005)

    # Download (CSV): a file built in the browser that carries the same scores.
    with page.expect_download() as download_info:
        page.click("#autodiag-telecharger")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    csv_path = tmp_path / download.suggested_filename
    download.save_as(csv_path)
    rows = [line.split(";") for line in csv_path.read_text(encoding="utf-8-sig").splitlines()]
    header = next(row for row in rows if row and row[0] == "axe_id")
    assert header[-1] == "Ensemble"
    csv_scores = {row[0]: int(row[-1]) for row in rows if row and row[0] in per_axis}
    assert csv_scores == per_axis
    global_row = next(row for row in rows if row and row[0] == "global")
    assert int(global_row[-1]) == overall

    # Download (JSON): scores and every answer.
    with page.expect_download() as download_info:
        page.click("#autodiag-telecharger-json")
    json_path = tmp_path / "resultat.json"
    download_info.value.save_as(json_path)
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["scores"]["ensemble"] == per_axis
    assert data["score_global"] == overall
    assert {r["id"]: r["valeur"] for r in data["reponses"]} == answers


def test_autodiagnostic_keeps_answers_until_erased(page: Page, docs_url: str):
    page.goto(docs_url + AUTODIAG)
    questions = read_questions(page)[:5]
    for question in questions:
        page.check(f'input[name="q-{question["id"]}"][value="3"]')
    page.fill("#autodiag-structure", "SSIAD des Tilleuls")

    page.reload()
    checked = page.locator("#autodiag-form input[type=radio]:checked")
    expect(checked).to_have_count(len(questions))
    expect(page.locator("#autodiag-structure")).to_have_value("SSIAD des Tilleuls")
    expect(page.locator("#autodiag-statut")).to_contain_text("rechargées")

    # Partial answers still give a result; categories with missing axes are not drawn.
    page.click("#autodiag-calculer")
    expect(page.locator("#autodiag-score-global")).to_have_attribute("data-score", "75")
    expect(page.locator("#autodiag-resultats")).to_contain_text("SSIAD des Tilleuls")

    page.click("#autodiag-effacer")
    expect(checked).to_have_count(0)
    expect(page.locator("#autodiag-resultats")).to_be_hidden()
    assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") is None
    page.reload()
    expect(page.locator("#autodiag-form input[type=radio]:checked")).to_have_count(0)


def test_autodiagnostic_prints_only_the_results(page: Page, docs_url: str):
    page.goto(docs_url + AUTODIAG)
    for question in read_questions(page):
        page.check(f'input[name="q-{question["id"]}"][value="2"]')
    page.click("#autodiag-calculer")
    page.emulate_media(media="print")
    expect(page.locator("#autodiag-form")).to_be_hidden()
    expect(page.locator("#autodiag-resultats")).to_be_visible()
    expect(page.locator("svg#autodiag-radar")).to_be_visible()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()


# ------------------------------------------------------------------------------------------------
# Glossary tooltips and search
# ------------------------------------------------------------------------------------------------


def abbreviation_titles() -> dict[str, str]:
    lines = (ROOT / "includes" / "abbreviations.md").read_text(encoding="utf-8").splitlines()
    pairs = (re.match(r"^\*\[([^\]]+)\]:\s*(.+)$", line) for line in lines)
    return {m[1]: m[2].strip() for m in pairs if m}


def test_abbreviations_show_a_tooltip(page: Page, docs_url: str):
    titles = abbreviation_titles()
    page.goto(docs_url + "boite-a-outils/a-qui-s-adresser/")
    abbr = page.locator("article abbr", has_text=re.compile(r"^ESMS$")).first
    expect(abbr).to_be_visible()
    # Material's content.tooltips may move the title into its own tooltip component; the native
    # title is then kept in a data attribute. Accept either, with the glossary's expansion.
    title = abbr.get_attribute("title") or abbr.get_attribute("data-title") or ""
    assert title == titles["ESMS"]
    abbr.hover()
    tooltip = page.locator(".md-tooltip2, .md-tooltip", has_text=titles["ESMS"])
    expect(tooltip.first).to_be_visible()


def test_search_finds_the_telegestion_playbook(page: Page, docs_url: str):
    page.goto(docs_url + "boite-a-outils/")
    search = page.locator("input.md-search__input")
    search.click()
    expect(search).to_be_focused()
    # Wait until the search worker has loaded the index ("Initialisation…" -> "Taper pour…"),
    # then type like a user: Material reacts to key events, not to a programmatic fill().
    expect(page.locator(".md-search-result__meta")).to_have_text(
        re.compile("Taper"), timeout=15_000
    )
    search.press_sequentially("télégestion", delay=20)
    result = page.locator(".md-search-result__list a[href*='playbooks/telegestion/']")
    expect(result.first).to_be_attached(timeout=15_000)


# ------------------------------------------------------------------------------------------------
# The whole site: nothing from outside, diagrams render, readable on a phone
# ------------------------------------------------------------------------------------------------


def site_pages(built_docs: Path, docs_url: str) -> list[str]:
    pages = []
    for index in sorted(built_docs.rglob("index.html")):
        relative = index.parent.relative_to(built_docs).as_posix()
        pages.append(docs_url if relative == "." else f"{docs_url}{relative}/")
    return pages


def test_no_page_requests_anything_outside_the_site(page: Page, built_docs: Path, docs_url: str):
    requests: list[tuple[str, str]] = []
    errors: list[tuple[str, str]] = []
    current = {"url": ""}
    page.on("request", lambda request: requests.append((current["url"], request.url)))
    page.on("pageerror", lambda error: errors.append((current["url"], str(error))))

    urls = site_pages(built_docs, docs_url)
    assert len(urls) >= 10
    mermaid_pages = []
    for url in urls:
        current["url"] = url
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        if page.locator("pre.mermaid, div.mermaid").count():
            mermaid_pages.append(url)
            diagram = page.locator("div.mermaid").first
            expect(diagram).to_be_visible(timeout=10_000)
            box = diagram.bounding_box()
            assert box and box["width"] > 50 and box["height"] > 50, f"mermaid not drawn on {url}"

    outside = [
        (origin, url)
        for origin, url in requests
        if not url.startswith(docs_url) and not url.startswith(("data:", "blob:"))
    ]
    assert not outside, f"requests leaving the site (page, url): {outside[:10]}"
    assert not errors, f"JavaScript errors (page, message): {errors[:10]}"
    assert mermaid_pages, "no page with a mermaid diagram was found"


@pytest.mark.parametrize(
    "path", ["", "boite-a-outils/autodiagnostic/", "boite-a-outils/glossaire/"]
)
def test_pages_fit_a_phone_screen(page: Page, docs_url: str, path: str):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(docs_url + path)
    if path == "boite-a-outils/autodiagnostic/":
        for question in read_questions(page):
            page.check(f'input[name="q-{question["id"]}"][value="1"]')
        page.click("#autodiag-calculer")
        expect(page.locator("svg#autodiag-radar")).to_be_visible()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 375 + 1, f"horizontal scroll on {path or 'the home page'}: {width}px"

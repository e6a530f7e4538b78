"""Accessibility of the documentation: axe-core on a sample of pages, on a computer's screen and a
phone's, fails on any serious or critical violation (colour contrast included); every task-list
checkbox of the site is named by its item's text, without JavaScript.

axe-core is fetched by scripts/fetch-assets (``npm pack axe-core``) into tests/docs/vendor/.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

SCREENS = {"ordinateur": {"width": 1280, "height": 720}, "telephone": {"width": 390, "height": 844}}
AUTODIAG = "boite-a-outils/autodiagnostic/"


def pick(built_docs: Path, section: str, marker: str) -> str:
    """The first page of a section (not its index) whose HTML holds ``marker``."""
    for index in sorted((built_docs / section).glob("*/index.html")):
        if marker in index.read_text(encoding="utf-8"):
            return index.parent.relative_to(built_docs).as_posix() + "/"
    pytest.fail(f"aucune page de {section}/ ne contient {marker!r}")


SAMPLE = {
    "accueil": lambda site: "",
    "levier": lambda site: pick(site, "leviers", "task-list-control"),
    "playbook": lambda site: pick(site, "playbooks", "task-list-control"),
    "guide": lambda site: pick(site, "guides", "<img"),
    "glossaire": lambda site: "boite-a-outils/glossaire/",
    "schema": lambda site: next(
        index.parent.relative_to(site).as_posix() + "/"
        for index in sorted(site.rglob("index.html"))
        if "virage-schema" in index.read_text(encoding="utf-8")
    ),
    "autodiagnostic": lambda site: AUTODIAG,
}


def violations(page: Page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("axe.run(document, { resultTypes: ['violations'] })")
    ran = {rule["id"] for kind in ("passes", "violations", "incomplete") for rule in result[kind]}
    assert "color-contrast" in ran, "axe did not check the colours"
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("kind", SAMPLE)
def test_no_serious_accessibility_violation(
    page: Page, docs_url: str, built_docs: Path, axe_source: str, kind: str, screen: str
):
    path = SAMPLE[kind](built_docs)
    page.set_viewport_size(SCREENS[screen])
    page.goto(docs_url + path)
    page.wait_for_load_state("networkidle")
    if kind == "autodiagnostic":  # the results too: table, radar, messages
        for radio in page.locator("#autodiag-form input[type=radio][value='2']").all():
            radio.check()
        page.click("#autodiag-calculer")
        expect(page.locator("svg#autodiag-radar")).to_be_visible()
    found = violations(page, axe_source)
    report = [
        (v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"], v["help"]) for v in found
    ]
    assert not found, f"{path or '/'} ({screen}): {report}"


# ------------------------------------------------------------------------------------------------
# Task lists, in every page of the built site
# ------------------------------------------------------------------------------------------------


class _Checkboxes(HTMLParser):
    """The text of the label around each checkbox of a task list."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[list[str]] = []
        self.depth = 0  # > 0 inside a task-list label
        self.bare = 0  # task-list checkboxes outside any label

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "label" and "task-list-control" in classes:
            self.labels.append([])
            self.depth = 1
        elif tag == "label" and self.depth:
            self.depth += 1
        elif tag == "input" and not self.depth and dict(attrs).get("type") == "checkbox":
            self.bare += "disabled" in dict(attrs)  # the theme's own toggles are not disabled

    def handle_endtag(self, tag):
        if tag == "label" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.labels[-1].append(data)


def test_every_task_list_checkbox_is_named_by_its_text(built_docs: Path):
    unnamed, total = [], 0
    for index in sorted(built_docs.rglob("index.html")):
        parser = _Checkboxes()
        parser.feed(index.read_text(encoding="utf-8"))
        total += len(parser.labels)
        page = index.parent.relative_to(built_docs).as_posix()
        unnamed += [page] * parser.bare
        unnamed += [page for label in parser.labels if not re.sub(r"\s+", "", "".join(label))]
    assert total >= 20, "no task list found: has the markup changed?"
    assert not unnamed, f"task-list checkboxes without a name, by page: {sorted(set(unnamed))}"

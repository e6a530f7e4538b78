"""The knowledge-base pages follow the Virage template (no browser, plain file parsing).

Levers, playbooks and playbook steps share one template (see STYLE.md "Knowledge-base pages"):
front matter with ``title``, ``summary``, ``sources`` (a list) and ``updated`` (YYYY-MM-DD), one
H1, then exactly the six template headings, in order. Grievance pages have their own four
headings. The collection sizes are fixed by the field sources: ten levers, six grievances and
five field reports (retours d'expérience).

Every check is parametrized per file, so a failure names the page to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

TEMPLATE_HEADINGS = [
    "Pourquoi c'est important",
    "Liste de contrôle",
    "Questions clés",
    "Ce que vous devez pouvoir montrer",
    "Dans Virage",
    "Voir aussi",
]
GRIEF_HEADINGS = ["L'accusation", "La défense", "Ce qu'il faut faire", "Voir aussi"]
EVIDENCE_OPENING = "Votre équipe doit pouvoir montrer que"

# The two playbook overviews have their own structure (roles, steps, printable checklist).
PLAYBOOK_OVERVIEWS = {
    DOCS / "playbooks" / "index.md",
    DOCS / "playbooks" / "projet-numerique-esms" / "index.md",
}

EXPECTED_LEVERS = 10
EXPECTED_GRIEFS = 6
EXPECTED_FIELD_REPORTS = 5

HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
LIST_ITEM_RE = re.compile(r"^[-*+][ \t]+")
TASK_ITEM_RE = re.compile(r"^[-*+][ \t]+\[ \][ \t]+\S")
LINK_RE = re.compile(r"\]\([^)\s]+\)")


def _pages(folder: str) -> list[Path]:
    return sorted(p for p in (DOCS / folder).glob("*.md") if p.name != "index.md")


def lever_pages() -> list[Path]:
    return _pages("leviers")


def grief_pages() -> list[Path]:
    return _pages("griefs")


def field_report_pages() -> list[Path]:
    return _pages("retours-experience")


def playbook_pages() -> list[Path]:
    return sorted(p for p in (DOCS / "playbooks").rglob("*.md") if p not in PLAYBOOK_OVERVIEWS)


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(DOCS)) for p in paths]


def split_page(path: Path) -> tuple[dict, str]:
    """Return the YAML front matter (between the first two ``---`` lines) and the body."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines and lines[0].strip() == "---", f"{path.name}: no front matter on line 1"
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        pytest.fail(f"{path.name}: front matter is not closed by a '---' line")
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date like 2026-13-01
        pytest.fail(f"{path.name}: invalid front matter: {exc}")
    assert isinstance(meta, dict), f"{path.name}: front matter is not a mapping"
    return meta, "\n".join(lines[end + 1 :])


def headings(body: str) -> list[tuple[int, str]]:
    """ATX headings outside fenced code blocks (mermaid diagrams, examples)."""
    found: list[tuple[int, str]] = []
    fence: str | None = None
    for line in body.splitlines():
        m = FENCE_RE.match(line)
        if m:
            marker = m.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        if fence is None and (h := HEADING_RE.match(line)):
            found.append((len(h.group(1)), h.group(2).strip()))
    return found


def sections(body: str) -> dict[str, str]:
    """Text of each H2 section (up to the next H2), keyed by heading."""
    result: dict[str, str] = {}
    current: str | None = None
    fence: str | None = None
    for line in body.splitlines():
        m = FENCE_RE.match(line)
        if m:
            marker = m.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
        elif fence is None and (h := HEADING_RE.match(line)) and len(h.group(1)) == 2:
            current = h.group(2).strip()
            result[current] = ""
            continue
        if current is not None:
            result[current] += line + "\n"
    return result


def check_front_matter(path: Path, meta: dict) -> None:
    for key in ("title", "summary"):
        value = meta.get(key)
        assert isinstance(value, str) and value.strip(), f"{path.name}: empty or missing {key!r}"
    sources = meta.get("sources")
    assert isinstance(sources, list) and sources, f"{path.name}: 'sources' must be a non-empty list"
    for source in sources:
        assert isinstance(source, str) and source.strip(), f"{path.name}: empty source {source!r}"
    updated = meta.get("updated")
    if isinstance(updated, str):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", updated), f"{path.name}: updated={updated!r}"
        updated = dt.date.fromisoformat(updated)
    assert type(updated) is dt.date, f"{path.name}: 'updated' must be a YYYY-MM-DD date"


def check_title(path: Path, meta: dict, body: str) -> None:
    h1 = [text for level, text in headings(body) if level == 1]
    assert len(h1) == 1, f"{path.name}: expected exactly one H1, found {h1}"
    assert h1[0] == meta["title"].strip(), f"{path.name}: H1 {h1[0]!r} differs from the title"


# --- collection sizes ---------------------------------------------------------------------


def test_there_are_ten_levers():
    assert len(lever_pages()) == EXPECTED_LEVERS, _ids(lever_pages())


def test_there_are_six_griefs():
    assert len(grief_pages()) == EXPECTED_GRIEFS, _ids(grief_pages())


def test_there_are_five_field_reports():
    assert len(field_report_pages()) == EXPECTED_FIELD_REPORTS, _ids(field_report_pages())


def test_playbook_pages_exist():
    assert playbook_pages(), "no playbook page found under docs/playbooks/"


# --- levers, playbooks and playbook steps: the shared template --------------------------------

TEMPLATE_PAGES = lever_pages() + playbook_pages()


@pytest.mark.parametrize("path", TEMPLATE_PAGES, ids=_ids(TEMPLATE_PAGES))
def test_template_front_matter(path: Path):
    meta, body = split_page(path)
    check_front_matter(path, meta)
    check_title(path, meta, body)


@pytest.mark.parametrize("path", TEMPLATE_PAGES, ids=_ids(TEMPLATE_PAGES))
def test_template_headings_in_order(path: Path):
    _, body = split_page(path)
    h2 = [text for level, text in headings(body) if level == 2]
    assert h2 == TEMPLATE_HEADINGS, f"{path.name}: H2 headings are {h2}"


@pytest.mark.parametrize("path", TEMPLATE_PAGES, ids=_ids(TEMPLATE_PAGES))
def test_template_statement_before_first_section(path: Path):
    _, body = split_page(path)
    before = body.split("\n## ", 1)[0]
    prose = [
        line
        for line in before.splitlines()
        if line.strip() and not line.startswith("#") and not line.startswith("!!!")
    ]
    assert prose, f"{path.name}: no statement paragraph between the H1 and the first section"


@pytest.mark.parametrize("path", TEMPLATE_PAGES, ids=_ids(TEMPLATE_PAGES))
def test_template_checklist_is_a_task_list(path: Path):
    _, body = split_page(path)
    checklist = sections(body)["Liste de contrôle"]
    items = [line for line in checklist.splitlines() if LIST_ITEM_RE.match(line)]
    assert items, f"{path.name}: the checklist has no item"
    not_tasks = [line for line in items if not TASK_ITEM_RE.match(line)]
    assert not not_tasks, f"{path.name}: checklist items must be '- [ ] …': {not_tasks[:3]}"


@pytest.mark.parametrize("path", TEMPLATE_PAGES, ids=_ids(TEMPLATE_PAGES))
def test_template_evidence_section_opening(path: Path):
    _, body = split_page(path)
    evidence = sections(body)["Ce que vous devez pouvoir montrer"].strip()
    assert evidence.startswith(EVIDENCE_OPENING), (
        f"{path.name}: the evidence section must start with {EVIDENCE_OPENING!r}"
    )


@pytest.mark.parametrize("path", TEMPLATE_PAGES, ids=_ids(TEMPLATE_PAGES))
def test_template_links_to_virage_and_related_pages(path: Path):
    _, body = split_page(path)
    parts = sections(body)
    assert LINK_RE.search(parts["Dans Virage"]), f"{path.name}: 'Dans Virage' has no link"
    assert LINK_RE.search(parts["Voir aussi"]), f"{path.name}: 'Voir aussi' has no link"


# --- grievances ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", grief_pages(), ids=_ids(grief_pages()))
def test_grief_page(path: Path):
    meta, body = split_page(path)
    check_front_matter(path, meta)
    check_title(path, meta, body)
    h2 = [text for level, text in headings(body) if level == 2]
    assert h2 == GRIEF_HEADINGS, f"{path.name}: H2 headings are {h2}"
    assert "../leviers/" in sections(body)["Ce qu'il faut faire"] + sections(body)["Voir aussi"], (
        f"{path.name}: a grievance page must link to the levers"
    )


# --- field reports ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", field_report_pages(), ids=_ids(field_report_pages()))
def test_field_report_page(path: Path):
    meta, body = split_page(path)
    check_front_matter(path, meta)
    check_title(path, meta, body)
    h2 = [text for level, text in headings(body) if level == 2]
    assert "Ce que cela veut dire pour votre projet" in h2, f"{path.name}: H2 headings are {h2}"
    assert "../leviers/" in body, f"{path.name}: a field report must link to the levers it supports"

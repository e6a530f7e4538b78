"""Every page of the site says when it was last checked, where it comes from, and what changed.

- Front matter: ``updated`` (a date), ``sources`` (a non-empty list), ``changes`` (the change log:
  ``date`` + ``note``, newest date equal to ``updated``). The hook docs_hooks/page_dates.py renders
  them as « État au … » and « Historique des modifications ».
- Text: no ISO date (« 2026-12-01 ») in what a reader sees — dates are written as people write
  them; statements of law are marked as information, not legal advice; tables are at most five
  columns wide, so that they do not scroll sideways on a phone.

Generated pages (``<!-- Page générée par …``, e.g. the guided tour) are written by a program and
excluded: the program that writes them is where their date belongs.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
GENERATED_MARKER = "<!-- Page générée par"
DEVELOPER_PAGES = DOCS / "developpeurs"

ISO_DATE_RE = re.compile(r"(?<![\w-])(19|20)\d\d-[01]\d-[0-3]\d(?![\w-])")
FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# An article of a French code (L1110-4, R. 1111-9, D1111-16-2) or of the GDPR (« article 9 du RGPD »).
LAW_RE = re.compile(
    r"\b(?:articles?|art\.)\s+(?:[LRD]\.?\s?\d{3,4}(?:-\d+)*|\d+\b[^.\n]{0,40}\bRGPD)"
    r"|\bRGPD\s*\(articles?\s+\d+",
    re.IGNORECASE,
)
NOT_LEGAL_ADVICE_RE = re.compile(r"pas (?:un|des) avis juridiques?", re.IGNORECASE)
WHO_TO_ASK_RE = re.compile(r"\bDPO\b|juriste|service juridique|avocat|fédération", re.IGNORECASE)
MAX_TABLE_COLUMNS = 5


def _all_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def _is_generated(path: Path) -> bool:
    return GENERATED_MARKER in path.read_text(encoding="utf-8")


PAGES = [p for p in _all_pages() if not _is_generated(p)]
READER_PAGES = [p for p in PAGES if DEVELOPER_PAGES not in p.parents]


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(DOCS)) for p in paths]


def _split(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines and lines[0].strip() == "---", f"{path.name}: no front matter"
    end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    return meta, "\n".join(lines[end + 1 :])


def _prose(body: str) -> str:
    """The body without fenced code blocks, inline code, HTML comments and link targets."""
    out, fence = [], None
    for line in body.splitlines():
        marker = FENCE_RE.match(line)
        if marker:
            token = marker.group(1)
            if fence is None:
                fence = token
            elif token[0] == fence[0] and len(token) >= len(fence):
                fence = None
            continue
        if fence is None:
            out.append(line)
    text = "\n".join(out)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    return re.sub(r"\]\([^)\s]*\)", "]", text)


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value)
    return None


def test_generated_pages_are_few_and_known():
    generated = [p for p in _all_pages() if _is_generated(p)]
    assert _ids(generated) == ["visite-guidee.md"]


@pytest.mark.parametrize("path", PAGES, ids=_ids(PAGES))
def test_page_has_its_etat_au_date_and_sources(path: Path):
    meta, _ = _split(path)
    updated = _as_date(meta.get("updated"))
    assert updated is not None, f"{path.name}: 'updated: AAAA-MM-JJ' missing (the « État au » date)"
    sources = meta.get("sources")
    assert isinstance(sources, list) and sources, f"{path.name}: 'sources' must be a non-empty list"
    assert all(isinstance(s, str) and s.strip() for s in sources), f"{path.name}: empty source"


@pytest.mark.parametrize("path", PAGES, ids=_ids(PAGES))
def test_page_has_a_change_log_ending_at_its_date(path: Path):
    meta, _ = _split(path)
    changes = meta.get("changes")
    assert isinstance(changes, list) and changes, f"{path.name}: 'changes' (change log) missing"
    dates = []
    for entry in changes:
        assert isinstance(entry, dict), f"{path.name}: a change is 'date' + 'note': {entry!r}"
        day = _as_date(entry.get("date"))
        assert day is not None, f"{path.name}: change without a valid date: {entry!r}"
        note = entry.get("note")
        assert isinstance(note, str) and note.strip(), f"{path.name}: change without a note"
        dates.append(day)
    assert max(dates) == _as_date(meta.get("updated")), (
        f"{path.name}: the newest change ({max(dates)}) must be the « État au » date"
    )


@pytest.mark.parametrize("path", PAGES, ids=_ids(PAGES))
def test_no_iso_date_in_the_text(path: Path):
    _, body = _split(path)
    found = ISO_DATE_RE.findall(_prose(body))
    assert not found, f"{path.name}: write dates as people do (« 1er décembre 2026 »), not ISO"


@pytest.mark.parametrize("path", READER_PAGES, ids=_ids(READER_PAGES))
def test_statements_of_law_are_marked_as_information(path: Path):
    _, body = _split(path)
    prose = _prose(body)
    if LAW_RE.search(prose):
        assert NOT_LEGAL_ADVICE_RE.search(prose) and WHO_TO_ASK_RE.search(prose), (
            f"{path.name} cites articles of law: say that it is information, not legal advice, "
            "and who to ask (DPO, juriste, fédération…)"
        )


@pytest.mark.parametrize("path", READER_PAGES, ids=_ids(READER_PAGES))
def test_tables_fit_a_phone(path: Path):
    _, body = _split(path)
    for line in _prose(body).splitlines():
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            columns = stripped.strip("|").count("|") + 1
            assert columns <= MAX_TABLE_COLUMNS, (
                f"{path.name}: a table of {columns} columns scrolls sideways on a phone: {line[:80]}"
            )


def test_the_law_pattern_catches_what_it_should():
    assert LAW_RE.search("l'article L1110-4 du code de la santé publique")
    assert LAW_RE.search("article L. 2312-38 du code du travail")
    assert LAW_RE.search("sensibles au sens du RGPD (article 9)")
    assert LAW_RE.search("l'article 9 du RGPD")
    assert not LAW_RE.search("un article de blog de 2020")

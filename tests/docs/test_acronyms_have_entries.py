"""Every acronym a reader meets has a tooltip and a glossary entry.

tests/docs/test_glossary.py keeps includes/abbreviations.md (the site-wide tooltips) and the
glossary page in sync; this test makes sure they cover what the pages actually use. It scans the
pages written for directors, project leads, field staff and networks (everything but the
developer pages and generated pages) for words written in capitals — GIR, CDAPH, FHIR, CI-SIS,
MSSanté — outside code, link targets and HTML comments, and requires an entry for each.

A few capitalised words are not acronyms; they are listed below with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
ABBREVIATIONS = ROOT / "includes" / "abbreviations.md"
GENERATED_MARKER = "<!-- Page générée par"

# Capitalised words that are not acronyms, and why.
NOT_ACRONYMS = {
    "ST": "« EHPAD ST ETIENNE », a name as the national registry spells it (annuaire guide)",
    "ETIENNE": "same example",
    "README": "a file name",
}
# Named by the audit of issue 26 as missing from the glossary.
AUDIT_NAMED = {"GIR", "CDAPH", "MAS", "FHIR", "CPS", "RRULE"}

# Starts with two capitals or more, then letters/digits, optional hyphenated parts: GIR, CI-SIS,
# MSSanté, PGSSI-S, GRADeS (not JavaScript, OpenAPI or Saint-Martin).
ACRONYM_RE = re.compile(
    r"(?<![\w/.#-])([A-Z]{2,}[A-Za-zÀ-ÿ0-9]*(?:-[A-Z0-9][A-Za-z0-9]*)*)(?![\w-])"
)
FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def abbreviations() -> set[str]:
    text = ABBREVIATIONS.read_text(encoding="utf-8")
    return set(re.findall(r"^\*\[([^\]]+)\]:", text, flags=re.M))


def reader_pages() -> list[Path]:
    pages = []
    for path in sorted(DOCS.rglob("*.md")):
        if (DOCS / "developpeurs") in path.parents:
            continue
        if GENERATED_MARKER in path.read_text(encoding="utf-8"):
            continue
        pages.append(path)
    return pages


def _prose(text: str) -> str:
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    out, fence = [], None
    for line in text.splitlines():
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
    text = re.sub(r"\]\([^)\s]*\)", "]", text)
    return re.sub(r"https?://\S+", "", text)


def acronyms_in(text: str) -> set[str]:
    found = set()
    for match in ACRONYM_RE.finditer(_prose(text)):
        found.add(match.group(1))
    return found


def test_the_scanner_finds_acronyms_and_skips_code():
    text = (
        "La CDAPH fixe le GIR ; voir `RRULE` et [lien](https://x.fr/ABC). MSSanté, CI-SIS, "
        "GRADeS ; pas JavaScript, OpenAPI, Saint-Martin ni ViaTrajectoire."
    )
    assert acronyms_in(text) == {"CDAPH", "GIR", "MSSanté", "CI-SIS", "GRADeS"}


def test_the_acronyms_named_by_the_audit_have_an_entry():
    missing = sorted(AUDIT_NAMED - abbreviations())
    assert not missing, f"missing from includes/abbreviations.md and the glossary: {missing}"


@pytest.mark.parametrize("path", reader_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_every_acronym_of_the_page_has_an_entry(path: Path):
    used = acronyms_in(path.read_text(encoding="utf-8"))
    missing = sorted(used - abbreviations() - set(NOT_ACRONYMS))
    assert not missing, (
        f"{path.relative_to(DOCS)} uses acronyms without a tooltip or glossary entry: {missing} "
        "(add them to includes/abbreviations.md and docs/boite-a-outils/glossaire.md)"
    )

"""The glossary page and the site-wide abbreviations (tooltips) stay in sync.

``includes/abbreviations.md`` is appended to every page (pymdownx.snippets ``auto_append``): each
``*[ACRONYM]: expansion`` line turns the acronym into an ``<abbr title="expansion">`` everywhere.
``docs/boite-a-outils/glossaire.md`` is a definition list; an acronym's definition opens with its
expansion in bold (``**Agence du numérique en santé.**``). Terms that are names, not acronyms
(``Mon espace santé``, ``ViaTrajectoire``, ``e-parcours``…), have no bold expansion.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ABBREVIATIONS = ROOT / "includes" / "abbreviations.md"
GLOSSARY = ROOT / "docs" / "boite-a-outils" / "glossaire.md"

ABBR_LINE = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<expansion>\S.*)$")
BOLD_EXPANSION = re.compile(r"^\*\*(?P<expansion>.+?)\.?\*\*")
ALL_CAPS = re.compile(r"^[A-Z0-9]{2,}(?:-[A-Z0-9]+)*$")


def read_abbreviations() -> dict[str, str]:
    abbreviations: dict[str, str] = {}
    in_comment = False
    for number, line in enumerate(ABBREVIATIONS.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if in_comment or stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            continue
        if not stripped:
            continue
        match = ABBR_LINE.match(stripped)
        assert match, f"abbreviations.md:{number}: not an abbreviation line: {line!r}"
        term = match["term"]
        assert term not in abbreviations, f"abbreviations.md:{number}: {term} defined twice"
        abbreviations[term] = match["expansion"].strip()
    return abbreviations


def read_glossary() -> list[tuple[str, str | None]]:
    """Return (term, bold expansion or None) for every definition-list entry, in page order."""
    text = GLOSSARY.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text  # drop front matter
    lines = body.splitlines()
    entries: list[tuple[str, str | None]] = []
    for previous, line in pairwise(lines):
        if line.startswith(":   ") and previous.strip() and not previous.startswith((":", "#")):
            match = BOLD_EXPANSION.match(line[4:].strip())
            entries.append((previous.strip(), match["expansion"].strip() if match else None))
    return entries


def sort_key(term: str) -> str:
    text = unicodedata.normalize("NFD", term)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c for c in text.casefold() if c.isalnum() or c == " ")


def is_acronym(term: str, expansion: str | None) -> bool:
    """An acronym has a developed form in the glossary, or is written in capitals (ANS, CI-SIS)."""
    return expansion is not None or bool(ALL_CAPS.match(term))


@pytest.fixture(scope="module")
def abbreviations() -> dict[str, str]:
    return read_abbreviations()


@pytest.fixture(scope="module")
def glossary() -> list[tuple[str, str | None]]:
    return read_glossary()


def test_files_are_not_empty(abbreviations, glossary):
    assert len(abbreviations) >= 50
    assert len(glossary) >= len(abbreviations)


def test_every_abbreviation_is_a_glossary_term(abbreviations, glossary):
    terms = {term for term, _ in glossary}
    missing = sorted(set(abbreviations) - terms)
    assert not missing, f"in includes/abbreviations.md but not in the glossary: {missing}"


def test_every_glossary_acronym_has_a_tooltip(abbreviations, glossary):
    missing = sorted(
        term for term, exp in glossary if is_acronym(term, exp) and term not in abbreviations
    )
    assert not missing, (
        f"acronyms of the glossary missing from includes/abbreviations.md: {missing}"
    )


def test_expansions_match(abbreviations, glossary):
    different = {
        term: (exp, abbreviations[term])
        for term, exp in glossary
        if term in abbreviations and exp != abbreviations[term].rstrip(".")
    }
    assert not different, f"glossary expansion != tooltip (glossary, tooltip): {different}"


def test_glossary_is_sorted_without_duplicates(glossary):
    terms = [term for term, _ in glossary]
    assert len(terms) == len(set(terms)), "a term is defined twice in the glossary"
    assert terms == sorted(terms, key=sort_key), "glossary terms are not in alphabetical order"


def test_glossary_has_the_sector_essentials(glossary):
    terms = {term for term, _ in glossary}
    essentials = {
        "ANS",
        "CNSA",
        "ARS",
        "GRADeS",
        "DNS",
        "ESMS",
        "ESSMS",
        "DUI",
        "INS",
        "MSSanté",
        "DMP",
        "Mon espace santé",
        "Pro Santé Connect",
        "ROR",
        "FINESS",
        "RPPS",
        "ADELI",
        "HAS",
        "QVCT",
        "QVT",
        "ACIA",
        "Anact",
        "Aract",
        "SSIAD",
        "SAAD",
        "SPASAD",
        "EHPAD",
        "IME",
        "MDPH",
        "DAC",
        "CLIC",
        "CSE",
        "IRP",
        "RGPD",
        "DPO",
        "CPOM",
        "ESMS numérique",
        "SI",
        "Ségur du numérique",
        "DAR",
        "IDEC",
        "AS",
        "AES",
        "ASH",
        "CCAS",
        "CD",
        "MDA",
        "PCH",
        "APA",
        "GHT",
        "HAD",
        "ViaTrajectoire",
        "CPTS",
        "e-parcours",
        "ENS",
    }
    assert not essentials - terms, f"missing from the glossary: {sorted(essentials - terms)}"

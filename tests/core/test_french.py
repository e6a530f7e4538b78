"""Real plurals, never « créneau(x) libre(s) »."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from virage.errors import french_message
from virage.french import plural

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 créneau libre"),
        (1, "1 créneau libre"),
        (2, "2 créneaux libres"),
        ([1, 2, 3], "3 créneaux libres"),
    ],
)
def test_irregular_plural(count, expected):
    assert plural(count, "créneau libre", "créneaux libres") == expected


def test_regular_plural_of_every_word():
    assert plural(4, "envoi traité") == "4 envois traités"
    assert plural(1, "envoi traité") == "1 envoi traité"


def test_validation_messages_agree_in_number():
    assert french_message("String should have at least 1 character") == "au moins 1 caractère"
    assert french_message("String should have at least 10 characters") == "au moins 10 caractères"


def test_no_parenthesised_plural_in_templates():
    # Not even a field's label: « Prénoms », « Professionnels » (tests/web/test_french_pages.py
    # reads the pages themselves).
    allowed: set[str] = set()
    found = []
    for template in ROOT.glob("packages/**/templates/**/*.html"):
        for match in re.finditer(r"\w+\((s|x)\)", template.read_text()):
            if match.group(0) not in allowed:
                found.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
    assert not found, found

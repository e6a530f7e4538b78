"""Real plurals, never « créneau(x) libre(s) »."""

from __future__ import annotations

import re
import tokenize
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from virage.audit.journal import _plain
from virage.errors import french_message
from virage.french import born, day_text, moment_text, plural, time_text
from virage.web.templating import fragment_environment

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


def test_no_parenthesised_plural_in_python_messages():
    # Command-line output, logs and error messages are read by people too: « 3 fichiers
    # orphelins », not « 3 fichier(s) orphelin(s) » (virage.french.plural, also in virage.sdk).
    found = []
    sources = [*ROOT.glob("packages/**/src/**/*.py"), *ROOT.glob("examples/**/src/**/*.py")]
    for source in sources:
        with tokenize.open(source) as handle:
            for token in tokenize.generate_tokens(handle.readline):
                text = token.string
                if token.type != tokenize.STRING or text.lstrip("rbfuRBFU").startswith(
                    ('"""', "'''")
                ):
                    continue  # docstrings explain the rule, they may quote the wrong form
                text = re.sub(r"\{[^{}]*\}", "", text)  # an f-string's code: f"{hhmm(s)}"
                for match in re.finditer(r"\w+\((s|x)\)", text):
                    found.append(f"{source.relative_to(ROOT)}:{token.start[0]}: {match.group(0)}")
    assert not found, found


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1929-11-18", "18 novembre 1929"),
        ("2026-12-01", "1er décembre 2026"),
        ("2026-07-01T22:30:00+00:00", "2 juillet 2026"),  # the day in Paris, not in UTC
        (date(2026, 3, 29), "29 mars 2026"),
        (None, ""),
        ("", ""),
        ("inconnue", "inconnue"),  # not a date: kept as it is
    ],
)
def test_day_in_words(value, expected):
    assert day_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-24T08:42:00+00:00", "24 novembre 2026 à 9 h 42"),
        ("2026-11-24T08:42:00Z", "24 novembre 2026 à 9 h 42"),
        ("2026-11-24T08:42:00", "24 novembre 2026 à 9 h 42"),  # stored naive: UTC
        (datetime(2026, 6, 1, 22, 5, tzinfo=UTC), "2 juin 2026 à 0 h 05"),
        ("2026-11-24", "24 novembre 2026"),
        (None, ""),
    ],
)
def test_moment_in_words_on_paris_clock(value, expected):
    assert moment_text(value) == expected


def test_time_alone():
    assert time_text("2026-11-24T08:42:00+00:00") == "9 h 42"
    assert time_text(None) == ""


@pytest.mark.parametrize(
    ("sex", "expected"), [("F", "née"), ("M", "né"), ("I", "né·e"), (None, "né·e"), ("", "né·e")]
)
def test_born_agrees_with_the_sex_when_known(sex, expected):
    assert born(sex) == expected


def test_templates_have_the_filters():
    env = fragment_environment()
    page = env.from_string(
        "{{ b | jour }}, {{ sex | ne }} ; {{ at | heure }} ; {{ at | horaire }} ; {{ 3 | pluriel('visite') }}"
    ).render(b="1929-11-18", sex="F", at="2026-11-24T08:42:00+00:00")
    assert page == "18 novembre 1929, née ; 24 novembre 2026 à 9 h 42 ; 9 h 42 ; 3 visites"


def test_audit_details_show_dates_in_words():
    assert _plain("2026-11-30") == "30 novembre 2026"
    assert _plain({"du": "2026-01-01", "n": 3}) == "du : 1er janvier 2026, n : 3"
    assert _plain("2026-11-30 et plus") == "2026-11-30 et plus"  # free text stays as written

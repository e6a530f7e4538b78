"""What the agenda accepts at its edges: dates, identifiers, and text echoed back from files.

Every date that enters the agenda (API bodies and query strings, web forms, ``.ics`` files) is
checked here before any arithmetic: the years outside ``FIRST_YEAR``–``LAST_YEAR`` are refused
with a French message, so ``datetime`` never overflows further on (a week view adds seven days, a
series ten years). Identifiers are SQLite integers: a number above 2⁶³ − 1 is refused before it
reaches a query. Text copied from an imported file into a message is cleaned of control
characters and terminal escape sequences, and shortened.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from virage.errors import InvalidInput

#: Accepted years for every date of the agenda (appointments, series, absences, views).
FIRST_YEAR = 2000
LAST_YEAR = 2099
DATE_RANGE = (
    f"les dates de l'agenda vont du 1er janvier {FIRST_YEAR} au 31 décembre {LAST_YEAR} : "
    "vérifiez l'année."
)
#: Largest identifier SQLite can hold (signed 64-bit integer).
MAX_ID = 2**63 - 1
#: An identifier as accepted in API bodies (pydantic).
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]

# Terminal sequences: CSI (ESC [ or 0x9B … final byte), OSC (ESC ] or 0x9D … BEL or ST), and
# the two-byte ESC ones.
_ANSI = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-Z\\-_]"
)
# Controls (C0, DEL, C1) and line separators become spaces; bidirectional overrides and the
# byte-order mark (they can disguise a text) are removed.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_INVISIBLE = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")


def check_day(value: date | None, field: str) -> date | None:
    """A calendar day (or ``None``) within the accepted years; otherwise ``InvalidInput``."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InvalidInput(f"{field} : {DATE_RANGE}")
    return value


def check_moment(value: datetime, field: str) -> datetime:
    """A date and time within the accepted years, its offset included once in UTC."""
    check_day(value.date(), field)
    if value.tzinfo is not None and value.utcoffset() is not None:
        try:
            check_day((value - value.utcoffset()).date(), field)
        except OverflowError:
            raise InvalidInput(f"{field} : {DATE_RANGE}") from None
    return value


def in_range(value: date | datetime) -> bool:
    return FIRST_YEAR <= value.year <= LAST_YEAR


def check_id(value: int | None, field: str) -> int | None:
    """An identifier from a form or a query string: a positive SQLite integer."""
    if value is not None and not 1 <= value <= MAX_ID:
        raise InvalidInput(f"{field} : identifiant inconnu ({excerpt(str(value), 24)}).")
    return value


def clean_line(text: str) -> str:
    """One line of text without control characters nor terminal escapes (titles, places)."""
    text = _INVISIBLE.sub("", _CONTROLS.sub(" ", _ANSI.sub(" ", text or "")))
    return _SPACES.sub(" ", text).strip()


def excerpt(text: object, limit: int = 80) -> str:
    """Text copied from input into a message: cleaned (see ``clean_line``) and shortened."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    line = clean_line(str(text))
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"

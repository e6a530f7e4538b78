"""Dates as people write them, for the accounts pages (« 3 décembre 2026 », « à 14 h 05 »).

Templates receive these functions in their context (``{{ jour(x) }}``, ``{{ moment(x) }}``): no
ISO date reaches a page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from virage.french import MONTHS as FRENCH_MONTHS
from virage.web.templating import PARIS

MONTHS = FRENCH_MONTHS


def _parse(value: str | date | datetime | None) -> date | datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def jour(value: str | date | datetime | None) -> str:
    """``"2026-12-03"`` or a UTC timestamp → ``"3 décembre 2026"`` (Paris day); ``""`` if empty."""
    parsed = _parse(value)
    if parsed is None:
        return ""
    if isinstance(parsed, datetime):
        parsed = parsed.astimezone(PARIS).date()
    first = "1er" if parsed.day == 1 else str(parsed.day)
    return f"{first} {MONTHS[parsed.month - 1]} {parsed.year}"


def moment(value: str | datetime | None) -> str:
    """A UTC timestamp → ``"3 décembre 2026 à 14 h 05"`` (heure de Paris); ``""`` if empty."""
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        return jour(value)
    local = parsed.astimezone(PARIS)
    return f"{jour(local)} à {local:%H} h {local:%M}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``plural(1, "code")`` → ``"1 code"``; ``plural(3, "code")`` → ``"3 codes"``."""
    word = singular if count in (0, 1) else (plural_form or singular + "s")
    return f"{count} {word}"


#: What templates of the accounts pages get in their context.
HELPERS = {"jour": jour, "moment": moment, "pluriel": plural}

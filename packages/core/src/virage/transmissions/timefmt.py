"""Times of the transmissions: stored in UTC (ISO 8601), shown and typed in Europe/Paris."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from virage.french import day_text

PARIS = ZoneInfo("Europe/Paris")
DAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")


def to_iso(moment: datetime) -> str:
    """UTC, second precision, ``+00:00`` suffix: the format of every stored timestamp."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


def local(value: str) -> datetime:
    return parse_iso(value).astimezone(PARIS)


def label(value: str | None, *, now: datetime | None = None) -> str:
    """``aujourd'hui à 07:15``, ``hier à 22:40`` or ``mar. 03/03 à 09:00`` (Paris time)."""
    if not value:
        return "—"
    moment = local(value)
    today = (now or datetime.now(UTC)).astimezone(PARIS).date()
    hour = moment.strftime("%H:%M")
    if moment.date() == today:
        return f"aujourd'hui à {hour}"
    if moment.date() == today - timedelta(days=1):
        return f"hier à {hour}"
    day = f"{DAYS[moment.weekday()]} {moment:%d/%m}"
    if moment.year != today.year:
        day += f"/{moment.year}"
    return f"{day} à {hour}"


def full(value: str | None) -> str:
    """``12/03/2026 à 07:15`` (Paris time), for printed documents."""
    return f"{local(value):%d/%m/%Y à %H:%M}" if value else "—"


def input_value(value: str | None) -> str:
    """The value of an ``<input type="datetime-local">`` (Paris time)."""
    return f"{local(value):%Y-%m-%dT%H:%M}" if value else ""


def from_local_input(value: str) -> datetime:
    """Parse ``2026-03-12T07:15`` typed in Paris time (a zone offset, if present, wins)."""
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment.astimezone(UTC)


def day_start(day: date) -> datetime:
    """Midnight of a Paris day, in UTC."""
    return datetime.combine(day, time(0, 0), tzinfo=PARIS).astimezone(UTC)


def day_label(value: str | None) -> str | None:
    """``2026-03-12`` -> « 12 mars 2026 » (``None`` or an unreadable value gives ``None``)."""
    if not value:
        return None
    try:
        return day_text(date.fromisoformat(value.strip()))
    except ValueError:
        return None

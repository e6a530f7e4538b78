"""The kiosk's clock, in one place so that tests can pin it (``monkeypatch.setattr``)."""

from __future__ import annotations

from datetime import date, datetime

from virage.sdk import PARIS, iso, to_local, utcnow

__all__ = ["PARIS", "now", "now_iso", "today"]


def now() -> datetime:
    return utcnow()


def now_iso() -> str:
    return iso(now())


def today() -> date:
    """Today in Paris, by :func:`now`."""
    return to_local(now()).date()

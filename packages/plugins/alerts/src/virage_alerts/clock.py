"""The alerts' clock, in one place so that tests can pin it (``monkeypatch.setattr``):
escalation is computed from it, never from a sleep."""

from __future__ import annotations

from datetime import datetime

from virage.sdk import iso, utcnow

__all__ = ["now", "now_iso"]


def now() -> datetime:
    return utcnow()


def now_iso() -> str:
    return iso(now())

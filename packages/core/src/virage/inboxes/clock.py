"""The inboxes' clock, in one place so that tests pin it (``monkeypatch.setattr``): routing,
escalation and handover are computed from it, never from a sleep."""

from __future__ import annotations

from datetime import datetime

from virage.agenda.timeutil import iso
from virage.db import utcnow


def now() -> datetime:
    return utcnow()


def now_iso() -> str:
    return iso(now())

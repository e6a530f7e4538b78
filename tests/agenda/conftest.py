"""Fixtures for the agenda: the accounts' small world (structures a/b, users, p1 in a, p2 in b).

Dates are chosen in the future (2030), far from "now", unless a test is about the past: series
edits treat occurrences still to come and those already done differently. Helpers are in
``helpers.py``.
"""

from __future__ import annotations

from tests.accounts.conftest import (  # noqa: F401
    _world_template,
    app,
    client,
    world,
)

"""Helpers of the agenda tests: book through the API, list occurrences, pick dates."""

from __future__ import annotations

from datetime import date, timedelta

from tests.accounts.conftest import bearer
from virage.agenda.timeutil import today_paris

API = "/api/v1/agenda"


def book(client, world, who: str, **body):
    """Book through the API as ``who``; return the response."""
    payload = {"kind": "meeting", "professional_ids": [world.users["nurse_a"]], **body}
    return client.post(f"{API}/appointments", json=payload, headers=bearer(world, who))


def visit(client, world, who: str = "coord_a", **body):
    payload = {
        "kind": "home_visit",
        "person_id": world.persons["p1"],
        "professional_ids": [world.users["nurse_a"]],
        **body,
    }
    return client.post(f"{API}/appointments", json=payload, headers=bearer(world, who))


def occurrences(client, world, who: str, start: str, end: str, **params):
    r = client.get(
        f"{API}/appointments",
        params={"start": start, "end": end, **params},
        headers=bearer(world, who),
    )
    assert r.status_code == 200, r.text
    return r.json()


def next_weekday(weekday: int, weeks_ahead: int = 1) -> date:
    """A date ``weeks_ahead`` weeks ahead falling on ``weekday`` (0 = Monday)."""
    today = today_paris()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)
    return monday + timedelta(days=weekday)

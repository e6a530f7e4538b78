"""Fixtures for the transmissions: the accounts' small world (structures a/b, users, p1/p2)."""

from __future__ import annotations

import re

import pytest
from litestar.testing import TestClient

from tests.accounts.conftest import (  # noqa: F401
    _world_template,
    app,
    bearer,
    client,
    csrf_from,
    login,
    world,
)
from virage.app import create_app


def write(http, the_world, name: str, person: str = "p1", **fields):
    """Write a transmission through the API as ``name``; return the response."""
    body = {
        "person_id": the_world.persons[person],
        "target": "chute",
        "data": "Retrouvée au sol, hématome au front.",
        **fields,
    }
    return http.post("/api/v1/transmissions", json=body, headers=bearer(the_world, name))


@pytest.fixture
def no_grace_client(world):  # noqa: F811 - the fixture of tests.accounts.conftest
    """A client on an application whose grace period is 0 minute: every write is final at once."""
    application = create_app(world.settings.with_(transmission_grace_minutes=0))
    with TestClient(application) as c:
        yield c


def web_login(http, name: str) -> str:
    """Log in on the web client; return a CSRF token for forms and the page's JSON endpoint."""
    response = login(http, name)
    assert response.status_code == 303, response.text
    page = http.get("/transmissions")
    assert page.status_code == 200, page.text
    return csrf_from(page.text)


def ids_in(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<article class="tr[^"]*" id="t-(\d+)"', html)]

"""Fixtures for the entourage: the accounts' small world (structures a/b, users, p1/p2)."""

from __future__ import annotations

from tests.accounts.conftest import (  # noqa: F401
    _world_template,
    app,
    bearer,
    client,
    csrf_from,
    login,
    world,
)

# The browser scenario: Chromium's settings, the built docs and the demo server of tests/e2e.
from tests.conftest import browser_type_launch_args, built_docs, capture  # noqa: F401
from tests.e2e.conftest import live_server, phone, server_env  # noqa: F401

TRUSTED = {
    "kind": "trusted_person",
    "name": "Marie Durand",
    "relation": "fille",
    "phone": "06 12 34 56 78",
    "declared_on": "2026-03-02",
}
ALLERGY = {
    "kind": "allergy",
    "detail": "Pénicilline",
    "extra": "urticaire",
    "source": "personne",
    "declared_on": "2026-03-02",
}
TREATMENT = {
    "kind": "treatment",
    "detail": "Metformine 500 mg",
    "extra": "matin et soir",
    "source": "ordonnance",
    "declared_on": "2025-01-10",
}


def add(http, the_world, user, body, person="p1"):
    return http.post(
        f"/api/v1/persons/{the_world.persons[person]}/entourage",
        json=body,
        headers=bearer(the_world, user),
    )


def read(http, the_world, user, person="p1"):
    return http.get(
        f"/api/v1/persons/{the_world.persons[person]}/entourage", headers=bearer(the_world, user)
    )


def words(html: str) -> str:
    """The visible text of a page: tags dropped, entities decoded, spaces collapsed."""
    import html as html_lib
    import re

    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", body))).strip()

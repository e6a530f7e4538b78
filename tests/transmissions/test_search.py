"""Full-text search: accent-insensitive, and never out of the reader's scope, whatever is typed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.transmissions.conftest import bearer, login, write
from virage.db import connect


@pytest.fixture
def written(client, world):
    mine = write(client, world, "nurse_a", data="Hématome au front après la chute.").json()
    other = write(client, world, "nurse_b", person="p2", data="Hématome au genou, Œdème.").json()
    return {"p1": mine["id"], "p2": other["id"]}


def _search(client, world, name, q, **params):
    response = client.get(
        "/api/v1/transmissions/search", params={"q": q, **params}, headers=bearer(world, name)
    )
    assert response.status_code == 200, response.text
    return [t["id"] for t in response.json()]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nurse_a", ["p1"]),
        ("care_a", ["p1"]),
        ("coord_a", ["p1"]),
        ("nurse_b", ["p2"]),
        ("coord_b", ["p2"]),
        ("secretary_a", []),
        ("director_a", []),
        ("dpo_a", []),
        ("nurse2_a", []),
        ("social_a", []),
    ],
)
def test_each_reader_finds_only_what_they_may_read(client, world, written, name, expected):
    assert _search(client, world, name, "hematome") == [written[p] for p in expected]


@pytest.mark.parametrize(
    "q", ["hematome", "HÉMATOME", "hématomes", "hémat*", "Hematome front", "chute", "chutes"]
)
def test_accents_case_plurals_and_word_starts(client, world, written, q):
    assert _search(client, world, "care_a", q) == [written["p1"]]


def test_a_word_start_needs_its_star(client, world, written):
    assert _search(client, world, "care_a", "hémat") == []
    assert _search(client, world, "care_a", "hé*") == []  # too short to be a word start


def test_words_are_all_required(client, world, written):
    assert _search(client, world, "care_a", "hematome genou") == []
    assert _search(client, world, "nurse_b", "oedeme") == [written["p2"]]


@pytest.mark.parametrize(
    "q",
    [
        "scope : s2",
        "p2",
        f"s{2}",
        '" OR scope : (s2) OR "',
        "hematome OR p2",
        "{scope} : p2",
        "NEAR(hematome p2)",
        "hematome*",
        "* AND -",
        '"',
        "'); DROP TABLE transmissions; --",
        "body:genou",
    ],
)
def test_typed_operators_cannot_widen_the_scope(client, world, written, q):
    found = _search(client, world, "care_a", q)
    assert written["p2"] not in found


def test_limiting_to_a_person_follows_the_access_rules(client, world, written):
    p1, p2 = world.persons["p1"], world.persons["p2"]
    assert _search(client, world, "care_a", "hematome", person_id=p1) == [written["p1"]]
    refused = client.get(
        "/api/v1/transmissions/search",
        params={"q": "hematome", "person_id": p2},
        headers=bearer(world, "care_a"),
    )
    assert refused.status_code == 404


def test_every_search_result_is_an_audited_read(client, world, written):
    _search(client, world, "care_a", "hematome")
    db = connect(world.settings.db_path)
    rows = db.execute(
        "SELECT person_id, details FROM audit_log WHERE actor_user_id = ?"
        " AND action = 'transmissions.read'",
        [world.users["care_a"]],
    ).fetchall()
    assert (world.persons["p1"], '{"vue": "recherche"}') in rows


def test_the_web_search_page(client, world, written):
    login(client, "care_a")
    page = client.get("/transmissions/recherche", params={"q": "hematome"})
    assert page.status_code == 200
    assert "Hématome au front" in page.text and "genou" not in page.text
    assert "1 résultat" in page.text
    login(client, "secretary_a")
    page = client.get("/transmissions/recherche", params={"q": "hematome"})
    assert "Hématome" not in page.text and "0 résultat" in page.text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(min_size=1, max_size=40))
def test_no_query_ever_leaks_or_fails(client, world, written, q):
    response = client.get(
        "/api/v1/transmissions/search", params={"q": q}, headers=bearer(world, "care_a")
    )
    assert response.status_code in (200, 400), response.text
    if response.status_code == 200:
        assert all(t["person_id"] == world.persons["p1"] for t in response.json())

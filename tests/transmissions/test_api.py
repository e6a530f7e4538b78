"""The JSON API: documented in OpenAPI, and every bad input is a 4xx with a French message."""

from __future__ import annotations

import pytest

from tests.transmissions.conftest import bearer, write


def test_the_api_is_in_the_openapi_schema(client):
    paths = client.get("/schema/openapi.json").json()["paths"]
    for path in (
        "/api/v1/transmissions",
        "/api/v1/transmissions/{transmission_id}",
        "/api/v1/transmissions/{transmission_id}/results",
        "/api/v1/transmissions/{transmission_id}/corrections",
        "/api/v1/transmissions/{transmission_id}/acknowledgements",
        "/api/v1/transmissions/new-for-me",
        "/api/v1/transmissions/shift",
        "/api/v1/transmissions/search",
        "/api/v1/transmissions/unacknowledged-urgent",
        "/api/v1/transmissions/targets",
    ):
        assert path in paths, path
    assert not any(p.startswith("/transmissions") for p in paths)  # the pages stay out


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/transmissions?person_id=abc", None),
        ("get", "/api/v1/transmissions", None),
        ("get", "/api/v1/transmissions?person_id=1&category=cuisine", None),
        ("get", "/api/v1/transmissions?person_id=1&limit=0", None),
        ("get", "/api/v1/transmissions?person_id=1&since=hier", None),
        ("get", "/api/v1/transmissions/search?q=", None),
        ("post", "/api/v1/transmissions", {"person_id": 1}),
        (
            "post",
            "/api/v1/transmissions",
            {"person_id": 1, "target": "chute", "data": "x", "priority": "très"},
        ),
        (
            "post",
            "/api/v1/transmissions",
            {"person_id": 1, "target": "chute", "data": "x", "client_id": "a b"},
        ),
        ("post", "/api/v1/transmissions", {"person_id": 1, "target": "chute", "data": "x" * 5000}),
        (
            "post",
            "/api/v1/transmissions",
            {"person_id": 1, "target": "chute", "data": "x", "occurred_at": "2001-01-01T00:00:00Z"},
        ),
        ("patch", "/api/v1/transmissions/1", {}),
    ],
)
def test_bad_inputs_are_explained(client, world, method, url, body):
    write(client, world, "nurse_a")
    kwargs = {"headers": bearer(world, "nurse_a")}
    if body is not None:
        kwargs["json"] = body
    response = getattr(client, method)(url, **kwargs)
    assert 400 <= response.status_code < 500, response.text
    detail = response.json()["detail"]
    assert detail and "Traceback" not in response.text
    assert any(c in detail for c in "éèàç") or "données" in detail.lower(), detail


def test_unknown_transmissions_are_404(client, world):
    assert (
        client.get("/api/v1/transmissions/999", headers=bearer(world, "nurse_a")).status_code == 404
    )
    assert (
        client.post(
            "/api/v1/transmissions/999/acknowledgements", headers=bearer(world, "nurse_a")
        ).status_code
        == 404
    )

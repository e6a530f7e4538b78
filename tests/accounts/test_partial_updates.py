"""PATCH bodies: a ``null`` for a field that cannot be empty is a 400 with a French message, never
a 500 from a ``NOT NULL`` column, and the stored data stays as it was (a schemathesis run found
``{"given_names": null}`` reaching the database)."""

from __future__ import annotations

import typing

import pytest
from litestar.app import Litestar
from pydantic import ValidationError

from tests.accounts.conftest import bearer
from virage.partial import PartialUpdate


def _patch_bodies(app: Litestar) -> dict[str, type]:
    bodies = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if "PATCH" not in handler.http_methods:
                continue
            hints = typing.get_type_hints(handler.fn, include_extras=True)
            data = hints.get("data")
            assert data is not None, f"{route.path}: PATCH without a body"
            model = typing.get_args(data)[0] if typing.get_args(data) else data
            bodies[route.path] = model
    return bodies


def test_every_patch_body_is_a_partial_update(app):
    bodies = _patch_bodies(app)
    assert len(bodies) >= 3, bodies
    for path, model in bodies.items():
        assert issubclass(model, PartialUpdate), f"{path}: {model.__name__} is not a PartialUpdate"


def test_null_is_refused_for_every_field_that_cannot_be_emptied(app):
    for path, model in _patch_bodies(app).items():
        for name in model.model_fields:
            if name in model.modifiers:
                continue
            if name in model.clearable:
                assert model.model_validate({name: None}).changes() == {name: None}
                continue
            with pytest.raises(ValidationError) as caught:
                model.model_validate({name: None})
            assert "ne peut pas être vide" in str(caught.value), (path, name)


def test_the_openapi_document_says_which_fields_may_be_null(client):
    schemas = client.get("/schema/openapi.json").json()["components"]["schemas"]
    person = schemas["PersonUpdate"]["properties"]
    assert "null" not in str(person["given_names"])
    assert "null" in str(person["birth_name"])


def test_a_null_name_is_a_400_and_the_person_is_unchanged(client, world):
    pid = world.persons["p1"]
    headers = bearer(world, "secretary_a")
    before = client.get(f"/api/v1/persons/{pid}", headers=headers).json()
    for body in ({"given_names": None}, {"family_name": None}, {"health_notes": None}):
        r = client.patch(f"/api/v1/persons/{pid}", json=body, headers=headers)
        assert r.status_code == 400, (body, r.text)
        assert "ne peut pas être vide" in r.text
    r = client.patch(f"/api/v1/persons/{pid}", json={"city": None}, headers=headers)
    assert r.status_code == 200, r.text
    after = client.get(f"/api/v1/persons/{pid}", headers=headers).json()
    assert after["city"] is None
    assert {k: v for k, v in after.items() if k not in ("city", "updated_at")} == {
        k: v for k, v in before.items() if k not in ("city", "updated_at")
    }

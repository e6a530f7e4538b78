"""A small world for access tests: two structures, users of every role, two persons."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import pytest
from litestar.testing import TestClient

from tests.accounts.soft_key import give_key, give_key_answer, has_key
from tests.accounts.world_copy import copy_world
from tests.conftest import plugin_allow_list
from virage.accounts import notice, notice_storage, service, storage
from virage.app import create_app, prepare_database
from virage.db import utcnow_iso
from virage.plugins import PluginHost
from virage.settings import Settings

PASSWORD = "mot-de-passe-de-test"


@dataclass
class World:
    settings: Settings
    structures: dict[str, int]
    users: dict[str, int]
    persons: dict[str, int]
    tokens: dict[str, str]


def build_world(settings: Settings) -> World:
    db = prepare_database(settings, PluginHost(settings))
    a = storage.create_structure(db, "SSIAD A", "SSIAD")
    b = storage.create_structure(db, "EHPAD B", "EHPAD")
    specs = {
        "director_a": (a, "director"),
        "dpo_a": (a, "dpo"),
        "coord_a": (a, "coordinator"),
        "nurse_a": (a, "nurse"),
        "nurse2_a": (a, "nurse"),
        "care_a": (a, "care_assistant"),
        "secretary_a": (a, "secretariat"),
        "social_a": (a, "social_worker"),
        "nurse_b": (b, "nurse"),
        "coord_b": (b, "coordinator"),
    }
    users = {
        name: service.create_user(
            db,
            username=name,
            display_name=name.replace("_", " "),
            password=PASSWORD,
            structure_id=sid,
            role=role,
        )
        for name, (sid, role) in specs.items()
    }
    users["admin"] = service.create_user(
        db, username="admin", display_name="Admin réseau", password=PASSWORD, is_network_admin=True
    )
    # Everyone has enrolled a security key (software, see soft_key.py) and read the first-use
    # notice, as in a structure already using Virage; the tests of those steps make their own.
    for name, uid in users.items():
        give_key(db, uid, name)
        notice_storage.acknowledge(db, uid, notice.NOTICE_VERSION, utcnow_iso(), [])
    p1 = storage.create_person(
        db,
        a,
        {
            "family_name": "Durand",
            "given_names": "Jeanne",
            "health_notes": "Diabète, insuline le matin",
            "city": "Loue",
        },
    )
    p2 = storage.create_person(
        db, b, {"family_name": "Petit", "given_names": "Louis", "health_notes": "Chute le 3 mars"}
    )
    storage.add_to_care_team(db, p1, users["nurse_a"], users["coord_a"])
    storage.add_to_care_team(db, p1, users["care_a"], users["coord_a"])
    storage.add_to_care_team(db, p2, users["nurse_b"], users["coord_b"])
    tokens = {}
    for name, (sid, _role) in specs.items():
        tokens[name] = service.create_token(db, users[name], sid, f"jeton {name}")[1]
    db.close()
    return World(settings, {"a": a, "b": b}, users, {"p1": p1, "p2": p2}, tokens)


@pytest.fixture(scope="session")
def _world_template(tmp_path_factory) -> World:
    # Built once: argon2 hashing is deliberately slow. Each test gets a copy of the file.
    folder = tmp_path_factory.mktemp("world")
    settings = Settings(
        db_path=folder / "virage.db",
        docs_dir=None,
        secret_key="secret-de-test",
        plugins=plugin_allow_list(),
    )
    return build_world(settings)


@pytest.fixture
def world(_world_template, tmp_path) -> World:
    settings = _world_template.settings.with_(db_path=tmp_path / "virage.db")
    copy_world(_world_template.settings.db_path, settings)
    return dataclasses.replace(_world_template, settings=settings)


@pytest.fixture
def app(world):
    return create_app(world.settings)


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


def csrf_from(html: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the form"
    return match.group(1)


def password_step(client, username: str, password: str = PASSWORD, suivant: str = "/moi"):
    """Only the password: the answer is the session, or the way to the second step."""
    page = client.get("/connexion")
    return client.post(
        "/connexion",
        data={
            "username": username,
            "password": password,
            "_csrf_token": csrf_from(page.text),
            "suivant": suivant,
        },
        follow_redirects=False,
    )


def login(client, username: str, password: str = PASSWORD):
    """Log in as a person does: password, then the account's security key when it has one."""
    response = password_step(client, username, password)
    if (
        response.status_code == 303
        and response.headers["location"] == "/connexion/second-facteur"
        and has_key(client, username)
    ):
        return give_key_answer(client, username)
    return response


def bearer(world: World, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[name]}"}

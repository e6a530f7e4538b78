"""Fixtures for the messaging: the accounts' small world (SSIAD A with p1, EHPAD B with p2), an
application whose plugins include a recorder of notices."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from tests.accounts.conftest import (  # noqa: F401
    _world_template,
    bearer,
    csrf_from,
    login,
    world,
)
from virage.app import create_app
from virage.plugins import hookimpl

BODY = "Mme Durand sort de l'hôpital jeudi : insuline 12 UI le matin, à surveiller."


class NoticeRecorder:
    def __init__(self):
        self.calls = []

    @hookimpl
    def notify(self, recipient_user_ids, notice):
        self.calls.append((list(recipient_user_ids), notice))


@pytest.fixture
def notices():
    return NoticeRecorder()


@pytest.fixture
def client(world, notices):  # noqa: F811
    with TestClient(create_app(world.settings, plugins=[notices])) as c:
        yield c


def start(http, w, who: str, participants: list[str], **extra):
    body = {
        "person_id": w.persons["p1"],
        "subject": "Sortie d'hospitalisation",
        "body": BODY,
        "participant_ids": [w.users[p] for p in participants],
        **extra,
    }
    return http.post("/api/v1/messages", json=body, headers=bearer(w, who))


def record_consent(http, w, who: str = "coord_a", partner: str = "b") -> None:
    assert login(http, who).status_code == 303
    page = http.get(f"/personnes/{w.persons['p1']}/messages/accords")
    assert page.status_code == 200, page.text
    r = http.post(
        f"/personnes/{w.persons['p1']}/messages/accords",
        data={
            "partner_structure_id": str(w.structures[partner]),
            "expressed_on": "2026-11-30",
            "_csrf_token": csrf_from(page.text),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    http.cookies.clear()

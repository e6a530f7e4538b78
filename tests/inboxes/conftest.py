"""Fixtures for the organisational inboxes: the accounts' small world (SSIAD A, EHPAD B), a
recorder of notices and of answers sent out, a pinned clock, and helpers to put workers on call."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from litestar.testing import TestClient

from tests.accounts.conftest import (  # noqa: F401
    _world_template,
    bearer,
    csrf_from,
    login,
    world,
)
from virage.agenda.kinds import CORE_KINDS
from virage.agenda.seeding import seed_appointment
from virage.agenda.timeutil import PARIS
from virage.app import create_app
from virage.db import connect
from virage.inboxes import clock
from virage.inboxes.model import ExternalMessage
from virage.inboxes.settings import InboxSettings, seed
from virage.plugins import hookimpl

ADDRESS = "astreinte.ssiad@ssiad-a.mssante.fr"
KINDS = {k.name: k for k in CORE_KINDS}


class Recorder:
    """Notices handed to plugins, and the answers a connector is asked to send."""

    def __init__(self):
        self.notices = []
        self.sent = []
        self.connector = None  # None: no connector; True/False: what the connector answers

    @hookimpl
    def notify(self, recipient_user_ids, notice):
        self.notices.append((list(recipient_user_ids), notice))

    @hookimpl
    def inbox_send_external(self, inbox, to, subject, body, in_reply_to):
        if self.connector is None:
            return None
        self.sent.append((inbox["external_address"], to, subject, body, in_reply_to))
        return self.connector


@pytest.fixture
def recorder():
    return Recorder()


class Clock:
    def __init__(self, monkeypatch):
        self.at = datetime(2026, 12, 2, 21, 0, tzinfo=UTC)  # 22 h in Paris
        monkeypatch.setattr(clock, "now", lambda: self.at)

    def local(self, hour: int, minute: int = 0, day: int = 2) -> None:
        self.at = datetime(2026, 12, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


@pytest.fixture
def pinned(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def client(world, recorder):  # noqa: F811
    with TestClient(create_app(world.settings, plugins=[recorder])) as c:
        yield c


@pytest.fixture
def db(world, client):  # noqa: F811
    conn = connect(world.settings.db_path)
    yield conn
    conn.close()


@pytest.fixture
def inbox(world, db):  # noqa: F811
    return seed(
        db,
        world.structures["a"],
        InboxSettings(name="Astreinte SSIAD", kind="on_call", external_address=ADDRESS),
    )


def on_call(db, world, user: str, start: datetime, hours: int = 10) -> int:  # noqa: F811
    """Put a worker of SSIAD A on call from ``start`` (local Paris time) for ``hours``."""
    return seed_appointment(
        db,
        KINDS,
        structure_id=world.structures["a"],
        kind="on_call",
        title="Astreinte",
        professional_ids=[world.users[user]],
        start_local=start,
        duration_minutes=hours * 60,
    )


def message(n: int = 1, **extra) -> ExternalMessage:
    values = {
        "message_id": f"<m{n}@hopital.mssante.fr>",
        "sender": "urgences@hopital.mssante.fr",
        "subject": "Retour à domicile ce soir",
        "body": "Patiente rentrée à 21 h, pansement à vérifier demain matin.",
        "received_at": datetime(2026, 12, 2, 21, 0, tzinfo=UTC),
        **extra,
    }
    return ExternalMessage(**values)


def local(hour: int, day: int = 2) -> datetime:
    return datetime(2026, 12, day, hour, 0)

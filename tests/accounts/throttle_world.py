"""A structure where many colleagues log in, for the log-in throttle's tests.

Passwords are hashed with cheap argon2 parameters (the verification reads them from the stored
hash): these tests make dozens of attempts, and the real cost (about 64 MiB and a fraction of a
second each) would only make them slow. Browsers are separate test clients (separate cookies); the
address they come from is set with :class:`Peer`, since Litestar's test client always says
``testclient``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from litestar.testing import TestClient

from tests.accounts.soft_key import RP_ID, give_key, give_key_answer, has_key
from tests.accounts.sql import query as sql_query
from tests.conftest import plugin_allow_list
from virage.accounts import notice, notice_storage, storage
from virage.app import prepare_database
from virage.db import connect, utcnow_iso
from virage.plugins import PluginHost
from virage.settings import Settings

PASSWORD = "mot-de-passe-de-test"
CHEAP = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
STAFF = [f"soignant{i:02d}" for i in range(1, 16)]


@dataclass
class Ehpad:
    settings: Settings
    structure_id: int
    users: dict[str, int]


def build_ehpad(folder: Path, **settings_changes) -> Ehpad:
    settings = Settings(
        db_path=folder / "virage.db",
        docs_dir=None,
        secret_key="secret-de-test",
        plugins=plugin_allow_list(),
    ).with_(**settings_changes)
    db = prepare_database(settings, PluginHost(settings))
    sid = storage.create_structure(db, "EHPAD des Tilleuls", "EHPAD")
    users = {}
    for name, role in [("directrice", "director"), *((s, "nurse") for s in STAFF)]:
        users[name] = storage.create_user(
            db, username=name, display_name=name.title(), password_hash=CHEAP.hash(PASSWORD)
        )
        storage.add_membership(db, users[name], sid, role)
        # They read health data: each holds a security key (for the test client and for a real
        # server on this machine) and has read the first-use notice.
        for rp_id in (RP_ID, "localhost"):
            give_key(db, users[name], name, rp_id)
        notice_storage.acknowledge(db, users[name], notice.NOTICE_VERSION, utcnow_iso(), [])
    db.close()
    return Ehpad(settings, sid, users)


class Peer:
    """ASGI wrapper: every request comes from ``address`` (the socket's peer)."""

    def __init__(self, app, address: str) -> None:
        self.app, self.address = app, address

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            scope["client"] = (self.address, 50000)
        await self.app(scope, receive, send)


def browser(app, address: str, *, https: bool = False) -> TestClient:
    """A browser of its own (cookie jar) at ``address``; ``https``: it sees the site over TLS
    (a proxy terminates it), so it sends back the cookies marked Secure."""
    client = TestClient(
        app, base_url="https://testserver.local" if https else "http://testserver.local"
    )
    client.app = Peer(app, address)
    return client


def csrf_from(html: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the form"
    return match.group(1)


def attempt(client, username: str, password: str = PASSWORD, headers: dict | None = None):
    """A log-in: the password, then (when it is right) the account's security key."""
    page = client.get("/connexion", headers=headers)
    response = client.post(
        "/connexion",
        data={
            "username": username,
            "password": password,
            "_csrf_token": csrf_from(page.text),
            "suivant": "/moi",
        },
        headers=headers,
        follow_redirects=False,
    )
    if (
        response.status_code == 303
        and response.headers["location"] == "/connexion/second-facteur"
        and has_key(client, username)
    ):
        return give_key_answer(client, username, headers)
    return response


def query(settings: Settings, sql: str, params=()) -> list[tuple]:
    return sql_query(settings.db_path, sql, params)


def age_attempts(settings: Settings, seconds: int) -> None:
    """As if ``seconds`` had passed: every recorded attempt moves back in time."""
    db = connect(settings.db_path)
    try:
        with db.transaction():
            for attempt_id, at in db.execute("SELECT id, at FROM login_attempts").fetchall():
                moved = datetime.fromisoformat(at) - timedelta(seconds=seconds)
                db.execute(
                    "UPDATE login_attempts SET at = ? WHERE id = ?",
                    [moved.isoformat(timespec="seconds"), attempt_id],
                )
    finally:
        db.close()

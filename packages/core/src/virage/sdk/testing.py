"""What a plugin's tests need: an application, a migrated database, the command line, and a
worker signed in without going through the log-in pages (which are the core's to test).

    from litestar.testing import TestClient
    from virage.sdk import Settings, accounts
    from virage.sdk.testing import create_app, open_database, signed_in, token_for

Everything runs on a temporary SQLite file: give ``Settings(db_path=tmp_path / "virage.db",
secret_key="…")``.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from virage.access import CORE_PERMISSIONS, Registry
from virage.accounts import notice, notice_storage, service
from virage.accounts import storage as _accounts_storage
from virage.accounts.auth import SESSION_COOKIE
from virage.accounts.permissions import ACCOUNT_PERMISSIONS
from virage.app import build_registry, create_app, prepare_database
from virage.cli import main as cli
from virage.db import Database, applied_migrations, connect, transaction, utcnow, utcnow_iso
from virage.demo import DEFAULT_SEED
from virage.inboxes import clock as inboxes_clock
from virage.plugins import PluginHost
from virage.settings import Settings


def open_database(settings: Settings) -> Database:
    """Open the database of ``settings`` and apply every pending migration (core and plugins)."""
    return prepare_database(settings, PluginHost(settings))


def token_for(db: Database, user_id: int, structure_id: int, name: str = "jeton de test") -> str:
    """A bearer token (API) for a worker in one of their structures."""
    return service.create_token(db, user_id, structure_id, name)[1]


def acknowledge_notice(db: Database, user_id: int) -> None:
    """The worker has read the first-use notice (otherwise every page of hers leads to it)."""
    notice_storage.acknowledge(db, user_id, notice.NOTICE_VERSION, utcnow_iso(), [])


def signed_in(db: Database, username: str, *, notice_read: bool = True) -> str:
    """A session cookie value (``SESSION_COOKIE``) for a worker, valid one hour.

    With ``notice_read`` (default) the worker has acknowledged the first-use notice; otherwise
    every page leads to it, as for a new worker.
    """
    user = _accounts_storage.get_user_by_username(db, username)
    if user is None:
        raise LookupError(f"no account {username!r}")
    token = secrets.token_urlsafe(32)
    with transaction(db):
        _accounts_storage.create_session(
            db, service.hash_secret(token), user["id"], utcnow() + timedelta(hours=1)
        )
        if notice_read:
            acknowledge_notice(db, user["id"])
    return token


def pin_inboxes_clock(monkeypatch: Any, moment: datetime) -> None:
    """Pin the organisational inboxes' clock (routing, escalation, handover) at ``moment``, an
    aware datetime, for this test (``monkeypatch`` is pytest's fixture): no sleep, no real time."""
    if moment.tzinfo is None:
        raise ValueError("moment must carry its time zone (e.g. Europe/Paris)")
    at = moment.astimezone(UTC)
    monkeypatch.setattr(inboxes_clock, "now", lambda: at)


def core_registry() -> Registry:
    """The permissions of the core alone (a test of a service without the application)."""
    return Registry([*CORE_PERMISSIONS, *ACCOUNT_PERMISSIONS])


__all__ = [
    "DEFAULT_SEED",
    "SESSION_COOKIE",
    "acknowledge_notice",
    "applied_migrations",
    "build_registry",
    "cli",
    "connect",
    "core_registry",
    "create_app",
    "open_database",
    "pin_inboxes_clock",
    "prepare_database",
    "signed_in",
    "token_for",
]

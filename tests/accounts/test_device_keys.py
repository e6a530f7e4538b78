"""The device key of a session: only its user gets it, never cached, gone at log-out.

What the browser keeps (drafts, unsent transmissions) is encrypted with it (device-store.js); the
browser scenarios are in tests/e2e/test_device_storage.py.
"""

from __future__ import annotations

import base64
import re
from datetime import timedelta

from litestar.testing import TestClient

from tests.accounts.conftest import csrf_from, login
from virage.accounts import device_keys, service
from virage.db import connect, utcnow

KEY_URL = "/moi/cle-appareil"
JSON = {"accept": "application/json"}


def _key(client) -> dict:
    r = client.get(KEY_URL, headers=JSON)
    assert r.status_code == 200, r.text
    return r.json()


def _log_out(client):
    page = client.get("/moi")
    return client.post(
        "/deconnexion", data={"_csrf_token": csrf_from(page.text)}, follow_redirects=False
    )


def _rows(world, sql, params=()):
    db = connect(world.settings.db_path)
    try:
        return db.execute(sql, list(params)).fetchall()
    finally:
        db.close()


def _expire_sessions_of(world, username: str) -> None:
    db = connect(world.settings.db_path)
    past = (utcnow() - timedelta(minutes=1)).replace(microsecond=0).isoformat()
    db.execute(
        "UPDATE sessions SET expires_at = ? WHERE user_id = ?", [past, world.users[username]]
    )
    db.close()


def test_only_a_signed_in_user_gets_a_key(client):
    r = client.get(KEY_URL, headers=JSON)
    assert r.status_code == 401
    assert "secret" not in r.text
    r = client.get(KEY_URL, follow_redirects=False)
    assert r.status_code in (302, 303, 307) and r.headers["location"].startswith("/connexion")


def test_the_key_belongs_to_the_session_and_is_never_cached(client, app, world):
    login(client, "nurse_a")
    r = client.get(KEY_URL, headers=JSON)
    assert r.status_code == 200
    assert "no-store" in r.headers["cache-control"]
    body = r.json()
    assert body["user"] == world.users["nurse_a"]
    assert body["previous"] == []
    assert len(base64.urlsafe_b64decode(body["key"]["secret"] + "==")) == 32  # AES-256
    assert _key(client)["key"] == body["key"]  # the same for the whole session

    with TestClient(app) as other_tablet:  # the same nurse on another device: another key
        login(other_tablet, "nurse_a")
        assert _key(other_tablet)["key"]["secret"] != body["key"]["secret"]
    with TestClient(app) as secretary:
        login(secretary, "secretary_a")
        theirs = _key(secretary)
        assert theirs["user"] == world.users["secretary_a"]
        assert theirs["key"]["secret"] != body["key"]["secret"]
        assert body["key"]["secret"] not in str(theirs)


def test_logging_out_deletes_the_key_and_clears_the_site(client, world):
    login(client, "nurse_a")
    secret = _key(client)["key"]["secret"]
    r = _log_out(client)
    assert r.status_code == 303
    assert r.headers["clear-site-data"] == '"cache", "storage"'
    assert _rows(world, "SELECT count(*) FROM device_keys WHERE secret = ?", [secret]) == [(0,)]
    assert client.get(KEY_URL, headers=JSON).status_code == 401
    # Logged out on purpose: the old key is not offered again at the next log-in.
    login(client, "nurse_a")
    assert secret not in str(_key(client))


def test_a_password_reset_makes_what_the_devices_kept_unreadable(client, world):
    """The tablet was lost with the session open: the administration resets the password."""
    login(client, "nurse_a")
    secret = _key(client)["key"]["secret"]
    db = connect(world.settings.db_path)
    service.reset_password(db, world.users["nurse_a"], "nouveau-mot-de-passe-2026")
    db.close()
    assert client.get(KEY_URL, headers=JSON).status_code == 401
    assert _rows(world, "SELECT count(*) FROM device_keys WHERE secret = ?", [secret]) == [(0,)]
    login(client, "nurse_a", "nouveau-mot-de-passe-2026")
    assert secret not in str(_key(client))


def test_a_key_of_an_expired_session_goes_back_to_its_user_only(client, app, world):
    """Her session ended while an entry waited offline: at her next log-in she can still send it."""
    login(client, "nurse_a")
    old = _key(client)["key"]
    _expire_sessions_of(world, "nurse_a")
    assert client.get(KEY_URL, headers=JSON).status_code == 401

    with TestClient(app) as secretary:  # the next user of the tablet never gets it
        login(secretary, "secretary_a")
        assert old["secret"] not in str(_key(secretary))
    login(client, "nurse_a")
    body = _key(client)
    assert body["previous"] == [old]
    assert body["key"]["secret"] != old["secret"]


def test_keys_of_expired_sessions_are_forgotten_after_the_grace_period(client, world):
    login(client, "nurse_a")
    old = _key(client)["key"]
    _expire_sessions_of(world, "nurse_a")
    db = connect(world.settings.db_path)
    past = (utcnow() - timedelta(seconds=1)).replace(microsecond=0).isoformat()
    db.execute("UPDATE device_keys SET expires_at = ? WHERE id = ?", [past, old["id"]])
    db.close()
    login(client, "nurse_a")
    assert _key(client)["previous"] == []  # not offered, and purged with the new key
    assert _rows(world, "SELECT count(*) FROM device_keys WHERE id = ?", [old["id"]]) == [(0,)]


def test_previous_keys_are_bounded(client, world):
    db = connect(world.settings.db_path)
    user = world.users["nurse_a"]
    for n in range(device_keys.MAX_PREVIOUS + 5):
        device_keys.for_session(db, f"ended-session-{n}", user)  # no such session: ended
    db.close()
    login(client, "nurse_a")
    assert len(_key(client)["previous"]) == device_keys.MAX_PREVIOUS


def test_pages_load_the_device_scripts_without_inline_code(client):
    page = client.get("/connexion").text
    assert re.search(r'<script src="[^"]*device-store\.js[^"]*" defer data-tidy>', page)
    login(client, "nurse_a")
    page = client.get("/moi").text
    for name in ("device-store.js", "transmissions.js", "logout.js"):
        assert re.search(rf'<script src="[^"]*{re.escape(name)}[^"]*"', page), name
    assert page.index("device-store.js") < page.index("transmissions.js") < page.index("logout.js")
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page)

"""Helpers of the alerts tests: sign in as a worker, enrol a sensor through the director's page,
send a signed event as the sensor does, pin the clock."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from virage_alerts import clock, signing

from tests.accounts.conftest import csrf_from
from virage.sdk.testing import SESSION_COOKIE, connect, signed_in

NIGHT = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 3 h du matin à Paris


def pin(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def as_worker(client, world, username: str) -> None:
    client.cookies.clear()
    db = connect(world.settings.db_path)
    try:
        client.cookies.set(SESSION_COOKIE, signed_in(db, username))
    finally:
        db.close()


def post_form(client, page: str, url: str, data: dict, **kw):
    """GET ``page`` for its CSRF token, then POST ``data`` to ``url``."""
    token = csrf_from(client.get(page).text)
    return client.post(url, data={**data, "_csrf_token": token}, follow_redirects=False, **kw)


def enrol(client, world, room="12", unit="Les Tilleuls", structure="a") -> tuple[int, str]:
    """As the director, enrol a sensor; returns (its number, its secret shown once)."""
    as_worker(client, world, "director_a")
    page = f"/alertes/structures/{world.structures[structure]}/capteurs"
    data = {"name": f"Détecteur chambre {room}", "room": room, "unit": unit}
    r = post_form(client, page, page, data)
    assert r.status_code == 200, r.text
    secret = re.search(r'<code id="secret-capteur">([^<]+)</code>', r.text).group(1)
    number = int(re.search(r"Secret du capteur n° (\d+)", r.text).group(1))
    client.cookies.clear()
    return number, secret


def body(event_id: str, kind="chute", **extra) -> bytes:
    return json.dumps({"id": event_id, "type": kind, **extra}).encode()


def send(client, device_id: int, secret: str, raw: bytes, at: datetime | None = None, **kw):
    stamp = int((at or clock.now()).timestamp())
    headers = signing.headers(device_id, secret, stamp, raw)
    headers.update(kw.pop("headers", {}))
    return client.post("/alertes/evenements", content=raw, headers=headers, **kw)


def board(client, world, username="nurse_a", structure="a") -> str:
    as_worker(client, world, username)
    r = client.get(f"/alertes/structures/{world.structures[structure]}")
    assert r.status_code == 200, r.text
    return r.text


def open_alert_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'id="alerte-(\d+)"', html)]

"""The signed webhook: forged, stale, replayed and unknown requests refused; retries idempotent;
no media; the alert stored before the answer; audited in the sensor's name."""

from __future__ import annotations

from datetime import timedelta

from alerts_helpers import NIGHT, body, enrol, pin, send

from virage.sdk.testing import connect


def _alerts(world) -> list[dict]:
    db = connect(world.settings.db_path)
    try:
        return db.fetch_all("SELECT * FROM alerts_alerts ORDER BY id")
    finally:
        db.close()


def test_a_signed_event_raises_an_alert_stored_before_the_answer(client, world, monkeypatch):
    pin(monkeypatch, NIGHT)
    device, secret = enrol(client, world)
    r = send(client, device, secret, body("evt-1"))
    assert r.status_code == 201, r.text
    alerts = _alerts(world)  # another connection: committed before the answer
    assert [(a["room"], a["unit"], a["kind"], a["status"]) for a in alerts] == [
        ("12", "Les Tilleuls", "fall", "raised")
    ]
    assert r.json() == {"alerte": alerts[0]["id"], "doublon": False}
    db = connect(world.settings.db_path)
    entry = db.fetch_one("SELECT * FROM audit_log WHERE action = 'alerts.raised'")
    db.close()
    assert entry is not None and "Capteur" in str(entry)


def test_a_retry_of_the_same_event_creates_nothing(client, world, monkeypatch):
    pin(monkeypatch, NIGHT)
    device, secret = enrol(client, world)
    first = send(client, device, secret, body("evt-1"))
    pin(monkeypatch, NIGHT + timedelta(seconds=5))  # the sensor signs its retry again
    again = send(client, device, secret, body("evt-1"))
    assert again.status_code == 200
    assert again.json() == {"alerte": first.json()["alerte"], "doublon": True}
    assert len(_alerts(world)) == 1


def test_a_forged_signature_is_refused(client, world, monkeypatch):
    pin(monkeypatch, NIGHT)
    device, secret = enrol(client, world)
    r = send(client, device, "pas-le-bon-secret", body("evt-1"))
    assert r.status_code == 401
    assert "Signature" in r.text
    other, _ = enrol(client, world, room="14")
    assert send(client, other, secret, body("evt-1")).status_code == 401  # another's secret
    assert send(client, 9999, secret, body("evt-1")).status_code == 401  # unknown sensor
    tampered = send(client, device, secret, body("evt-1"), headers={"X-Virage-Horodatage": "1"})
    assert tampered.status_code == 401
    assert _alerts(world) == []


def test_a_replayed_request_is_refused(client, world, monkeypatch):
    pin(monkeypatch, NIGHT)
    device, secret = enrol(client, world)
    raw = body("evt-1")
    assert send(client, device, secret, raw).status_code == 201
    replay = send(client, device, secret, raw)  # same bytes, same timestamp, same signature
    assert replay.status_code == 409
    assert "rejeu" in replay.text
    assert len(_alerts(world)) == 1


def test_stale_or_future_timestamps_are_refused(client, world, monkeypatch):
    pin(monkeypatch, NIGHT)
    device, secret = enrol(client, world)
    old = send(client, device, secret, body("evt-1"), at=NIGHT - timedelta(minutes=6))
    future = send(client, device, secret, body("evt-2"), at=NIGHT + timedelta(minutes=6))
    edge = send(client, device, secret, body("evt-3"), at=NIGHT - timedelta(minutes=4))
    assert (old.status_code, future.status_code, edge.status_code) == (401, 401, 201)
    assert "Horodatage" in old.text


def test_a_revoked_sensor_is_refused(client, world, monkeypatch):
    from alerts_helpers import as_worker, post_form

    pin(monkeypatch, NIGHT)
    device, secret = enrol(client, world)
    as_worker(client, world, "director_a")
    page = f"/alertes/structures/{world.structures['a']}/capteurs"
    assert post_form(client, page, f"{page}/{device}/revoquer", {}).status_code == 303
    client.cookies.clear()
    assert send(client, device, secret, body("evt-1")).status_code == 401


def test_same_id_other_content_is_a_conflict(client, world, monkeypatch):
    pin(monkeypatch, NIGHT)
    device, secret = enrol(client, world)
    send(client, device, secret, body("evt-1"))
    r = send(client, device, secret, body("evt-1", kind="appel"))
    assert r.status_code == 409
    assert "identifiant neuf" in r.text


def test_no_media_and_a_bounded_json_body(client, world, monkeypatch):
    pin(monkeypatch, NIGHT)
    device, secret = enrol(client, world)
    media = send(client, device, secret, body("evt-1", image="iVBORw0KGgo="))
    assert media.status_code == 400
    assert "image" in media.text
    big = send(client, device, secret, body("evt-2", note="x" * 20_000))
    assert big.status_code in (400, 413)
    bad = send(client, device, secret, body("evt-3", kind="explosion"))
    assert bad.status_code == 400
    assert "type" in bad.text
    raw = b"id=1&type=chute"
    form = send(client, device, secret, raw, headers={"Content-Type": "text/plain"})
    assert form.status_code == 400
    assert "JSON" in form.text
    assert _alerts(world) == []


def test_the_cli_simulates_a_sensor(client, world, monkeypatch, capsys):
    from virage.sdk.testing import cli

    device, _ = enrol(client, world)
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    monkeypatch.setenv("VIRAGE_SECRET_KEY", world.settings.secret_key)
    args = ["alertes", "simuler", "--capteur", str(device), "--id", "demo-1"]
    assert cli(args) == 0
    assert "Chambre 12 : alerte créée" in capsys.readouterr().out
    pin(monkeypatch, NIGHT)  # signed at another second: a retry, not a replay
    assert cli(args) == 0
    assert "déjà reçu" in capsys.readouterr().out
    assert cli(["alertes", "simuler", "--capteur", "999"]) == 1
    assert "introuvable" in capsys.readouterr().err
    assert len(_alerts(world)) == 1

"""The life of an alert on the board: latched until taken, the first taker wins (also when two
phones tap at the same moment), the others see it taken, on site, closed with an outcome,
« fausse alerte » in one tap, every step timestamped and audited; the live feed catches up."""

from __future__ import annotations

import json
import re
import threading
from datetime import timedelta

import pytest
from alerts_helpers import (
    NIGHT,
    as_worker,
    board,
    body,
    enrol,
    open_alert_ids,
    pin,
    post_form,
    send,
)
from virage_alerts import lifecycle

from virage.sdk import Conflict, PluginHost, accounts
from virage.sdk.testing import connect


def _raise(client, world, monkeypatch, event="evt-1", room="12") -> int:
    pin(monkeypatch, NIGHT)
    device, secret = enrol(client, world, room=room)
    return send(client, device, secret, body(event)).json()["alerte"]


def _step(client, world, username, alert_id, step, data=None):
    as_worker(client, world, username)
    page = f"/alertes/structures/{world.structures['a']}"
    return post_form(client, page, f"{page}/alertes/{alert_id}/{step}", data or {})


def test_an_alert_stays_raised_until_taken_then_others_see_it_taken(client, world, monkeypatch):
    alert = _raise(client, world, monkeypatch)
    html = board(client, world, "nurse_a")
    assert open_alert_ids(html) == [alert]
    assert "Chambre 12" in html and "En attente" in html and "J’y vais" in html
    pin(monkeypatch, NIGHT + timedelta(hours=2))  # nobody took it: still there, still raised
    assert "En attente" in board(client, world, "care_a")
    assert _step(client, world, "nurse_a", alert, "jy-vais").status_code == 303
    mine = board(client, world, "nurse_a")
    assert "Prise en charge" in mine and "par vous" in mine
    theirs = board(client, world, "care_a")
    assert "par une collègue" in theirs and "J’y vais" not in theirs
    late = _step(client, world, "care_a", alert, "jy-vais")
    assert late.status_code == 409
    assert "déjà prise en charge" in late.text


def test_two_phones_tap_at_once_one_wins(client, world, monkeypatch):
    alert = _raise(client, world, monkeypatch)
    plugins = PluginHost(world.settings)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def tap(username: str) -> None:
        db = connect(world.settings.db_path)
        try:
            access = accounts.access_for(db, plugins, username, route="/alertes")
            barrier.wait()
            try:
                lifecycle.take(access, world.structures["a"], alert)
                results[username] = "won"
            except Conflict:
                results[username] = "taken"
        finally:
            db.close()

    threads = [threading.Thread(target=tap, args=(u,)) for u in ("nurse_a", "nurse2_a")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == ["taken", "won"]
    db = connect(world.settings.db_path)
    row = db.fetch_one("SELECT taken_by FROM alerts_alerts WHERE id = ?", [alert])
    steps = db.fetch_all("SELECT step FROM alerts_steps WHERE alert_id = ?", [alert])
    db.close()
    winner = next(u for u, r in results.items() if r == "won")
    assert row["taken_by"] == world.users[winner]
    assert [s["step"] for s in steps] == ["raised", "taken"]


def test_on_site_then_closed_with_an_outcome_every_step_audited(client, world, monkeypatch):
    alert = _raise(client, world, monkeypatch)
    _step(client, world, "care_a", alert, "jy-vais")
    pin(monkeypatch, NIGHT + timedelta(minutes=2))
    assert _step(client, world, "care_a", alert, "sur-place").status_code == 303
    assert "Sur place" in board(client, world, "care_a")
    pin(monkeypatch, NIGHT + timedelta(minutes=9))
    r = _step(client, world, "care_a", alert, "terminer", {"outcome": "fall_no_injury"})
    assert r.status_code == 303
    html = board(client, world, "nurse_a")
    assert open_alert_ids(html) == []  # closed is never shown as open
    assert "Chute sans blessure" in html
    db = connect(world.settings.db_path)
    steps = db.fetch_all(
        "SELECT step, at FROM alerts_steps WHERE alert_id = ? ORDER BY id", [alert]
    )
    actions = {
        r["action"]
        for r in db.fetch_all("SELECT action FROM audit_log WHERE action LIKE 'alerts.%'")
    }
    db.close()
    assert [s["step"] for s in steps] == ["raised", "taken", "on_site", "closed"]
    assert steps[-1]["at"] > steps[0]["at"]
    assert {"alerts.raised", "alerts.taken", "alerts.on_site", "alerts.closed"} <= actions


def test_false_alarm_in_one_tap_from_the_raised_state(client, world, monkeypatch):
    alert = _raise(client, world, monkeypatch)
    assert _step(client, world, "nurse_a", alert, "fausse-alerte").status_code == 303
    html = board(client, world, "care_a")
    assert open_alert_ids(html) == [] and "Fausse alerte" in html
    again = _step(client, world, "care_a", alert, "jy-vais")
    assert again.status_code == 409 and "déjà terminée" in again.text


def test_only_the_taker_closes_and_bad_outcomes_are_refused(client, world, monkeypatch):
    alert = _raise(client, world, monkeypatch)
    _step(client, world, "nurse_a", alert, "jy-vais")
    other = _step(client, world, "care_a", alert, "sur-place")
    assert other.status_code == 409
    bad = _step(client, world, "nurse_a", alert, "terminer", {"outcome": "bof"})
    assert bad.status_code == 400 and "chute avec ou sans blessure" in bad.text
    unknown = _step(client, world, "nurse_a", alert, "effacer")
    assert unknown.status_code == 400


def test_the_live_feed_catches_up_from_last_event_id(client, world, monkeypatch):
    # Without « Accept: text/event-stream » the feed sends what is there, then ends.
    first = _raise(client, world, monkeypatch)
    device, secret = enrol(client, world, room="14")
    second = send(client, device, secret, body("evt-2")).json()["alerte"]
    _step(client, world, "nurse_a", first, "fausse-alerte")
    as_worker(client, world, "care_a")
    url = f"/alertes/structures/{world.structures['a']}/flux"
    with client.stream("GET", url) as r:
        assert r.status_code == 200
        text = "".join(r.iter_text())
    ids = [int(x) for x in re.findall(r"^id: ?(\d+)", text, flags=re.M)]
    assert len(ids) == 3 and "Chambre" not in text  # the room number only, as a field
    assert '"room": "12"' in text and '"room": "14"' in text
    # Reconnecting after the second event: only the steps missed, with the state of now.
    with client.stream("GET", url, headers={"Last-Event-ID": str(ids[1])}) as r:
        missed = "".join(r.iter_text())
    assert f"id: {ids[2]}" in missed and f"id: {ids[0]}" not in missed
    assert '"status": "closed"' in missed
    # A late board replaying from the start never sees the closed alert as open.
    with client.stream("GET", url, headers={"Last-Event-ID": "0"}) as r:
        replay = r.read().decode()
    states = [
        json.loads(line[5:])["alert"] for line in replay.splitlines() if line.startswith("data:")
    ]
    assert {a["status"] for a in states if a["id"] == first} == {"closed"}
    assert {a["status"] for a in states if a["id"] == second} == {"raised"}


@pytest.mark.parametrize(
    ("username", "board_status", "devices_status"),
    [
        ("director_a", 200, 200),
        ("coord_a", 200, 403),
        ("nurse_a", 200, 403),
        ("care_a", 200, 403),
        ("secretary_a", 403, 403),
        ("social_a", 403, 403),
        ("dpo_a", 403, 403),
        ("nurse_b", 404, 404),
    ],
)
def test_who_sees_the_board_and_the_sensors(client, world, username, board_status, devices_status):
    as_worker(client, world, username)
    sid = world.structures["a"]
    assert client.get(f"/alertes/structures/{sid}").status_code in _codes(board_status)
    assert client.get(f"/alertes/structures/{sid}/capteurs").status_code in _codes(devices_status)
    assert client.get(f"/alertes/structures/{sid}/flux").status_code in _codes(board_status)


def _codes(expected: int) -> tuple[int, ...]:
    # Another structure's pages answer 403 or 404: never its content.
    return (403, 404) if expected in (403, 404) else (expected,)


def test_signed_out_and_api_token_get_nothing(client, world, monkeypatch):
    _raise(client, world, monkeypatch)
    client.cookies.clear()
    r = client.get(f"/alertes/structures/{world.structures['a']}", follow_redirects=False)
    assert r.status_code in (302, 303, 401)
    assert "Chambre 12" not in r.text

"""After the fall: the room's resident (set by the direction, never on the board), the fall's
DAR transmission prefilled for the closer when she is in the resident's care team, the prompt
for the post-fall assessment; the fall register (and its CSV) and the figures, per unit and for
the night team, with no worker's identity anywhere."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from alerts_helpers import as_worker, board, body, enrol, pin, post_form, send
from virage_alerts import background, escalation

from virage.sdk import utcnow
from virage.sdk.testing import connect


def _last_night() -> datetime:
    """3 h in Paris, last night: a transmission may not be dated more than 30 days back."""
    return (utcnow() - timedelta(days=1)).replace(hour=2, minute=0, second=0, microsecond=0)


def _page(world, what="") -> str:
    return f"/alertes/structures/{world.structures['a']}{what}"


def _assign(client, world, room: str, person, username="director_a"):
    as_worker(client, world, username)
    return post_form(
        client,
        _page(world, "/chambres"),
        _page(world, "/chambres"),
        {"room": room, "person": person},
    )


def _step(client, world, username, alert_id, step, data=None):
    as_worker(client, world, username)
    return post_form(client, _page(world), _page(world, f"/alertes/{alert_id}/{step}"), data or {})


def _fall(client, world, monkeypatch, at, room="12", event="chute-1", device=None):
    pin(monkeypatch, at)
    device = device or enrol(client, world, room=room)
    alert = send(client, *device, body(event)).json()["alerte"]
    return alert, device


def test_the_direction_sets_the_room_the_board_still_shows_no_name(client, world, monkeypatch):
    pin(monkeypatch, _last_night())
    enrol(client, world, room="12")
    p1, p2 = world.persons["p1"], world.persons["p2"]
    assert _assign(client, world, "12", str(p1)).status_code == 303
    page = client.get(_page(world, "/chambres")).text
    assert "Jeanne DURAND" in page
    # Another structure's resident, an unknown room, a worker without the right: refused.
    refused = _assign(client, world, "12", str(p2))
    assert refused.status_code == 400 and "pas accompagnée par la structure" in refused.text
    assert _assign(client, world, "99", str(p1)).status_code == 404
    assert _assign(client, world, "12", "", username="nurse_a").status_code == 403
    as_worker(client, world, "secretary_a")
    assert client.get(_page(world, "/chambres")).status_code == 403
    db = connect(world.settings.db_path)
    try:
        assert db.fetch_one("SELECT person_id FROM alerts_rooms")["person_id"] == p1
        audited = db.fetch_one(
            "SELECT person_id FROM audit_log WHERE action = 'alerts.room.assigned'"
        )
        assert audited["person_id"] == p1
    finally:
        db.close()
    send_alert = _fall(client, world, monkeypatch, _last_night(), event="x")
    assert send_alert
    html = board(client, world, "nurse_a")
    assert "Chambre 12" in html and "Durand" not in html and "DURAND" not in html


def test_closing_a_fall_leads_the_care_team_to_the_prefilled_transmission(
    client, world, monkeypatch
):
    night = _last_night()
    alert, _ = _fall(client, world, monkeypatch, night)
    _assign(client, world, "12", str(world.persons["p1"]))
    pin(monkeypatch, night + timedelta(minutes=2))
    _step(client, world, "nurse_a", alert, "jy-vais")
    pin(monkeypatch, night + timedelta(minutes=4))
    _step(client, world, "nurse_a", alert, "sur-place")
    pin(monkeypatch, night + timedelta(minutes=15))
    closed = _step(client, world, "nurse_a", alert, "terminer", {"outcome": "fall_injury"})
    after = _page(world, f"/alertes/{alert}/apres-la-chute")
    assert closed.status_code == 303 and closed.headers["location"] == after
    form = client.get(after)
    assert form.status_code == 200
    assert "Chute en chambre 12 (Les Tilleuls), alerte à 3 h 00" in form.text
    assert "prise en charge à 3 h 02" in form.text and "sur place à 3 h 04" in form.text
    assert "Évaluation après la chute" in form.text
    assert f'href="/personnes/{world.persons["p1"]}"' in form.text
    data = {"data": "Chute en chambre 12, plaie au front.", "actions": "Pansement, médecin appelé."}
    sent = post_form(client, after, after, {**data, "priority": "important"})
    assert (
        sent.status_code == 303 and sent.headers["location"] == f"/personnes/{world.persons['p1']}"
    )
    again = post_form(client, after, after, {**data, "priority": "important"})
    assert again.status_code == 303  # sent twice: one transmission
    db = connect(world.settings.db_path)
    try:
        rows = db.fetch_all(
            "SELECT target, occurred_at, person_id FROM transmissions WHERE person_id = ?",
            [world.persons["p1"]],
        )
    finally:
        db.close()
    assert len(rows) == 1 and rows[0]["target"] == "chute"
    assert rows[0]["occurred_at"].startswith(night.strftime("%Y-%m-%dT%H:%M"))
    thread = client.get(f"/personnes/{world.persons['p1']}/transmissions")
    assert "plaie au front" in thread.text


def test_a_closer_outside_the_care_team_goes_back_to_the_board(client, world, monkeypatch):
    alert, _ = _fall(client, world, monkeypatch, _last_night())
    _assign(client, world, "12", str(world.persons["p1"]))
    closed = _step(client, world, "nurse2_a", alert, "terminer", {"outcome": "fall_no_injury"})
    assert closed.headers["location"].startswith(_page(world) + "#")
    assert client.get(_page(world, f"/alertes/{alert}/apres-la-chute")).status_code == 403


def _night_of_alerts(client, world, monkeypatch) -> datetime:
    """Three alerts in two units: a fall taken in 2 min, a false alarm in 40 s, one widened."""
    night = _last_night()
    first, device = _fall(client, world, monkeypatch, night)
    pin(monkeypatch, night + timedelta(minutes=2))
    _step(client, world, "nurse_a", first, "jy-vais")
    pin(monkeypatch, night + timedelta(minutes=5))
    _step(client, world, "nurse_a", first, "sur-place")
    _step(client, world, "nurse_a", first, "terminer", {"outcome": "fall_no_injury"})
    second, _ = _fall(
        client, world, monkeypatch, night + timedelta(minutes=30), device=device, event="b"
    )
    pin(monkeypatch, night + timedelta(minutes=30, seconds=40))
    _step(client, world, "care_a", second, "fausse-alerte")
    pin(monkeypatch, night + timedelta(hours=1))
    third_device = enrol(client, world, room="31", unit="Les Chênes")
    third = send(client, *third_device, body("c")).json()["alerte"]
    pin(monkeypatch, night + timedelta(hours=1, minutes=12))
    _step(client, world, "nurse2_a", third, "jy-vais")  # widened to the manager on call meanwhile
    _step(client, world, "nurse2_a", third, "terminer", {"outcome": "fall_injury"})
    return night


WORKERS = ("nurse_a", "nurse2_a", "care_a", "nurse a", "nurse2 a", "care a")


def test_register_and_figures_per_unit_never_per_worker(client, world, monkeypatch):
    night = _night_of_alerts(client, world, monkeypatch)
    day = (night + timedelta(hours=1)).astimezone(UTC).date().isoformat()
    as_worker(client, world, "director_a")
    register = client.get(_page(world, f"/registre?du={day}&au={day}"))
    assert register.status_code == 200
    assert "2 chutes" in register.text
    assert "2 min 00 s" in register.text and "5 min 00 s" in register.text  # to take, to arrive
    csv = client.get(_page(world, f"/registre.csv?du={day}&au={day}"))
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Date;Heure;Chambre;Unité;Blessure")
    assert len(lines) == 3 and ";12;Les Tilleuls;non;2 min 00 s;5 min 00 s" in lines[1]
    figures = client.get(_page(world, f"/chiffres?du={day}&au={day}"))
    assert figures.status_code == 200
    text = figures.text
    assert "3 alertes, soit 3,0 par nuit" in text and "dont 2 chutes" in text
    assert "Fausses alertes : 33 %" in text
    assert "médiane 2 min 00 s" in text and "Unité « Les Chênes »" in text
    for page in (register.text, csv.text, text):
        for worker in WORKERS:
            assert worker not in page
    db = connect(world.settings.db_path)
    try:
        actions = {r["action"] for r in db.fetch_all("SELECT action FROM audit_log")}
    finally:
        db.close()
    assert {"alerts.register.read", "alerts.register.export", "alerts.figures.read"} <= actions


def test_register_and_figures_are_for_the_direction_and_periods_are_checked(client, world):
    for username in ("nurse_a", "secretary_a", "coord_b"):
        as_worker(client, world, username)
        for what in ("/registre", "/chiffres", "/registre.csv"):  # another structure: 404
            assert client.get(_page(world, what)).status_code in (403, 404)
    as_worker(client, world, "coord_a")
    assert client.get(_page(world, "/chiffres")).status_code == 200
    backwards = client.get(_page(world, "/registre?du=2026-12-02&au=2026-11-01"))
    assert backwards.status_code == 400 and "inversez" in backwards.text
    too_long = client.get(_page(world, "/chiffres?du=2024-01-01&au=2026-01-01"))
    assert too_long.status_code == 400 and "un an au plus" in too_long.text
    assert client.get(_page(world, "/registre?du=demain")).status_code == 400


def test_escalation_runs_by_itself_on_a_pinned_clock(client, world, monkeypatch):
    night = _last_night()
    alert, _ = _fall(client, world, monkeypatch, night)
    db = connect(world.settings.db_path)
    try:
        pin(monkeypatch, night + timedelta(minutes=1))
        assert background.run_once(db) == 0
        pin(monkeypatch, night + timedelta(minutes=4))
        assert background.run_once(db) == 1
        assert db.fetch_one("SELECT level FROM alerts_alerts WHERE id = ?", [alert])["level"] == 1
    finally:
        db.close()


def test_the_background_task_survives_a_failing_round(world, monkeypatch):
    calls: list[str] = []

    def flaky(db, structure_id):
        calls.append("round")
        if len(calls) == 1:
            raise RuntimeError("base indisponible")
        return []

    monkeypatch.setattr(escalation, "escalate_due", flaky)

    class Pool:
        def get(self):
            return connect(world.settings.db_path)

    async def no_wait(_seconds):
        return None

    # In a thread of its own: a browser test of the same run may hold this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        rounds = background.run(Pool(), 30, rounds=3, sleep=no_wait)
        failed = pool.submit(asyncio.run, rounds).result(timeout=60)
    assert failed == 1 and len(calls) >= 3

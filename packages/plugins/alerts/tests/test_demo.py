"""The demo's past nights: sensors in rooms, residents in them, closed alerts that the register
and the figures show, the same for the same seed, and nothing left open."""

from __future__ import annotations

from alerts_helpers import as_worker
from virage_alerts import demo

from virage.sdk.testing import connect

COLUMNS = "room, unit, kind, status, outcome, raised_at, taken_at, closed_at, person_id"


def _alerts(world) -> list[tuple]:
    db = connect(world.settings.db_path)
    try:
        rows = db.fetch_all(f"SELECT {COLUMNS} FROM alerts_alerts ORDER BY id")
    finally:
        db.close()
    return [tuple(r.values()) for r in rows]


def _create(world, monkeypatch, seed: int) -> list[str]:
    monkeypatch.setattr(demo, "STRUCTURE", "EHPAD B")
    monkeypatch.setattr(demo, "DIRECTOR", "coord_b")
    monkeypatch.setattr(demo, "NIGHT_NURSE", "nurse_b")
    db = connect(world.settings.db_path)
    try:
        return demo.create(db, seed)
    finally:
        db.close()


def test_the_demo_fills_past_nights_for_the_register_and_the_figures(client, world, monkeypatch):
    lines = _create(world, monkeypatch, 7)
    assert len(lines) == 1 and "virage alertes simuler --capteur" in lines[0]
    rows = _alerts(world)
    assert rows, "three weeks of nights hold some alerts"
    assert {r[3] for r in rows} == {"closed"}  # nothing left open to escalate
    assert all(r[5] < r[6] < r[7] for r in rows)  # raised, taken, closed: in that order
    falls = [r for r in rows if r[4] in ("fall_injury", "fall_no_injury")]
    db = connect(world.settings.db_path)
    try:
        rooms = {r["room"]: r["person_id"] for r in db.fetch_all("SELECT * FROM alerts_rooms")}
    finally:
        db.close()
    assert rooms and set(rooms.values()) <= set(world.persons.values())
    # A fall names the room's resident (for the care team's transmission); a call names no one.
    assert all(r[8] == rooms.get(r[0]) for r in falls)
    assert all(r[8] is None for r in rows if r not in falls)

    sid = world.structures["b"]
    as_worker(client, world, "coord_b")
    first, last = min(r[5] for r in rows)[:10], max(r[5] for r in rows)[:10]
    register = client.get(f"/alertes/structures/{sid}/registre?du={first}&au={last}")
    assert register.status_code == 200
    said = f"{len(falls)} chute{'s' if len(falls) > 1 else ''}"
    assert (said in register.text) if falls else ("Aucune chute" in register.text)
    figures = client.get(f"/alertes/structures/{sid}/chiffres?du={first}&au={last}")
    assert figures.status_code == 200 and f"{len(rows)} alerte" in figures.text
    assert "nurse b" not in figures.text and "nurse b" not in register.text


def test_the_same_seed_gives_the_same_nights(world, monkeypatch, tmp_path):
    _create(world, monkeypatch, 7)
    first = [r[:5] for r in _alerts(world)]
    db = connect(world.settings.db_path)
    try:
        for table in ("alerts_steps", "alerts_alerts", "alerts_rooms", "alerts_devices"):
            db.execute(f"DELETE FROM {table}")
    finally:
        db.close()
    _create(world, monkeypatch, 7)
    assert [r[:5] for r in _alerts(world)] == first

"""Routing and escalation on a pinned clock: who is called comes from the agenda (« Poste de
nuit » of the unit, the whole night team, « Astreinte »); an alert nobody took widens after N
minutes (per structure, from « Réglages de la structure »); a taken alert never widens."""

from __future__ import annotations

from datetime import datetime, timedelta

from alerts_helpers import NIGHT, as_worker, board, body, enrol, pin, post_form, send
from virage_alerts import escalation

from virage.sdk import PluginHost, agenda, to_local
from virage.sdk.testing import connect


def _duty(world) -> None:
    """Tonight: care_a on the unit Les Tilleuls, nurse_a on another unit, coord_a on call."""
    kinds = {k.name: k for k in PluginHost(world.settings).call_flat("register_appointment_kinds")}
    start = datetime.combine(to_local(NIGHT).date(), datetime.min.time()) - timedelta(hours=3)
    db = connect(world.settings.db_path)
    try:
        for user, kind, unit in (
            ("care_a", "alerts_night", "Les Tilleuls"),
            ("nurse_a", "alerts_night", "Les Chênes"),
            ("coord_a", "on_call", None),
        ):
            agenda.seed_appointment(
                db,
                kinds,
                structure_id=world.structures["a"],
                kind=kind,
                title="Nuit",
                professional_ids=[world.users[user]],
                start_local=start,
                duration_minutes=10 * 60,
                place_detail=unit,
            )
    finally:
        db.close()


def test_an_alert_nobody_takes_widens_level_by_level(client, world, monkeypatch):
    _duty(world)
    pin(monkeypatch, NIGHT)
    device, secret = enrol(client, world)
    send(client, device, secret, body("evt-1"))
    html = board(client, world, "nurse_a")
    assert "Binôme de l&#39;unité (care a)" in html
    pin(monkeypatch, NIGHT + timedelta(minutes=2, seconds=59))
    assert "Binôme de l&#39;unité" in board(client, world, "nurse_a")
    pin(monkeypatch, NIGHT + timedelta(minutes=3))
    html = board(client, world, "nurse_a")
    assert "Équipe de nuit (care a, nurse a)" in html
    pin(monkeypatch, NIGHT + timedelta(minutes=6))
    html = board(client, world, "care_a")
    assert "Cadre d&#39;astreinte (care a, nurse a, coord a)" in html
    db = connect(world.settings.db_path)
    steps = db.fetch_all("SELECT step, details FROM alerts_steps ORDER BY id")
    audited = db.fetch_all("SELECT actor_label FROM audit_log WHERE action = 'alerts.escalated'")
    db.close()
    assert [s["step"] for s in steps] == ["raised", "escalated", "escalated"]
    assert len(audited) == 2


def test_a_taken_alert_never_widens(client, world, monkeypatch):
    pin(monkeypatch, NIGHT)
    device, secret = enrol(client, world)
    alert = send(client, device, secret, body("evt-1")).json()["alerte"]
    as_worker(client, world, "care_a")
    page = f"/alertes/structures/{world.structures['a']}"
    post_form(client, page, f"{page}/alertes/{alert}/jy-vais", {})
    pin(monkeypatch, NIGHT + timedelta(hours=1))
    db = connect(world.settings.db_path)
    try:
        assert escalation.escalate_due(db, world.structures["a"]) == []
    finally:
        db.close()


def test_the_delay_is_set_per_structure_by_its_director(client, world, monkeypatch):
    pin(monkeypatch, NIGHT)
    sid = world.structures["a"]
    as_worker(client, world, "director_a")
    page = f"/structures/{sid}/reglages"
    refused = post_form(client, page, f"{page}/alerts", {"escalation_minutes": "0"})
    assert "de 1 à 30" in refused.text
    ok = post_form(client, page, f"{page}/alerts", {"escalation_minutes": "10"})
    assert ok.status_code in (200, 303)
    device, secret = enrol(client, world)
    send(client, device, secret, body("evt-1"))
    pin(monkeypatch, NIGHT + timedelta(minutes=9))
    assert "Binôme de l&#39;unité" in board(client, world, "nurse_a")
    pin(monkeypatch, NIGHT + timedelta(minutes=10))
    assert "Équipe de nuit" in board(client, world, "nurse_a")
    as_worker(client, world, "nurse_a")  # a nurse cannot change it
    assert client.get(page).status_code in (403, 404)

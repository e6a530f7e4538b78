"""The round's writes sent later by a device (POST /agenda/pointages): once, in the worker's name,
with the time of the tap within the shift, and a clear refusal for what cannot be recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.accounts.conftest import csrf_from, login
from tests.agenda.helpers import API, bearer, visit
from virage.agenda.sync import tap_time
from virage.agenda.timeutil import today_paris
from virage.db import connect

TODAY = today_paris()


def _web(client, who) -> str:
    assert login(client, who).status_code == 303
    return csrf_from(client.get("/agenda/ma-journee").text)


def _send(client, token, **body):
    return client.post(
        "/agenda/pointages",
        json={"client_id": "c0ffee-0001", "action": "in", **body},
        headers={"x-csrftoken": token, "accept": "application/json"},
    )


def _rows(world, sql, params=()):
    db = connect(world.settings.db_path)
    try:
        return [tuple(r) for r in db.execute(sql, list(params)).fetchall()]
    finally:
        db.close()


def test_sent_twice_recorded_once_with_the_time_of_the_tap(client, world):
    v = visit(client, world, start=f"{TODAY}T23:00", duration_minutes=30).json()
    token = _web(client, "nurse_a")
    tapped = (datetime.now(UTC) - timedelta(minutes=25)).replace(microsecond=0)
    first = _send(client, token, appointment_id=v["id"], at=tapped.isoformat())
    assert first.status_code == 201 and first.json()["created"] is True
    again = _send(client, token, appointment_id=v["id"], at=tapped.isoformat())
    assert again.status_code == 200 and "deux fois" in again.json()["message"]
    rows = _rows(
        world, "SELECT checked_in_at FROM agenda_checkins WHERE appointment_id = ?", [v["id"]]
    )
    assert len(rows) == 1 and datetime.fromisoformat(rows[0][0]) == tapped
    audit = _rows(
        world,
        "SELECT action, details FROM audit_log WHERE action = 'agenda.checkin' AND target = ?",
        [f"appointment:{v['id']}"],
    )
    assert len(audit) == 1 and "heure_sur_l_appareil" in audit[0][1]
    out = _send(client, token, appointment_id=v["id"], action="out", client_id="c0ffee-0002")
    assert out.status_code == 201
    # the same identifier for another write is refused, not taken for a retry
    other = _send(client, token, appointment_id=v["id"], action="out", client_id="c0ffee-0001")
    assert other.status_code == 409


def test_a_visit_cancelled_meanwhile_is_refused_clearly_and_the_same_way_again(client, world):
    v = visit(client, world, start=f"{TODAY}T23:00", duration_minutes=30).json()
    r = client.post(
        f"{API}/appointments/{v['id']}/cancel",
        json={"reason": "hospitalisée"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code in (200, 204)
    token = _web(client, "nurse_a")
    for _ in range(2):
        refused = _send(client, token, appointment_id=v["id"])
        assert refused.status_code == 409 and "annulé" in refused.json()["detail"]
    assert _rows(world, "SELECT 1 FROM agenda_checkins WHERE appointment_id = ?", [v["id"]]) == []


def test_only_the_visit_s_own_worker_of_the_structure_signed_in(client, world):
    v = visit(client, world, start=f"{TODAY}T23:00", duration_minutes=30).json()
    anonymous = client.post(
        "/agenda/pointages",
        json={"client_id": "c0ffee-0003", "action": "in", "appointment_id": v["id"]},
    )
    assert anonymous.status_code in (401, 403)
    token = _web(client, "nurse_b")  # another structure: the visit does not exist for her
    assert _send(client, token, appointment_id=v["id"]).status_code == 404
    client.cookies.clear()
    token = _web(client, "coord_a")  # her structure, not her visit
    assert _send(client, token, appointment_id=v["id"]).status_code == 403
    assert _rows(world, "SELECT 1 FROM agenda_checkins WHERE appointment_id = ?", [v["id"]]) == []


def test_the_time_of_the_tap_is_kept_only_within_the_shift():
    now = datetime.now(UTC).replace(microsecond=0)
    assert (
        tap_time((now - timedelta(hours=2)).isoformat()) == (now - timedelta(hours=2)).isoformat()
    )
    assert tap_time((now - timedelta(hours=15)).isoformat()) is None  # older than a shift: now
    assert tap_time((now + timedelta(hours=1)).isoformat()) is None  # in the future: now
    assert tap_time(None) is None


def test_the_offline_script_is_for_signed_in_users_and_the_worker_for_field_roles(client, world):
    assert "offline.js" not in client.get("/connexion").text
    assert login(client, "nurse_a").status_code == 303
    page = client.get("/moi").text
    assert "offline.js" in page and 'data-field="1"' in page
    # health pages stay out of every cache
    day = client.get("/agenda/ma-journee")
    assert "no-store" in day.headers["cache-control"]
    client.cookies.clear()
    assert login(client, "secretary_a").status_code == 303
    page = client.get("/moi").text
    assert "offline.js" in page and 'data-field="0"' in page

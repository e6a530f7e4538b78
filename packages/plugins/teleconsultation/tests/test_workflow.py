"""The teleconsultation through its public surface: state machine, access, agenda, transmissions."""

from __future__ import annotations

import icalendar
import pytest
from litestar.testing import TestClient
from tc_helpers import API, PREPARED, later, request_tc, soon, step
from virage_teleconsultation import video

from tests.accounts.conftest import bearer, csrf_from, login
from virage.sdk import Settings, hookimpl
from virage.sdk.testing import applied_migrations, connect, create_app


def _full_session(client, world, doctors, doctor="account"):
    tc = request_tc(client, world, doctors[doctor])
    step(client, world, tc["id"], "planifier", json={"start": soon()})
    step(client, world, tc["id"], "preparer", json=PREPARED)
    step(client, world, tc["id"], "commencer")
    step(client, world, tc["id"], "terminer")
    return tc


def test_happy_path_and_report_becomes_a_transmission(client, world, doctors):
    tc = request_tc(client, world, doctors["account"])
    assert tc["status"] == "requested" and tc["doctor_has_account"]
    done = step(client, world, tc["id"], "planifier", json={"start": soon()})
    assert done["status"] == "scheduled" and done["appointment_id"]
    ready = step(client, world, tc["id"], "preparer", json=PREPARED)
    assert ready["consent_method"].startswith("Oral") and ready["consent_collected_by"]
    assert step(client, world, tc["id"], "commencer")["status"] == "in_progress"
    assert step(client, world, tc["id"], "terminer")["status"] == "done"
    # the remote doctor (nurse2_a's account) writes the report
    out = step(
        client,
        world,
        tc["id"],
        "compte-rendu",
        who="nurse2_a",
        json={"data": "Plaie propre, poursuivre les soins", "actions": "Pansement hydrocolloïde"},
    )
    assert out["status"] == "reported" and out["report_transmission_id"]
    tid = out["report_transmission_id"]
    # care team yes (care_a), coordination yes, secretary no, other structure no
    r = client.get(f"/api/v1/transmissions/{tid}", headers=bearer(world, "care_a"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert (
        body["target"] == "teleconsultation" and "Compte rendu de téléconsultation" in body["data"]
    )
    assert "saisi par" not in body["data"]
    assert (
        client.get(f"/api/v1/transmissions/{tid}", headers=bearer(world, "coord_a")).status_code
        == 200
    )
    assert client.get(
        f"/api/v1/transmissions/{tid}", headers=bearer(world, "secretary_a")
    ).status_code in (403, 404)
    assert (
        client.get(f"/api/v1/transmissions/{tid}", headers=bearer(world, "nurse_b")).status_code
        == 404
    )
    # the agenda appointment is marked done
    appt = client.get(
        f"/api/v1/agenda/appointments/{out['appointment_id']}", headers=bearer(world, "nurse_a")
    )
    assert appt.status_code == 200 and appt.json()["status"] == "done"


def test_report_on_behalf_of_a_doctor_without_account(client, world, doctors):
    tc = _full_session(client, world, doctors, "external")
    assert tc["doctor_has_account"] is False
    out = step(client, world, tc["id"], "compte-rendu", json={"data": "Avis : radio du pied"})
    r = client.get(
        f"/api/v1/transmissions/{out['report_transmission_id']}", headers=bearer(world, "care_a")
    )
    assert "pour le compte du médecin" in r.json()["data"]


def test_no_start_without_consent_and_no_report_before_the_session(client, world, doctors):
    tc = request_tc(client, world, doctors["account"])
    step(client, world, tc["id"], "commencer", status=409)
    step(client, world, tc["id"], "compte-rendu", json={"data": "trop tôt"}, status=409)
    step(client, world, tc["id"], "planifier", json={"start": soon()})
    r = step(client, world, tc["id"], "commencer", status=409)
    assert "consentement" in r["detail"]
    # incomplete preparation: a 400 saying what is missing, nothing recorded
    bad = step(
        client,
        world,
        tc["id"],
        "preparer",
        json={**PREPARED, "consent": False, "equipment": ["device"]},
        status=400,
    )
    assert "consentement" in bad["detail"] and "Connexion testée" in bad["detail"]
    bad = step(
        client,
        world,
        tc["id"],
        "preparer",
        json={**PREPARED, "consent_method": "pigeon"},
        status=400,
    )
    assert (
        client.get(f"{API}/{tc['id']}", headers=bearer(world, "nurse_a")).json()["status"]
        == "scheduled"
    )
    step(client, world, tc["id"], "preparer", json=PREPARED)
    step(client, world, tc["id"], "compte-rendu", json={"data": "trop tôt"}, status=409)
    step(client, world, tc["id"], "terminer", status=409)
    step(client, world, tc["id"], "commencer")
    # a running session cannot be cancelled, only declared not done
    step(client, world, tc["id"], "annuler", json={"reason": "plus besoin"}, status=409)
    out = step(client, world, tc["id"], "non-realisee", json={"reason": "coupure du réseau"})
    assert out["status"] == "not_done" and out["outcome_reason"] == "coupure du réseau"
    step(client, world, tc["id"], "compte-rendu", json={"data": "x" * 10}, status=409)


def test_no_start_long_before_the_planned_time(client, world, doctors):
    tc = request_tc(client, world, doctors["account"])
    step(client, world, tc["id"], "planifier", json={"start": later(3)})
    step(client, world, tc["id"], "preparer", json=PREPARED)
    r = step(client, world, tc["id"], "commencer", status=409)
    assert "une heure avant" in r["detail"]


def test_cancellation_rules_and_agenda(client, world, doctors):
    tc = request_tc(client, world, doctors["account"])
    step(client, world, tc["id"], "annuler", json={"reason": "x"}, status=400)
    step(client, world, tc["id"], "planifier", json={"start": later(2)})
    out = step(client, world, tc["id"], "annuler", json={"reason": "Hospitalisée ce matin"})
    assert out["status"] == "cancelled"
    appt = client.get(
        f"/api/v1/agenda/appointments/{out['appointment_id']}", headers=bearer(world, "nurse_a")
    ).json()
    assert appt["status"] == "cancelled" and "Hospitalisée" not in (appt["cancel_reason"] or "")
    step(client, world, tc["id"], "annuler", json={"reason": "encore"}, status=409)
    step(client, world, tc["id"], "planifier", json={"start": later(2)}, status=409)


def test_agenda_conflicts_and_free_slots(client, world, doctors):
    first = request_tc(client, world, doctors["account"])
    second = request_tc(client, world, doctors["account"])
    start = later(4, "10:00")
    step(client, world, first["id"], "planifier", json={"start": start})
    r = step(client, world, second["id"], "planifier", json={"start": start}, status=409)
    assert "conflit" in r["detail"].lower() or "déjà" in r["detail"].lower()
    assert (
        client.get(f"{API}/{second['id']}", headers=bearer(world, "nurse_a")).json()["status"]
        == "requested"
    )
    slots = client.get(f"{API}/{second['id']}/creneaux", headers=bearer(world, "nurse_a"))
    assert slots.status_code == 200, slots.text
    assert all(s["start_local"] != start for s in slots.json())  # the booked slot is taken


def test_ics_feed_shows_the_teleconsultation_without_health_details(client, world, doctors):
    tc = request_tc(client, world, doctors["account"])
    step(client, world, tc["id"], "planifier", json={"start": later(2)})
    r = client.post("/api/v1/agenda/me/feed", headers=bearer(world, "nurse2_a"))
    assert r.status_code == 201, r.text
    path = r.json()["url"].removeprefix("http://testserver.local")
    text = client.get(path).text
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert any("Téléconsultation" in str(e["summary"]) for e in events)
    for forbidden in ("Plaie", "talon", "traitement", "Durand", video.DEFAULT_BASE, "vir-"):
        assert forbidden not in text


def test_only_participants_see_the_video_link(client, world, doctors):
    tc = request_tc(client, world, doctors["account"])
    step(client, world, tc["id"], "planifier", json={"start": later(2)})
    mine = client.get(f"{API}/{tc['id']}", headers=bearer(world, "nurse_a")).json()
    assert mine["video_link"].startswith(video.DEFAULT_BASE + "vir-")
    assert len(mine["video_link"]) > len(video.DEFAULT_BASE) + 20
    doctor = client.get(f"{API}/{tc['id']}", headers=bearer(world, "nurse2_a")).json()
    assert doctor["video_link"] == mine["video_link"]
    coord = client.get(f"{API}/{tc['id']}", headers=bearer(world, "coord_a"))
    assert coord.status_code == 200 and coord.json()["video_link"] is None
    assert (
        client.get(f"{API}/{tc['id']}", headers=bearer(world, "care_a")).json()["video_link"]
        is None
    )
    assert client.get(f"{API}/{tc['id']}", headers=bearer(world, "secretary_a")).status_code == 403
    assert client.get(f"{API}/{tc['id']}", headers=bearer(world, "nurse_b")).status_code == 404
    # two sessions never share a room
    other = request_tc(client, world, doctors["account"])
    step(client, world, other["id"], "planifier", json={"start": later(3)})
    link2 = client.get(f"{API}/{other['id']}", headers=bearer(world, "nurse_a")).json()[
        "video_link"
    ]
    assert link2 != mine["video_link"]
    # the secretary cannot request nor act
    r = client.post(
        API,
        json={
            "person_id": world.persons["p1"],
            "doctor_professional_id": doctors["account"],
            "reason": "abc",
        },
        headers=bearer(world, "secretary_a"),
    )
    assert r.status_code == 403
    step(client, world, tc["id"], "annuler", who="secretary_a", json={"reason": "abc"}, status=403)
    # every step is in the audit trail
    db = connect(world.settings.db_path)
    actions = {
        r[0]
        for r in db.execute(
            "SELECT action FROM audit_log WHERE target = ?", [f"teleconsultation:{tc['id']}"]
        )
    }
    db.close()
    assert {
        "teleconsultation.requested",
        "teleconsultation.scheduled",
        "teleconsultation.link.read",
    } <= actions


def test_video_link_provider_hook_and_setting(world, doctors, monkeypatch):
    monkeypatch.setenv(video.ENV_BASE, "https://visio.territoire.example/salle")
    assert video.default_link("vir-abc") == "https://visio.territoire.example/salle/vir-abc"

    class Provider:
        @staticmethod
        @hookimpl
        def teleconsultation_video_link(room, teleconsultation):
            return f"https://rdv.example.invalid/{room}?s={teleconsultation['structure_id']}"

    app = create_app(world.settings)
    with TestClient(app) as client:
        host = app.state.plugins
        host.register(Provider, "provider")
        try:
            tc = request_tc(client, world, doctors["account"])
            link = client.get(f"{API}/{tc['id']}", headers=bearer(world, "nurse_a")).json()[
                "video_link"
            ]
            assert link is None  # not planned yet
            step(client, world, tc["id"], "planifier", json={"start": later(2)})
            link = client.get(f"{API}/{tc['id']}", headers=bearer(world, "nurse_a")).json()[
                "video_link"
            ]
            assert link.startswith("https://rdv.example.invalid/vir-")
        finally:
            host.unregister("provider")


def test_web_pages_for_nurse_doctor_and_coordinator(client, world, doctors):
    login(client, "nurse_a")
    p1 = world.persons["p1"]
    record = client.get(f"/personnes/{p1}")
    assert record.status_code == 200 and "Demander une téléconsultation" in record.text
    form = client.get(f"/teleconsultation/nouvelle?personne={p1}")
    assert form.status_code == 200 and "Vasseur" in form.text
    r = client.post(
        "/teleconsultation/",
        data={
            "_csrf_token": csrf_from(form.text),
            "person_id": p1,
            "doctor": doctors["account"],
            "accompanying": world.users["nurse_a"],
            "reason": "Avis dermatologique",
            "documents": "",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    detail = client.get(r.headers["location"])
    assert "Choisir un créneau du médecin" in detail.text
    bad = client.post(
        r.headers["location"].split("?")[0] + "/commencer",
        data={"_csrf_token": csrf_from(detail.text)},
    )
    assert bad.status_code == 409 and "consentement" in bad.text and "Traceback" not in bad.text
    home = client.get("/teleconsultation/")
    assert "Mes téléconsultations" in home.text and "Planifi" not in home.text
    client.get("/deconnexion")
    login(client, "coord_a")
    overview = client.get(f"/teleconsultation/structures/{world.structures['a']}")
    assert overview.status_code == 200 and "À venir (1)" in overview.text
    login(client, "secretary_a")
    assert client.get(f"/teleconsultation/structures/{world.structures['a']}").status_code == 403
    assert "Téléconsultations" not in client.get(f"/personnes/{p1}").text


def test_plugin_absent_leaves_the_core_unaffected(tmp_path):
    settings = Settings(db_path=tmp_path / "v.db", plugins=())
    with TestClient(create_app(settings)) as client:
        assert client.get("/teleconsultation/").status_code in (401, 404)
        assert client.get(API).status_code == 404
        assert all(p["name"] != "teleconsultation" for p in client.get("/api/v1/plugins").json())
        kinds = client.get("/healthz")
        assert kinds.status_code == 200
    db = connect(settings.db_path)
    try:
        assert "teleconsultation" not in {ns for ns, _ in applied_migrations(db)}
        with pytest.raises(db.Error):  # no table of the plugin, on either engine
            db.execute("SELECT count(*) FROM teleconsultations")
    finally:
        db.close()


@pytest.mark.parametrize(
    "payload", [{}, {"person_id": 1}, {"person_id": 1, "doctor_professional_id": 1, "reason": ""}]
)
def test_bad_input_is_a_clear_400(client, world, payload):
    r = client.post(API, json=payload, headers=bearer(world, "nurse_a"))
    assert r.status_code == 400, r.text


def test_rgpd_export_deletion_and_worker_records(client, world, doctors, app):
    tc = request_tc(client, world, doctors["external"])
    p1 = world.persons["p1"]
    url = f"/api/v1/persons/{p1}/export"
    export = client.get(url, headers=bearer(world, "director_a"))
    assert export.status_code == 200, export.text
    # The director is not in the care team: the reason and the consent stay out.
    assert "teleconsultation" not in export.json()["autres_donnees"]
    assert tc["reason"] not in export.text
    complete = client.post(
        url, json={"motif": "Droit d'accès de la personne"}, headers=bearer(world, "dpo_a")
    )
    rows = complete.json()["autres_donnees"]["teleconsultation"]["teleconsultations"]
    assert [r["id"] for r in rows] == [tc["id"]] and "room" not in rows[0]
    login(client, "nurse_a")
    records = client.get("/moi/enregistrements")
    assert records.status_code == 200 and f"Téléconsultation n° {tc['id']}" in records.text
    db = connect(world.settings.db_path)
    try:
        with db.transaction():
            app.state.plugins.call("on_person_deleted", db=db, person_id=p1)
        left = db.execute("SELECT count(*) FROM teleconsultations WHERE person_id = ?", [p1])
        assert left.fetchone()[0] == 0
    finally:
        db.close()


def test_cancelling_the_appointment_in_the_agenda_cancels_the_session(client, world, doctors):
    tc = request_tc(client, world, doctors["account"])
    out = step(client, world, tc["id"], "planifier", json={"start": later(2)})
    r = client.post(
        f"/api/v1/agenda/appointments/{out['appointment_id']}/cancel",
        json={"reason": "Médecin absent"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200, r.text
    after = client.get(f"{API}/{tc['id']}", headers=bearer(world, "nurse_a")).json()
    assert after["status"] == "cancelled" and "Médecin absent" in after["outcome_reason"]
    assert after["video_link"] is None

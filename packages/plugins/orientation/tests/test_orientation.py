"""Orientation through the public surface: API (bearer tokens), pages, hooks, access rules."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest
from litestar.testing import TestClient
from virage_orientation import rules
from virage_orientation import service as orientation_service
from virage_orientation import storage as orientation_storage
from virage_orientation.models import AnswerIn

from tests.accounts.conftest import bearer, csrf_from, login
from virage.sdk import AccessContext, Conflict, PluginHost, accounts, hookimpl
from virage.sdk.testing import build_registry, connect, create_app

API = "/api/v1/orientation"

REQUEST = {
    "module": "grand_age",
    "offer": "ehpad",
    "criteria": ["unite_protegee"],
    "gir": 3,
    "mobility": "aide",
    "commune": "39600",
    "radius_km": 20,
    "wished_date": "2026-12-01",
    "urgency": "urgente",
    "consent": "personne",
    "admin_notes": "Vit seule, fille à Besançon.",
}


def create(client, world, who="social_a", **changes):
    body = {**REQUEST, "person_id": world.persons["p1"], **changes}
    return client.post(f"{API}/demandes", json=body, headers=bearer(world, who))


def ready(client, world, territory) -> int:
    """A request with both parts complete, sent to the Tilleuls (structure b) and Les Coteaux."""
    rid = create(client, world).json()["id"]
    r = client.put(
        f"{API}/demandes/{rid}/volet-medical",
        json={"content": "Troubles cognitifs modérés, déambulation nocturne."},
        headers=bearer(world, "nurse_a"),
    )
    assert r.status_code == 200, r.text
    sent = client.post(
        f"{API}/demandes/{rid}/envois",
        json={"structures": [territory["EHPAD Les Tilleuls"], territory["EHPAD Les Coteaux"]]},
        headers=bearer(world, "social_a"),
    )
    assert sent.status_code == 201, sent.text
    return rid


def sending_of(client, world, rid, name):
    req = client.get(f"{API}/demandes/{rid}", headers=bearer(world, "social_a")).json()
    return next(s for s in req["sendings"] if s["structure_name"] == name)


def test_discovered_through_its_entry_point():
    eps = {ep.name: ep.value for ep in entry_points(group="virage")}
    assert eps.get("orientation") == "virage_orientation"


def test_matching_ranks_with_reasons(client, world, territory):
    rid = create(client, world).json()["id"]
    res = client.get(f"{API}/demandes/{rid}/propositions", headers=bearer(world, "social_a"))
    assert res.status_code == 200
    names = [c["name"] for c in res.json()["results"]]
    # the SSIAD (wrong category), the Parc (says "non" to the protected unit) and the far one
    # (55 km) are not proposed
    assert names == ["EHPAD Les Tilleuls", "EHPAD Les Coteaux", "EHPAD La Source"]
    first = res.json()["results"][0]
    assert first["reason"] == "à 2 km, unité protégée, places non déclarées"


def test_declared_places_change_the_ranking(client, world, territory):
    r = client.put(
        f"{API}/structures/{world.structures['b']}/places",
        json={"offer": "ehpad", "places": 0},
        headers=bearer(world, "coord_b"),
    )
    assert r.status_code == 200, r.text
    db = connect(world.settings.db_path)
    orientation_storage.set_places(db, territory["EHPAD Les Coteaux"], "ehpad", 2)
    db.close()
    rid = create(client, world).json()["id"]
    res = client.get(f"{API}/demandes/{rid}/propositions", headers=bearer(world, "social_a"))
    results = res.json()["results"]
    assert results[0]["name"] == "EHPAD Les Coteaux"
    assert results[0]["reason"] == "à 3 km, unité protégée, 2 places déclarées"
    tilleuls = next(c for c in results if c["name"] == "EHPAD Les Tilleuls")
    assert "aucune place déclarée" in tilleuls["reason"]


def test_regional_rule_through_the_plugin_hook(app, world, territory):
    with TestClient(app) as client:
        rid = create(client, world, commune="39905", radius_km=30).json()["id"]
        before = client.get(f"{API}/demandes/{rid}/propositions", headers=bearer(world, "social_a"))
        host = app.state.plugins if hasattr(app.state, "plugins") else None
        assert host is not None
        host.register(rules, name="regle-departementale")
        try:
            after = client.get(
                f"{API}/demandes/{rid}/propositions", headers=bearer(world, "social_a")
            )
        finally:
            host.unregister("regle-departementale")
    b = {c["name"]: c for c in before.json()["results"]}
    a = {c["name"]: c for c in after.json()["results"]}
    for name in a:
        assert a[name]["score"] == b[name]["score"] + rules.BONUS
        assert a[name]["reason"].endswith("même département (règle départementale)")


def test_validation_errors_are_clear_400(client, world, territory):
    bad = create(client, world, module="handicap", offer="mas")
    assert bad.status_code == 400 and "décision" in bad.json()["detail"]
    bad = create(client, world, offer="ssiad")
    assert bad.status_code == 400 and "offer" in bad.json()["detail"]
    bad = create(client, world, consent="representant")
    assert bad.status_code == 400 and "représentant" in bad.json()["detail"]
    bad = create(client, world, commune="Atlantide")
    assert bad.status_code == 400 and "inconnue" in bad.json()["detail"]


def test_cannot_send_before_medical_part(client, world, territory):
    rid = create(client, world).json()["id"]
    r = client.post(
        f"{API}/demandes/{rid}/envois",
        json={"structures": [territory["EHPAD Les Tilleuls"]]},
        headers=bearer(world, "social_a"),
    )
    assert r.status_code == 400 and "volet médical" in r.json()["detail"]
    # a structure outside the proposals is refused too
    client.put(
        f"{API}/demandes/{rid}/volet-medical",
        json={"content": "RAS"},
        headers=bearer(world, "coord_a"),
    )
    r = client.post(
        f"{API}/demandes/{rid}/envois",
        json={"structures": [territory["SSIAD de Loue"]]},
        headers=bearer(world, "social_a"),
    )
    assert r.status_code == 400


def test_medical_part_readers(client, world, territory):
    rid = ready(client, world, territory)
    # requesting side: the social worker sees the part is complete, not its content
    social = client.get(f"{API}/demandes/{rid}", headers=bearer(world, "social_a")).json()
    assert social["medical_complete"] is True and social["medical"] is None
    nurse = client.get(f"{API}/demandes/{rid}", headers=bearer(world, "nurse_a")).json()
    assert "Troubles cognitifs" in nurse["medical"]["content"]
    # a nurse outside the care team may neither write nor read it
    r = client.put(
        f"{API}/demandes/{rid}/volet-medical",
        json={"content": "x"},
        headers=bearer(world, "nurse2_a"),
    )
    assert r.status_code == 403
    # the secretariat may not even open the request
    r = client.get(f"{API}/demandes/{rid}", headers=bearer(world, "secretary_a"))
    assert r.status_code == 403
    # receiving side: coordinator and nurse of the receiving structure read it
    sid = sending_of(client, world, rid, "EHPAD Les Tilleuls")["id"]
    b = world.structures["b"]
    for who in ("coord_b", "nurse_b"):
        got = client.get(f"{API}/structures/{b}/recues/{sid}", headers=bearer(world, who)).json()
        assert "Troubles cognitifs" in got["medical"]["content"]
    # the other structure of the world (not a recipient, not linked) sees nothing
    r = client.get(
        f"{API}/structures/{world.structures['a']}/recues/{sid}", headers=bearer(world, "coord_a")
    )
    assert r.status_code == 400  # not linked to the directory: an actionable message
    r = client.get(f"{API}/structures/{b}/recues/{sid}", headers=bearer(world, "coord_a"))
    assert r.status_code == 404
    # every read is in the audit trail
    db = connect(world.settings.db_path)
    actions = {row[0] for row in db.execute("SELECT action FROM audit_log").fetchall()}
    assert {
        "orientation.medical.read",
        "orientation.incoming.read",
        "orientation.request.sent",
    } <= actions


def test_answers_follow_the_state_machine(client, world, territory):
    rid = ready(client, world, territory)
    sid = sending_of(client, world, rid, "EHPAD Les Tilleuls")["id"]
    b = world.structures["b"]
    url = f"{API}/structures/{b}/recues/{sid}/reponse"
    h = bearer(world, "coord_b")
    # nurse_b reads but may not answer
    assert (
        client.post(url, json={"status": "consultee"}, headers=bearer(world, "nurse_b")).status_code
        == 403
    )
    assert client.post(url, json={"status": "consultee"}, headers=h).status_code == 201
    # illegal: realised admission before the person accepted it
    r = client.post(url, json={"status": "admission_realisee"}, headers=h)
    assert r.status_code == 409 and "impossible" in r.json()["detail"]
    r = client.post(url, json={"status": "refusee"}, headers=h)
    assert r.status_code == 400 and "motif" in r.json()["detail"]
    r = client.post(url, json={"status": "acceptee"}, headers=h)
    assert r.status_code == 400 and "date" in r.json()["detail"]
    r = client.post(url, json={"status": "acceptee", "proposed_date": "2026-12-03"}, headers=h)
    assert r.status_code == 201 and r.json()["status"] == "acceptee"
    # the requester accepts it: the other sending is closed with a clear status
    r = client.post(
        f"{API}/demandes/{rid}/admission",
        json={"sending_id": sid},
        headers=bearer(world, "social_a"),
    )
    assert r.status_code == 201, r.text
    statuses = {s["structure_name"]: s["status_label"] for s in r.json()["sendings"]}
    assert statuses == {
        "EHPAD Les Tilleuls": "Admission acceptée par la personne",
        "EHPAD Les Coteaux": "Clôturée : admission acceptée dans une autre structure",
    }
    assert r.json()["status"] == "admission_acceptee"
    r = client.post(url, json={"status": "admission_realisee"}, headers=h)
    assert r.status_code == 201
    req = client.get(f"{API}/demandes/{rid}", headers=bearer(world, "social_a")).json()
    assert req["status"] == "cloturee"
    assert [e["status"] for e in req["events"]][-1] == "admission_realisee"
    assert all(e["at"].endswith("+00:00") for e in req["events"])


def test_concurrent_answers_only_one_wins(world, territory, client):
    rid = ready(client, world, territory)
    sid = sending_of(client, world, rid, "EHPAD Les Tilleuls")["id"]
    b = world.structures["b"]
    # two sessions loaded the request while it was « envoyée »; both answer
    registry = build_registry(PluginHost(world.settings))
    db1, db2 = connect(world.settings.db_path), connect(world.settings.db_path)
    actor = accounts.actor_for_user(db1, accounts.user(db1, world.users["coord_b"]))
    a1, a2 = AccessContext(db1, registry, actor), AccessContext(db2, registry, actor)
    orientation_service.answer(
        a1, b, sid, AnswerIn(status="refusee", refusal_reason="pas_de_place")
    )
    with pytest.raises(Conflict):
        orientation_service.answer(
            a2, b, sid, AnswerIn(status="acceptee", proposed_date="2026-12-01")
        )
    assert orientation_storage.get_sending(db1, sid)["status"] == "refusee"
    db1.close()
    db2.close()


def test_duplicate_warning(client, world, territory):
    create(client, world)
    second = create(client, world).json()
    assert second["duplicates"] == 1


def test_person_section_export_and_deletion(client, world, territory):
    rid = ready(client, world, territory)
    login(client, "social_a")
    page = client.get(f"/personnes/{world.persons['p1']}")
    assert 'id="orientation"' in page.text and f"/orientation/demandes/{rid}" in page.text
    login(client, "director_a")
    url = f"/api/v1/persons/{world.persons['p1']}/export"
    export = client.get(url, headers=bearer(world, "director_a"))
    assert export.status_code == 200, export.text
    # The director reads the administrative part, never the medical part (its authors only).
    ours = export.json()["autres_donnees"]["orientation"]
    assert ours["demandes"][0]["id"] == rid and "volets_medicaux" not in ours
    omitted = {o["section"] for o in export.json()["sections_omises"]}
    assert "volets_medicaux" in omitted
    complete = client.post(
        url, json={"motif": "Droit d'accès de la personne"}, headers=bearer(world, "dpo_a")
    )
    assert (
        complete.json()["autres_donnees"]["orientation"]["volets_medicaux"][0]["demande_id"] == rid
    )
    db = connect(world.settings.db_path)
    from virage_orientation import on_person_deleted

    on_person_deleted(db, world.persons["p1"])
    assert orientation_storage.requests_of_person(db, world.persons["p1"]) == []


def test_dashboard_is_aggregated(client, world, territory):
    rid = ready(client, world, territory)
    sid = sending_of(client, world, rid, "EHPAD Les Coteaux")["id"]
    assert sid
    r = client.get(f"{API}/tableau-de-bord", headers=bearer(world, "director_a"))
    assert r.status_code == 200
    body = r.json()
    assert body["requests"] == {"envoyee": 1}
    assert "Durand" not in r.text
    assert (
        client.get(f"{API}/tableau-de-bord", headers=bearer(world, "social_a")).status_code == 403
    )


def test_web_pages(client, world, territory):
    login(client, "social_a")
    form = client.get(f"/orientation/nouvelle?personne={world.persons['p1']}")
    assert form.status_code == 200
    r = client.post(
        "/orientation/nouvelle",
        data={
            "_csrf_token": csrf_from(form.text),
            "person_id": str(world.persons["p1"]),
            "module": "grand_age",
            "offer": "ehpad",
            "criteria": "unite_protegee",
            "commune": "39600",
            "radius_km": "20",
            "urgency": "normale",
            "consent": "personne",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"])
    assert "À compléter par le médecin" in page.text
    assert client.get("/orientation/").status_code == 200
    assert client.get("/orientation/tableau-de-bord").status_code == 403
    login(client, "director_a")
    dashboard = client.get("/orientation/tableau-de-bord")
    assert dashboard.status_code == 200 and "Durand" not in dashboard.text


def test_excluded_by_the_allow_list(world):
    settings = world.settings.with_(plugins=())
    with TestClient(create_app(settings)) as client:
        assert client.get(f"{API}/catalogue", headers=bearer(world, "social_a")).status_code == 404
        login(client, "coord_a")
        assert client.get("/orientation/").status_code == 404
        record = client.get(f"/personnes/{world.persons['p1']}")
        assert record.status_code == 200 and 'id="orientation"' not in record.text
        assert 'href="/orientation/"' not in client.get("/").text


def test_worker_sees_what_orientation_records_about_them(client, world, territory):
    ready(client, world, territory)
    login(client, "nurse_a")
    page = client.get("/moi/enregistrements")
    assert page.status_code == 200
    assert "Volets médicaux rédigés : <strong>1</strong>" in page.text


def test_a_failing_regional_rule_does_not_break_the_ranking(app, world, territory):
    class Broken:
        @staticmethod
        def orientation_score(request, candidate):
            raise RuntimeError("règle cassée")

    Broken.orientation_score = hookimpl(Broken.orientation_score)
    with TestClient(app) as client:
        rid = create(client, world).json()["id"]
        app.state.plugins.register(Broken, name="regle-cassee")
        try:
            res = client.get(
                f"{API}/demandes/{rid}/propositions", headers=bearer(world, "social_a")
            )
        finally:
            app.state.plugins.unregister("regle-cassee")
    assert res.status_code == 200 and len(res.json()["results"]) == 3

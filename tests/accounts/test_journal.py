"""The journal for humans, by attack: names and French labels, filters by person, period and
action; a worker's activity for the DPO only, with a reason the worker sees; names only to who
may know the person; another structure's persons never appear."""

from __future__ import annotations

import json

from tests.accounts.conftest import bearer, csrf_from, login
from tests.accounts.sql import query


def _journal(world, structure="a"):
    return f"/structures/{world.structures[structure]}/journal"


def _entries(world, action: str):
    return query(
        world.settings.db_path,
        "SELECT actor_user_id, outcome, emergency, target, details FROM audit_log"
        " WHERE action = ? ORDER BY id",
        [action],
    )


def _nurse_reads_p1(client, world):
    login(client, "nurse_a")
    assert client.get(f"/personnes/{world.persons['p1']}").status_code == 200
    client.get("/deconnexion")
    client.cookies.clear()


def test_director_sees_names_and_french_labels_not_numbers_or_routes(client, world):
    _nurse_reads_p1(client, world)
    login(client, "director_a")
    page = client.get(_journal(world))
    assert page.status_code == 200
    assert "Jeanne DURAND" in page.text and "nurse a" in page.text
    assert "Consultation du dossier" in page.text
    assert "n° " not in page.text
    # Codes and routes only in the details, on demand.
    assert "<details><summary>Détails</summary>" in page.text
    main_cells = page.text.split("<tbody>")[1].replace("\n", "")
    for chunk in main_cells.split("<details>")[1:]:
        assert "</details>" in chunk
    assert f"GET /personnes/{world.persons['p1']}" in page.text  # inside the details


def test_filter_by_person_is_who_accessed_this_record(client, world):
    _nurse_reads_p1(client, world)
    login(client, "director_a")
    client.get(f"/structures/{world.structures['a']}/personnes")  # an entry with no person
    page = client.get(_journal(world), params={"personne": world.persons["p1"]})
    assert page.status_code == 200
    assert "Qui a consulté le dossier de Jeanne DURAND" in page.text
    assert "Liste des personnes" not in page.text.split("<tbody>")[1]
    # The person's record links to it, for those who may read the journal.
    record = client.get(f"/personnes/{world.persons['p1']}")
    assert f"/journal?personne={world.persons['p1']}" in record.text
    login(client, "coord_a")  # reads « qui a consulté ce dossier » but not the journal
    assert "/journal?personne=" not in client.get(f"/personnes/{world.persons['p1']}").text


def test_filter_by_period_and_action(client, world):
    _nurse_reads_p1(client, world)
    login(client, "director_a")
    old = client.get(_journal(world), params={"du": "2001-01-01", "au": "2001-01-31"})
    assert old.status_code == 200 and "Aucune entrée pour ces filtres" in old.text
    today = client.get(_journal(world), params={"du": "2020-01-01", "action": "persons.read"})
    body = today.text.split("<tbody>")[1]
    assert "Consultation du dossier" in body and "Consultation du journal" not in body
    backwards = client.get(_journal(world), params={"du": "2026-03-05", "au": "2026-03-01"})
    assert backwards.status_code == 400 and "envers" in backwards.text
    assert client.get(_journal(world), params={"du": "hier"}).status_code == 400
    # The filters a read used are kept in its own entry.
    details = [json.loads(d) for *_, d in _entries(world, "audit.read") if d]
    assert {"filtres": {"du": "2001-01-01", "au": "2001-01-31"}} in details


def test_journal_is_paginated(client, world):
    login(client, "director_a")
    for _ in range(30):
        client.get(f"/personnes/{world.persons['p1']}")
    first = client.get(_journal(world))
    assert "Entrées plus anciennes" in first.text
    assert first.text.split("<tbody>")[1].count("<tr") == 50
    second = client.get(_journal(world), params={"page": 2})
    assert "Entrées plus récentes" in second.text
    assert client.get(_journal(world), params={"page": 0}).status_code == 400


def test_nurse_cannot_open_the_journal(client, world):
    login(client, "nurse_a")
    assert client.get(_journal(world)).status_code == 403
    assert client.get(_journal(world) + "?format=csv").status_code == 403
    assert client.get("/api/v1/audit", headers=bearer(world, "nurse_a")).status_code == 403
    assert "/journal" not in client.get("/moi").text


def test_director_has_no_filter_by_worker_and_is_refused(client, world):
    nurse = world.users["nurse_a"]
    login(client, "director_a")
    page = client.get(_journal(world))
    assert 'name="professionnel"' not in page.text
    assert client.get(_journal(world), params={"professionnel": nurse}).status_code == 403
    r = client.post(
        _journal(world) + "/activite",
        data={
            "_csrf_token": csrf_from(page.text),
            "professionnel": str(nurse),
            "motif": "Je veux voir ce qu'elle fait de ses journées",
        },
    )
    assert r.status_code == 403
    # API: no per-worker query, with or without a reason.
    headers = bearer(world, "director_a")
    assert (
        client.get("/api/v1/audit", params={"actor_user_id": nurse}, headers=headers).status_code
        == 403
    )
    r = client.post(
        "/api/v1/audit/worker-activity",
        json={"user_id": nurse, "motif": "Contrôle de productivité mensuel"},
        headers=headers,
    )
    assert r.status_code == 403
    refused = _entries(world, "audit.worker_activity")
    assert len(refused) == 4 and {o for _, o, *_ in refused} == {"denied"}


def test_dpo_without_reason_is_refused_and_recorded(client, world):
    nurse = world.users["nurse_a"]
    login(client, "dpo_a")
    page = client.get(_journal(world))
    assert 'name="professionnel"' in page.text and 'name="motif"' in page.text
    assert client.get(_journal(world), params={"professionnel": nurse}).status_code == 400
    r = client.post(
        _journal(world) + "/activite",
        data={"_csrf_token": csrf_from(page.text), "professionnel": str(nurse), "motif": "vu"},
    )
    assert r.status_code == 400 and "motif" in r.text
    r = client.post(
        "/api/v1/audit/worker-activity", json={"user_id": nurse}, headers=bearer(world, "dpo_a")
    )
    assert r.status_code == 400
    assert [o for _, o, *_ in _entries(world, "audit.worker_activity")] == ["denied"] * 3


def test_dpo_with_reason_reads_activity_and_the_worker_sees_it(client, world):
    _nurse_reads_p1(client, world)
    nurse = world.users["nurse_a"]
    reason = "Plainte de la famille Durand reçue le 2 mars"
    login(client, "dpo_a")
    page = client.get(_journal(world))
    r = client.post(
        _journal(world) + "/activite",
        data={"_csrf_token": csrf_from(page.text), "professionnel": str(nurse), "motif": reason},
    )
    assert r.status_code == 200
    assert "Activité de nurse a" in r.text and reason in r.text
    body = r.text.split("<tbody>")[1]
    assert "Consultation du dossier" in body and "dpo a" not in body
    [(actor, outcome, flagged, target, details)] = _entries(world, "audit.worker_activity")
    assert (actor, outcome, flagged, target) == (
        world.users["dpo_a"],
        "allowed",
        1,
        f"user:{nurse}",
    )
    assert json.loads(details)["motif"] == reason
    # The API gives the same, to the DPO with a reason: only that worker's entries.
    r = client.post(
        "/api/v1/audit/worker-activity",
        json={"user_id": nurse, "motif": "Même plainte, vérification par l'API"},
        headers=bearer(world, "dpo_a"),
    )
    assert r.status_code == 200 and r.json()
    assert {e["actor_user_id"] for e in r.json()} == {nurse}
    assert all(e["label"] for e in r.json())
    # The worker sees who looked, when, and why; a colleague does not see it on her page.
    client.cookies.clear()
    login(client, "nurse_a")
    mine = client.get("/moi/enregistrements").text
    section = mine.split('id="consultations-dpo"')[1].split("<h2")[0]
    assert reason in section and "dpo a" in section and "SSIAD A" in section
    client.cookies.clear()
    login(client, "nurse2_a")
    other = client.get("/moi/enregistrements").text
    assert reason not in other.split('id="consultations-dpo"')[1].split("<h2")[0]


def test_dpo_cannot_read_a_worker_of_another_structure(client, world):
    login(client, "dpo_a")
    page = client.get(_journal(world))
    options = page.text.split('id="professionnel"')[1].split("</select>")[0]
    assert "nurse b" not in options
    r = client.post(
        _journal(world) + "/activite",
        data={
            "_csrf_token": csrf_from(page.text),
            "professionnel": str(world.users["nurse_b"]),
            "motif": "Vérification d'un accès signalé",
        },
    )
    assert r.status_code == 404
    assert client.get(_journal(world, "b")).status_code == 404


def test_names_only_to_who_may_know_the_person(client, world):
    login(client, "nurse2_a")  # not in Jeanne Durand's care team: refused
    assert client.get(f"/personnes/{world.persons['p1']}").status_code == 403
    mine = client.get("/moi/enregistrements").text
    assert "Durand" not in mine and "DURAND" not in mine and "une personne" in mine
    client.cookies.clear()
    login(client, "nurse_a")  # in her care team
    client.get(f"/personnes/{world.persons['p1']}")
    assert "Jeanne DURAND" in client.get("/moi/enregistrements").text


def test_a_person_of_another_structure_never_appears(client, world):
    p2 = world.persons["p2"]
    login(client, "nurse_a")
    assert client.get(f"/personnes/{p2}").status_code == 404
    assert client.get(f"/api/v1/persons/{p2}", headers=bearer(world, "nurse_a")).status_code == 404
    assert "Petit" not in client.get("/moi/enregistrements").text
    client.cookies.clear()
    login(client, "director_a")
    for params in ({}, {"personne": p2}):
        page = client.get(_journal(world), params=params)
        assert page.status_code == 200
        assert "Petit" not in page.text and "PETIT" not in page.text and "Louis" not in page.text
    api = client.get("/api/v1/audit", params={"person_id": p2}, headers=bearer(world, "director_a"))
    assert api.status_code == 200 and api.json() == []
    whole = client.post(
        "/api/v1/audit/export",
        json={"motif": "Vérification d'un accès signalé"},
        headers=bearer(world, "dpo_a"),
    )
    assert whole.status_code == 200 and "Petit" not in whole.text


def test_api_filters_by_person_period_and_action(client, world):
    p1 = world.persons["p1"]
    client.get(f"/api/v1/persons/{p1}", headers=bearer(world, "nurse_a"))
    headers = bearer(world, "director_a")
    r = client.get("/api/v1/audit", params={"person_id": p1}, headers=headers)
    assert r.status_code == 200 and r.json()
    assert {e["person_id"] for e in r.json()} == {p1}
    assert r.json()[0]["person_name"] == "Jeanne DURAND"
    r = client.get(
        "/api/v1/audit",
        params={"person_id": p1, "since": "2001-01-01", "until": "2001-01-02"},
        headers=headers,
    )
    assert r.json() == []
    r = client.get(
        "/api/v1/audit", params={"person_id": p1, "action": "persons.read"}, headers=headers
    )
    assert r.json() and {e["action"] for e in r.json()} == {"persons.read"}


def test_no_count_per_worker_in_the_journal(client, world):
    _nurse_reads_p1(client, world)
    login(client, "director_a")
    page = client.get(_journal(world)).text
    for words in ("par professionnel", "nombre d'accès", "classement", "productivit"):
        assert words not in page.lower()

"""A person's objection to the sharing of her data outside her care team (art. L1110-4 CSP):
recorded in her file, visible on her record and in the API, in her export, with emergency
accesses, and the service function plugins call before anything leaves the care team."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.accounts.conftest import bearer, csrf_from, login
from tests.accounts.second_factor_world import text
from tests.accounts.sql import query
from virage.access import CORE_PERMISSIONS, Registry
from virage.accounts import objections
from virage.accounts.context import AccessContext
from virage.accounts.permissions import ACCOUNT_PERMISSIONS
from virage.accounts.service import actor_for_user
from virage.accounts.storage import get_user_by_username
from virage.db import connect
from virage.errors import Forbidden


def rows(world, sql, params=()):
    return query(world.settings.db_path, sql, params)


def record(client, world, scope="sante", day="2026-03-03", note="Dit à l'accueil", person="p1"):
    pid = world.persons[person]
    page = client.get("/moi")
    return client.post(
        f"/personnes/{pid}/opposition",
        data={"scope": scope, "date": day, "note": note, "_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )


def withdraw(client, world, objection_id, day="2026-04-01"):
    pid = world.persons["p1"]
    page = client.get("/moi")
    return client.post(
        f"/personnes/{pid}/opposition/{objection_id}/lever",
        data={"date": day, "_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )


def test_recorded_by_the_secretariat_and_shown_on_the_record(client, world):
    login(client, "secretary_a")
    r = record(client, world)
    assert r.status_code == 303 and r.headers["location"].endswith("#opposition")
    client.cookies.clear()
    login(client, "nurse_a")
    said = text(client.get(f"/personnes/{world.persons['p1']}").text)
    assert (
        "Cette personne s'est opposée le 3 mars 2026 au partage de ses informations de santé "
        "hors de son équipe de soins" in said
    )
    assert "Enregistrée par secretary a (secretary_a) le" in said and "Dit à l'accueil" in said
    assert "une demande d'orientation part sans son volet médical" in said
    assert "Lever l'opposition" not in said  # a nurse does not manage it
    audit = rows(
        world,
        "SELECT action, outcome, person_id, details FROM audit_log"
        " WHERE action LIKE 'persons.objection.%' ORDER BY id",
    )
    assert [(a, o, p) for a, o, p, _ in audit] == [
        ("persons.objection.record", "allowed", world.persons["p1"]),
        ("persons.objection.recorded", "allowed", world.persons["p1"]),
    ]
    assert json.loads(audit[1][3]) == {"portee": "sante", "exprimee_le": "2026-03-03"}


@pytest.mark.parametrize(("user", "status"), [("nurse_a", 403), ("care_a", 403), ("coord_b", 404)])
def test_others_cannot_record_it(client, world, user, status):
    login(client, user)
    assert record(client, world).status_code == status
    assert rows(world, "SELECT count(*) FROM sharing_objections") == [(0,)]
    assert rows(
        world, "SELECT outcome FROM audit_log WHERE action = 'persons.objection.record'"
    ) == [("denied",)]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"scope": "rien"}, "Choisissez ce à quoi la personne s'oppose"),
        ({"day": (date.today() + timedelta(days=2)).isoformat()}, "une date passée"),
        ({"day": "03/03/2026"}, "au format AAAA-MM-JJ"),
        ({"note": "x" * 301}, "300 caractères au plus"),
    ],
)
def test_bad_input_is_refused_and_nothing_recorded(client, world, form, message):
    login(client, "coord_a")
    r = record(client, world, **form)
    assert r.status_code == 400 and message in text(r.text)
    assert rows(world, "SELECT count(*) FROM sharing_objections") == [(0,)]


def test_one_in_force_at_a_time_withdrawn_with_its_history(client, world):
    login(client, "coord_a")
    assert record(client, world, scope="tout").status_code == 303
    again = record(client, world, scope="sante")
    assert again.status_code == 409 and "levez-la d'abord" in text(again.text)
    [(oid,)] = rows(world, "SELECT id FROM sharing_objections")
    early = withdraw(client, world, oid, day="2026-01-01")
    assert early.status_code == 400 and "ne peut pas précéder" in text(early.text)
    assert withdraw(client, world, oid).status_code == 303
    assert withdraw(client, world, oid).status_code == 409
    said = text(client.get(f"/personnes/{world.persons['p1']}").text)
    assert "Aucune opposition enregistrée" in said
    assert "Oppositions levées (1)" in said and "Du 3 mars 2026 au 1er avril 2026" in said
    assert rows(world, "SELECT withdrawn_by_label FROM sharing_objections") == [
        ("coord a (coord_a)",)
    ]
    other = world.persons["p2"]
    page = client.get("/moi")
    r = client.post(
        f"/personnes/{other}/opposition/{oid}/lever",
        data={"date": "2026-04-01", "_csrf_token": csrf_from(page.text)},
    )
    assert r.status_code == 404  # another structure's person


def test_the_api_shows_it_with_the_person(client, world):
    url = f"/api/v1/persons/{world.persons['p1']}"
    assert client.get(url, headers=bearer(world, "nurse_a")).json()["sharing_objection"] is None
    login(client, "coord_a")
    record(client, world, scope="tout")
    got = client.get(url, headers=bearer(world, "secretary_a")).json()["sharing_objection"]
    assert got["scope"] == "tout" and got["expressed_on"] == "2026-03-03"
    assert got["recorded_by_label"] == "coord a (coord_a)"


def test_an_emergency_access_shows_it_and_the_journal_keeps_it(client, world):
    login(client, "coord_a")
    record(client, world, scope="tout")
    client.cookies.clear()
    login(client, "nurse2_a")  # a nurse of the structure, outside this person's care team
    pid = world.persons["p1"]
    refused = client.get(f"/personnes/{pid}")
    assert refused.status_code == 403
    said = text(refused.text)
    assert (
        "Cette personne s'est opposée le 3 mars 2026 à tout partage de ses informations hors de "
        "son équipe de soins." in said
    )
    assert 'id="opposition" role="alert"' in refused.text
    r = client.post(
        f"/personnes/{pid}/bris-de-glace",
        data={
            "reason": "Chute signalée par la famille, titulaire absente",
            "_csrf_token": csrf_from(refused.text),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get(f"/personnes/{pid}")
    assert page.status_code == 200
    assert "Vous consultez ce dossier par un accès d'urgence" in text(page.text)
    assert 'class="notice notice-error objection" role="alert"' in page.text
    [(details,)] = rows(
        world, "SELECT details FROM audit_log WHERE action = 'emergency_access.open'"
    )
    assert json.loads(details) == {
        "motif": "Chute signalée par la famille, titulaire absente",
        "opposition_au_partage": "tout",
        "opposition_exprimee_le": "2026-03-03",
    }


def test_the_export_holds_it_and_warns_against_passing_it_on(client, world):
    login(client, "coord_a")
    record(client, world, scope="sante")
    client.cookies.clear()
    login(client, "director_a")
    body = client.get(f"/personnes/{world.persons['p1']}/export.json").json()
    [objection] = body["oppositions_au_partage"]
    assert objection["scope"] == "sante" and objection["expressed_on"] == "2026-03-03"
    assert "ne le transmettez pas à un tiers" in body["export"]["opposition_au_partage"]
    plain = client.get(f"/personnes/{world.persons['p2']}/export.json")
    assert plain.status_code == 404  # another structure: the export stays closed


# --------------------------------------------------------------------------- the service


@pytest.fixture
def access(world):
    db = connect(world.settings.db_path)
    user = get_user_by_username(db, "coord_a")
    ctx = AccessContext(
        db, Registry([*CORE_PERMISSIONS, *ACCOUNT_PERMISSIONS]), actor_for_user(db, user), "test"
    )
    yield ctx
    db.close()


def test_sharing_decisions(access, world):
    pid = world.persons["p1"]
    free = objections.sharing(access.db, pid)
    assert (free.allowed, free.health_allowed, free.message) == (True, True, None)
    assert objections.require_sharing(access, pid, health=True, action="test.send") == free
    oid = objections.record_objection(access, pid, "sante", "2026-03-03", "")
    health = objections.sharing(access.db, pid)
    assert (health.allowed, health.health_allowed) == (True, False)
    assert health.message == (
        "Jeanne DURAND s'est opposé·e le 3 mars 2026 au partage de ses informations de santé "
        "hors de son équipe de soins : elles ne sont pas transmises."
    )
    assert objections.require_sharing(access, pid, health=False, action="test.send") == health
    with pytest.raises(Forbidden, match="ne sont pas transmises"):
        objections.require_sharing(access, pid, health=True, action="test.send", target="x:1")
    objections.withdraw_objection(access, pid, oid, "2026-03-04")
    objections.record_objection(access, pid, "tout", "2026-03-05", "")
    with pytest.raises(Forbidden, match="rien ne peut être envoyé"):
        objections.require_sharing(access, pid, health=False, action="test.send")
    refusals = rows(
        world,
        "SELECT outcome, person_id, target, details FROM audit_log WHERE action = 'test.send'",
    )
    assert [(o, p, t) for o, p, t, _ in refusals] == [("denied", pid, "x:1"), ("denied", pid, None)]
    assert json.loads(refusals[1][3]) == {"raison": "opposition au partage", "portee": "tout"}

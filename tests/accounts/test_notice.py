"""The first-use notice to each worker, and the structure's settings page that feeds it (the date
the CSE was informed and consulted) and sets the second-factor rule."""

from __future__ import annotations

import json

import pytest

from tests.accounts.conftest import csrf_from, login
from tests.accounts.second_factor_world import new_account, text
from tests.accounts.soft_key import give_key
from tests.accounts.sql import query
from virage.accounts import notice, service
from virage.db import connect


def rows(world, sql, params=()):
    return query(world.settings.db_path, sql, params)


@pytest.fixture
def fresh(world):
    """A nurse with her security key, who has never read the notice."""
    uid = new_account(world, "nadia", "nurse", read_notice=False)
    db = connect(world.settings.db_path)
    give_key(db, uid, "nadia")
    db.close()
    return uid


def test_at_first_login_the_notice_comes_first_and_every_page_leads_to_it(client, world, fresh):
    r = login(client, "nadia")
    assert r.headers["location"] == "/moi/note-d-information?suivant=/moi"
    person = f"/personnes/{world.persons['p1']}"
    for path in (person, "/moi", f"/structures/{world.structures['a']}/personnes?q=Du"):
        blocked = client.get(path, follow_redirects=False)
        assert blocked.status_code == 303
        assert blocked.headers["location"].startswith("/moi/note-d-information?suivant=")
    back = client.get(person, follow_redirects=False).headers["location"]
    assert back == f"/moi/note-d-information?suivant=/personnes/{world.persons['p1']}"
    # What stays open: her own records, her second factor, the notice, the log-out.
    for path in ("/moi/enregistrements", "/moi/second-facteur"):
        assert client.get(path).status_code == 200
    # Nothing read in the meantime: no access to personal data was audited.
    assert rows(
        world,
        "SELECT count(*) FROM audit_log WHERE person_id IS NOT NULL AND actor_user_id = ?",
        [fresh],
    ) == [(0,)]
    page = client.get(back)
    said = text(page.text)
    for words in (
        "Vos lectures et vos modifications des données des personnes accompagnées",
        "Les heures d'arrivée et de départ de vos visites",
        "Vos connexions",
        "Ce qui est enregistré sur moi",
        "SSIAD A n'a pas déclaré dans Virage avoir informé et consulté son CSE",
        "Direction, délégué·e à la protection des données",  # who reads the journal
        "24 heures",
    ):
        assert words in said, words
    done = client.post(
        "/moi/note-d-information",
        data={"suivant": f"/personnes/{world.persons['p1']}", "_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert done.headers["location"] == f"/personnes/{world.persons['p1']}"
    # Past the notice, the usual rules: she is not in this person's care team.
    after = client.get(person, follow_redirects=False)
    assert after.status_code == 403 and "Accès au dossier refusé" in after.text
    acks = rows(
        world, "SELECT version, structures FROM notice_acknowledgements WHERE user_id = ?", [fresh]
    )
    assert acks == [
        (notice.NOTICE_VERSION, json.dumps([{"structure": "SSIAD A", "cse_consulte_le": None}]))
    ]
    records = text(client.get("/moi/enregistrements").text)
    assert "Note (version 1) lue le" in records and "consultation du CSE non déclarée" in records
    assert rows(
        world,
        "SELECT action FROM audit_log WHERE action = 'accounts.notice.acknowledged' AND actor_user_id = ?",
        [fresh],
    ) == [("accounts.notice.acknowledged",)]
    # Acknowledging again changes nothing.
    page = client.get("/moi/note-d-information")
    assert "Note (version 1) lue le" in text(page.text) and "J'ai lu cette note" not in page.text


def test_the_notice_gives_the_cse_date_the_director_declared(client, world, fresh):
    login(client, "director_a")
    page = client.get(f"/structures/{world.structures['a']}/reglages")
    assert page.status_code == 200
    r = client.post(
        f"/structures/{world.structures['a']}/reglages",
        data={
            "policy": "toujours",
            "networks": "",
            "cse_date": "2026-03-12",
            "_csrf_token": csrf_from(page.text),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    client.cookies.clear()
    login(client, "nadia")
    said = text(client.get("/moi/note-d-information").text)
    assert (
        "SSIAD A a déclaré avoir informé et consulté son CSE (ou son instance représentative du personnel) le 12 mars 2026."
        in said
    )


def test_a_new_version_is_asked_again(client, world, monkeypatch):
    login(client, "nurse_a")
    assert client.get("/moi", follow_redirects=False).status_code == 200
    monkeypatch.setattr(notice, "NOTICE_VERSION", notice.NOTICE_VERSION + 1)
    r = client.get("/moi", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/moi/note-d-information")


def test_on_a_demo_database_the_notice_is_offered_not_imposed(client, world, fresh):
    db = connect(world.settings.db_path)
    db.execute("INSERT INTO instance (key, value) VALUES ('demo', '1')")
    db.close()
    assert login(client, "nadia").headers["location"] == "/moi"
    assert client.get("/moi").status_code == 200
    page = client.get("/moi/note-d-information")
    assert "Base de démonstration" in text(page.text) and "J'ai lu cette note" in page.text


def test_api_tokens_are_not_sent_to_the_notice(client, world, fresh):
    db = connect(world.settings.db_path)
    _id, secret = service.create_token(db, fresh, world.structures["a"], "logiciel")
    db.close()
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert r.status_code == 200


# --------------------------------------------------------------------------- settings page


def _settings(client, world, **form):
    page = client.get(f"/structures/{world.structures['a']}/reglages")
    data = {"policy": "toujours", "networks": "", "cse_date": "", **form}
    return client.post(
        f"/structures/{world.structures['a']}/reglages",
        data={**data, "_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )


def test_the_director_sets_the_rule_and_it_is_audited(client, world):
    login(client, "director_a")
    page = text(client.get(f"/structures/{world.structures['a']}/reglages").text)
    assert "Les rôles qui lisent des informations de santé" in page
    assert (
        "secrétariat" in page
        and "vous êtes en ce moment à l'adresse testclient".lower() in page.lower()
    )
    r = _settings(
        client,
        world,
        policy="hors_reseaux",
        networks="192.168.10.0/24\n10.2.0.0/16",
        cse_date="2026-03-12",
    )
    assert r.headers["location"].endswith("/reglages?enregistre=1")
    assert "Réglages enregistrés." in text(client.get(r.headers["location"]).text)
    assert rows(
        world,
        "SELECT second_factor_policy, local_networks, cse_consulted_on FROM structures WHERE id = ?",
        [world.structures["a"]],
    ) == [("hors_reseaux", '["192.168.10.0/24", "10.2.0.0/16"]', "2026-03-12")]
    entry = rows(
        world,
        "SELECT structure_id, details FROM audit_log WHERE action = 'structures.settings.updated'",
    )
    assert entry[0][0] == world.structures["a"]
    assert json.loads(entry[0][1])["reseaux"] == ["192.168.10.0/24", "10.2.0.0/16"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"policy": "jamais"}, "Choisissez quand le second facteur est demandé."),
        ({"policy": "hors_reseaux"}, "Indiquez au moins un réseau de la structure"),
        ({"networks": "pas-un-reseau"}, "n'est ni une adresse IP ni un réseau"),
        ({"networks": "0.0.0.0/0"}, "désigne tout Internet"),
        ({"cse_date": "2999-01-01"}, "une date passée"),
        ({"cse_date": "12/03/2026"}, "indiquez une date"),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(client, world, form, message):
    login(client, "director_a")
    before = rows(
        world, "SELECT second_factor_policy, local_networks, cse_consulted_on FROM structures"
    )
    r = _settings(client, world, **form)
    assert r.status_code == 400 and message in text(r.text)
    assert (
        rows(world, "SELECT second_factor_policy, local_networks, cse_consulted_on FROM structures")
        == before
    )


@pytest.mark.parametrize(
    ("user", "status"), [("coord_a", 403), ("secretary_a", 403), ("dpo_a", 403), ("coord_b", 404)]
)
def test_only_the_director_of_the_structure_sets_it(client, world, user, status):
    login(client, user)
    assert client.get(f"/structures/{world.structures['a']}/reglages").status_code == status
    page = client.get("/moi")
    r = client.post(
        f"/structures/{world.structures['a']}/reglages",
        data={
            "policy": "hors_reseaux",
            "networks": "10.0.0.0/8",
            "_csrf_token": csrf_from(page.text),
        },
    )
    assert r.status_code == status
    assert rows(
        world, "SELECT second_factor_policy FROM structures WHERE id = ?", [world.structures["a"]]
    ) == [("toujours",)]

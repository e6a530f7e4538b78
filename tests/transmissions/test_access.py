"""Who may read and write a person's transmissions: the care team and the coordination only.

Every rule has a test that tries to break it, through the API (bearer tokens) and the web pages.
"""

from __future__ import annotations

import pytest

from tests.transmissions.conftest import bearer, login, write
from virage.db import connect

SECRET = "Retrouvée au sol, hématome au front."

# Allowed: the care team of p1 (nurse_a, care_a) and the coordination of structure a.
READERS = ["nurse_a", "care_a", "coord_a"]
# Refused, with the status that does not reveal more than needed.
REFUSED = {
    "secretary_a": 403,  # same structure, not a care role
    "director_a": 403,  # the direction does not read health content
    "dpo_a": 403,
    "nurse2_a": 403,  # a nurse of the structure, not in this person's care team
    "social_a": 403,
    "nurse_b": 404,  # another structure: its existence is not even revealed
    "coord_b": 404,
}


@pytest.fixture
def written(client, world):
    response = write(client, world, "nurse_a", priority="urgent")
    assert response.status_code == 201, response.text
    return response.json()


def _audit(world, **where):
    db = connect(world.settings.db_path)
    sql = "SELECT actor_user_id, action, person_id, outcome, emergency FROM audit_log WHERE 1=1"
    params = []
    for key, value in where.items():
        sql += f" AND {key} = ?"
        params.append(value)
    return db.execute(sql, params).fetchall()


@pytest.mark.parametrize("name", READERS)
def test_the_care_team_and_the_coordination_read(client, world, written, name):
    p1 = world.persons["p1"]
    timeline = client.get(f"/api/v1/transmissions?person_id={p1}", headers=bearer(world, name))
    assert timeline.status_code == 200
    assert [t["data"] for t in timeline.json()] == [SECRET]
    one = client.get(f"/api/v1/transmissions/{written['id']}", headers=bearer(world, name))
    assert one.status_code == 200 and one.json()["priority"] == "urgent"
    # every read is in the audit trail, with the person
    assert _audit(
        world, actor_user_id=world.users[name], action="transmissions.read", outcome="allowed"
    )


@pytest.mark.parametrize(("name", "status"), REFUSED.items())
def test_everyone_else_is_refused_and_the_refusal_is_audited(client, world, written, name, status):
    p1 = world.persons["p1"]
    headers = bearer(world, name)
    timeline = client.get(f"/api/v1/transmissions?person_id={p1}", headers=headers)
    assert timeline.status_code == status
    assert SECRET not in timeline.text
    one = client.get(f"/api/v1/transmissions/{written['id']}", headers=headers)
    assert one.status_code == status and SECRET not in one.text
    assert (
        client.post(
            f"/api/v1/transmissions/{written['id']}/acknowledgements", headers=headers
        ).status_code
        == status
    )
    assert write(client, world, name).status_code == status
    assert client.get("/api/v1/transmissions/new-for-me", headers=headers).json()["items"] == []
    denied = _audit(world, actor_user_id=world.users[name], outcome="denied")
    assert any(row[1].startswith("transmissions.") for row in denied)


@pytest.mark.parametrize("name", ["secretary_a", "director_a", "nurse2_a", "nurse_b"])
def test_web_pages_refuse_too(client, world, written, name):
    login(client, name)
    p1 = world.persons["p1"]
    for url in (
        f"/personnes/{p1}/transmissions",
        f"/transmissions/{written['id']}",
        f"/personnes/{p1}/transmissions/nouvelle",
        f"/personnes/{p1}/transmissions/impression",
    ):
        page = client.get(url)
        assert page.status_code in (403, 404), url
        assert SECRET not in page.text


def test_the_secretary_sees_the_record_without_any_transmission(client, world, written):
    login(client, "secretary_a")
    page = client.get(f"/personnes/{world.persons['p1']}")
    assert page.status_code == 200
    assert "Identité et coordonnées" in page.text
    assert 'id="transmissions"' not in page.text
    assert "Transmissions" not in page.text.split("<main", 1)[1]
    assert SECRET not in page.text
    home = client.get("/transmissions")
    assert home.status_code == 200 and SECRET not in home.text


def test_the_record_page_shows_the_latest_transmissions_to_the_team(client, world, written):
    login(client, "care_a")
    page = client.get(f"/personnes/{world.persons['p1']}")
    assert 'id="transmissions"' in page.text
    assert SECRET in page.text
    assert f"/personnes/{world.persons['p1']}/transmissions/nouvelle" in page.text


def test_a_member_removed_from_the_care_team_reads_no_longer(client, world, written):
    p1 = world.persons["p1"]
    headers = bearer(world, "care_a")
    assert client.get(f"/api/v1/transmissions?person_id={p1}", headers=headers).status_code == 200
    removed = client.delete(
        f"/api/v1/persons/{p1}/care-team/{world.users['care_a']}", headers=bearer(world, "coord_a")
    )
    assert removed.status_code == 204
    assert client.get(f"/api/v1/transmissions?person_id={p1}", headers=headers).status_code == 403
    assert client.get(f"/api/v1/transmissions/{written['id']}", headers=headers).status_code == 403
    assert client.get("/api/v1/transmissions/search?q=hematome", headers=headers).json() == []
    assert client.get("/api/v1/transmissions/new-for-me", headers=headers).json()["items"] == []
    assert write(client, world, "care_a").status_code == 403


def test_an_emergency_access_opens_reading_and_is_flagged(client, world, written):
    p1 = world.persons["p1"]
    headers = bearer(world, "nurse2_a")
    assert client.get(f"/api/v1/transmissions?person_id={p1}", headers=headers).status_code == 403
    opened = client.post(
        f"/api/v1/persons/{p1}/emergency-access",
        json={"reason": "Appel de nuit de la fille, remplacement de l'infirmière"},
        headers=headers,
    )
    assert opened.status_code == 201, opened.text
    timeline = client.get(f"/api/v1/transmissions?person_id={p1}", headers=headers)
    assert timeline.status_code == 200 and timeline.json()[0]["data"] == SECRET
    flagged = _audit(
        world, actor_user_id=world.users["nurse2_a"], action="transmissions.read", emergency=1
    )
    assert flagged
    # the emergency access also scopes the search and the feed
    found = client.get("/api/v1/transmissions/search?q=hematome", headers=headers).json()
    assert [t["id"] for t in found] == [written["id"]]


def test_care_roles_of_the_team_write_but_the_coordination_writes_everywhere(client, world):
    assert write(client, world, "care_a").status_code == 201
    assert write(client, world, "coord_a").status_code == 201
    assert write(client, world, "coord_a", person="p2").status_code == 404
    assert write(client, world, "coord_b", person="p2").status_code == 201


def test_an_anonymous_caller_gets_nothing(client, world, written):
    p1 = world.persons["p1"]
    assert client.get(f"/api/v1/transmissions?person_id={p1}").status_code == 401
    page = client.get(f"/personnes/{p1}/transmissions", follow_redirects=False)
    assert page.status_code in (302, 303) and "/connexion" in page.headers["location"]


def test_the_direction_sees_the_reads_in_the_journal_without_the_content(client, world, written):
    client.get(
        f"/api/v1/transmissions?person_id={world.persons['p1']}", headers=bearer(world, "care_a")
    )
    login(client, "director_a")
    journal = client.get(f"/structures/{world.structures['a']}/journal")
    assert journal.status_code == 200
    assert "Lecture des transmissions" in journal.text
    assert "Transmission enregistrée" in journal.text
    assert SECRET not in journal.text

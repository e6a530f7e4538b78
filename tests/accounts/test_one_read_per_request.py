"""The person is read once per request, however many access checks and page sections ask for
her; a write in the same request makes the next check read her again."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import bearer, login
from virage.accounts import storage


@pytest.fixture
def reads(monkeypatch):
    counted = []
    original = storage.get_person

    def counting(db, person_id):
        counted.append(person_id)
        return original(db, person_id)

    monkeypatch.setattr(storage, "get_person", counting)
    return counted


def test_the_record_page_reads_the_person_once(client, world, reads):
    login(client, "nurse_a")
    pid = world.persons["p1"]
    reads.clear()
    page = client.get(f"/personnes/{pid}")
    assert page.status_code == 200
    assert reads.count(pid) == 1


def test_the_api_reads_the_person_once(client, world, reads):
    pid = world.persons["p1"]
    reads.clear()
    r = client.get(f"/api/v1/persons/{pid}", headers=bearer(world, "nurse_a"))
    assert r.status_code == 200
    assert reads.count(pid) == 1


def test_a_write_in_the_request_reads_her_again(client, world, reads):
    pid = world.persons["p1"]
    r = client.patch(
        f"/api/v1/persons/{pid}",
        json={"phone": "05 55 00 00 00"},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["phone"] == "05 55 00 00 00"
    again = client.get(f"/api/v1/persons/{pid}", headers=bearer(world, "coord_a"))
    assert again.json()["phone"] == "05 55 00 00 00"

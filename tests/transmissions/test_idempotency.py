"""Nothing lost, nothing twice: a retry with the same client identifier never duplicates."""

from __future__ import annotations

import threading

import pytest

from tests.transmissions.conftest import bearer, web_login, write
from virage.db import connect
from virage.plugins import PluginHost, hookimpl


def _count(world) -> int:
    return (
        connect(world.settings.db_path).execute("SELECT count(*) FROM transmissions").fetchone()[0]
    )


def _send(
    client, token, world, client_id="7f1c9a3e-0b6d-4c1e-9f3a-2d5e8b7c6a10", person="p1", **extra
):
    body = {
        "person_id": world.persons.get(person, person),
        "client_id": client_id,
        "target": "chute",
        "priority": "urgent",
        "data": "Retrouvée au sol à 3 h, consciente.",
        **extra,
    }
    return client.post(
        "/transmissions/envoyer",
        json=body,
        headers={"x-csrftoken": token, "accept": "application/json"},
    )


class Recorder:
    __name__ = "recorder"

    def __init__(self):
        self.seen = []

    @hookimpl
    def on_transmission_created(self, transmission):
        self.seen.append(transmission["id"])


def test_the_page_sends_the_same_entry_twice_and_one_transmission_exists(client, world):
    token = web_login(client, "nurse_a")
    recorder = Recorder()
    client.app.state.plugins.register(recorder)
    try:
        first = _send(client, token, world)
        again = _send(client, token, world)
    finally:
        client.app.state.plugins.unregister("recorder")
    assert first.status_code == 201, first.text
    assert again.status_code == 200, again.text
    assert first.json()["id"] == again.json()["id"]
    assert again.json()["created"] is False
    assert "déjà été reçue" in again.json()["message"]
    assert first.json()["url"].endswith(f"transmissions?ok={first.json()['id']}")
    assert _count(world) == 1
    assert recorder.seen == [first.json()["id"]]  # the hook runs once


def test_the_page_endpoint_needs_the_csrf_header(client, world):
    web_login(client, "nurse_a")
    refused = client.post(
        "/transmissions/envoyer",
        json={
            "person_id": world.persons["p1"],
            "client_id": "abcdefgh12",
            "target": "chute",
            "data": "x",
        },
        headers={"accept": "application/json"},
    )
    assert refused.status_code == 403
    assert _count(world) == 0


def test_the_page_endpoint_answers_json_errors_in_french(client, world):
    token = web_login(client, "nurse_a")
    unknown = _send(client, token, world, target="inconnue")
    assert unknown.status_code == 400
    assert "Cible inconnue" in unknown.json()["detail"]
    empty = _send(client, token, world, client_id="autre-id-123", data="")
    assert empty.status_code == 400 and empty.headers["content-type"].startswith("application/json")
    future = _send(client, token, world, client_id="autre-id-456", occurred_at="2999-01-01T10:00")
    assert future.status_code == 400 and "futur" in future.json()["detail"]
    assert _count(world) == 0


def test_a_client_id_reused_for_another_person_is_refused(client, world):
    p3 = client.post(
        "/api/v1/persons",
        json={"family_name": "Martin", "given_names": "Paule"},
        headers=bearer(world, "coord_a"),
    ).json()["id"]
    token = web_login(client, "coord_a")
    assert _send(client, token, world).status_code == 201
    conflict = _send(client, token, world, person=p3)
    assert conflict.status_code == 409
    assert _count(world) == 1


def test_the_api_is_idempotent_with_a_client_id(client, world):
    first = write(client, world, "nurse_a", client_id="tablette-42-0001")
    again = write(client, world, "nurse_a", client_id="tablette-42-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    without = [write(client, world, "nurse_a").status_code for _ in range(2)]
    assert without == [201, 201]  # without an identifier, two sends are two transmissions
    assert _count(world) == 3


def test_the_identifier_is_per_author(client, world):
    assert write(client, world, "nurse_a", client_id="meme-identifiant").status_code == 201
    assert write(client, world, "care_a", client_id="meme-identifiant").status_code == 201
    assert _count(world) == 2


def test_a_double_submitted_form_records_once(client, world):
    token = web_login(client, "nurse_a")
    p1 = world.persons["p1"]
    form = client.get(f"/personnes/{p1}/transmissions/nouvelle").text
    client_id = form.split('name="client_id" value="', 1)[1].split('"', 1)[0]
    fields = {
        "_csrf_token": token,
        "client_id": client_id,
        "target": "douleur",
        "priority": "important",
        "data": "Douleur lombaire 6/10.",
    }
    answers = [
        client.post(f"/personnes/{p1}/transmissions", data=fields, follow_redirects=False)
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [303, 303]
    assert answers[0].headers["location"] == answers[1].headers["location"]
    assert _count(world) == 1


def test_results_and_corrections_are_idempotent_too(client, world):
    t = write(client, world, "nurse_a").json()
    headers = bearer(world, "care_a")
    body = {"results": "Radio normale.", "client_id": "resultat-0001"}
    ids = [
        client.post(f"/api/v1/transmissions/{t['id']}/results", json=body, headers=headers).json()[
            "id"
        ]
        for _ in range(2)
    ]
    assert ids[0] == ids[1]
    body = {"target": "chute", "data": "Correction.", "client_id": "correction-0001"}
    ids = [
        client.post(
            f"/api/v1/transmissions/{t['id']}/corrections", json=body, headers=headers
        ).json()["id"]
        for _ in range(2)
    ]
    assert ids[0] == ids[1]
    assert _count(world) == 3


def test_the_database_itself_refuses_a_duplicate(client, world):
    t = write(client, world, "nurse_a", client_id="unique-en-base").json()
    conn = connect(world.settings.db_path)
    with pytest.raises(conn.IntegrityError):
        conn.execute(
            "INSERT INTO transmissions (person_id, structure_id, author_id, author_label, target,"
            " category, occurred_at, created_at, editable_until, data, client_id)"
            " SELECT person_id, structure_id, author_id, author_label, target, category,"
            " occurred_at, created_at, editable_until, data, client_id FROM transmissions WHERE id = ?",
            [t["id"]],
        )


def test_copies_of_a_retry_arriving_together_record_once(world, monkeypatch):
    """Real concurrency (one connection per copy): every copy has checked the identifier and
    found nothing before any of them writes; the database's unique key keeps one."""
    from virage.accounts import service as accounts_service
    from virage.accounts import storage as accounts_storage
    from virage.accounts.context import AccessContext
    from virage.app import build_registry
    from virage.transmissions import service, storage

    copies = 5
    registry = build_registry(PluginHost(world.settings))
    checked = threading.Barrier(copies, timeout=20)
    first_check = threading.local()
    original = storage.find_by_client_id

    def find_then_wait(db, author_id, client_id):
        found = original(db, author_id, client_id)
        if not getattr(first_check, "done", False):
            first_check.done = True
            checked.wait()  # nobody writes before every copy has looked
        return found

    monkeypatch.setattr(storage, "find_by_client_id", find_then_wait)
    outcomes, errors = [], []

    def send():
        db = connect(world.settings.db_path)
        try:
            user = accounts_storage.get_user(db, world.users["nurse_a"])
            actor = accounts_service.actor_for_user(db, user, via="session")
            access = AccessContext(db, registry, actor, route="test")
            created = service.create_transmission(
                access,
                None,
                world.persons["p1"],
                target="chute",
                data="Retrouvée au sol à 3 h, consciente.",
                client_id="envoi-simultane-0001",
            )
            outcomes.append((created.created, created.transmission["id"]))
        except Exception as exc:
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=send) for _ in range(copies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(created for created, _ in outcomes) == [False] * (copies - 1) + [True]
    assert len({new_id for _, new_id in outcomes}) == 1
    assert _count(world) == 1

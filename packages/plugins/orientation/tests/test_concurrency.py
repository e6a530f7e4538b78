"""Answers that race for the same request, each on its own connection and thread: the database
decides (conditional updates on the status), one wins, the others get 409 — on SQLite (one
writer at a time) as on PostgreSQL (READ COMMITTED, row locks)."""

from __future__ import annotations

import threading
import time

from virage_orientation import receiving, service
from virage_orientation import storage as orientation_storage
from virage_orientation.models import AnswerIn

from tests.accounts.conftest import bearer
from virage.sdk import AccessContext, Conflict, PluginHost, accounts, transaction
from virage.sdk.testing import build_registry, connect

API = "/api/v1/orientation"
REQUEST = {
    "module": "grand_age",
    "offer": "ehpad",
    "criteria": ["unite_protegee"],
    "commune": "39600",
    "radius_km": 20,
    "urgency": "normale",
    "consent": "personne",
}
REFUSAL = AnswerIn(status="refusee", refusal_reason="pas_de_place")
ACCEPTANCE = AnswerIn(status="acceptee", proposed_date="2026-12-01")


def sent_request(client, world, territory) -> tuple[int, int]:
    """A request sent to the Tilleuls (structure b) and Les Coteaux; its id and the Tilleuls'
    sending."""
    body = {**REQUEST, "person_id": world.persons["p1"]}
    rid = client.post(f"{API}/demandes", json=body, headers=bearer(world, "social_a")).json()["id"]
    r = client.put(
        f"{API}/demandes/{rid}/volet-medical",
        json={"content": "Troubles cognitifs modérés."},
        headers=bearer(world, "nurse_a"),
    )
    assert r.status_code == 200, r.text
    r = client.post(
        f"{API}/demandes/{rid}/envois",
        json={"structures": [territory["EHPAD Les Tilleuls"], territory["EHPAD Les Coteaux"]]},
        headers=bearer(world, "social_a"),
    )
    assert r.status_code == 201, r.text
    sid = next(s["id"] for s in r.json()["sendings"] if s["structure_name"] == "EHPAD Les Tilleuls")
    return rid, sid


class Session:
    """A worker's own connection (as a request of the server has), closed by :meth:`close`."""

    def __init__(self, world, username: str) -> None:
        self.db = connect(world.settings.db_path)
        registry = build_registry(PluginHost(world.settings))
        user = accounts.user(self.db, world.users[username])
        self.access = AccessContext(self.db, registry, accounts.actor_for_user(self.db, user))

    def close(self) -> None:
        self.db.close()


def race(calls) -> list[object]:
    """Run the calls together (one thread each, released at once); what each returned or
    raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)
    return results


def answers_of(db, rid: int, sid: int) -> list[str]:
    return [
        e["status"]
        for e in orientation_storage.events_of(db, rid)
        if e["sending_id"] == sid and e["status"] in ("refusee", "acceptee")
    ]


def test_a_second_answer_waits_for_the_first_and_gets_409(client, world, territory):
    rid, sid = sent_request(client, world, territory)
    b = world.structures["b"]
    first, second = Session(world, "coord_b"), Session(world, "coord_b")
    outcome: list[object] = []

    def answer_meanwhile():
        try:
            outcome.append(receiving.answer(second.access, b, sid, ACCEPTANCE))
        except Exception as exc:
            outcome.append(exc)

    try:
        with transaction(first.db):  # the first answer is written, not committed yet
            receiving.answer(first.access, b, sid, REFUSAL)
            other = threading.Thread(target=answer_meanwhile)
            other.start()
            time.sleep(0.5)
            assert other.is_alive()  # it waits for the first to end (row or write lock)
        other.join(30)
        assert len(outcome) == 1 and isinstance(outcome[0], Conflict), outcome
        assert orientation_storage.get_sending(first.db, sid)["status"] == "refusee"
        assert answers_of(first.db, rid, sid) == ["refusee"]
    finally:
        first.close()
        second.close()


def test_concurrent_answers_one_wins_the_others_get_409(client, world, territory):
    rid, sid = sent_request(client, world, territory)
    b = world.structures["b"]
    sessions = [Session(world, "coord_b") for _ in range(6)]
    try:
        wanted = [REFUSAL if i % 2 else ACCEPTANCE for i in range(len(sessions))]
        results = race(
            [
                lambda s=s, w=w: receiving.answer(s.access, b, sid, w)
                for s, w in zip(sessions, wanted, strict=True)
            ]
        )
        won = [i for i, r in enumerate(results) if isinstance(r, dict)]
        assert len(won) == 1, results
        assert all(isinstance(r, Conflict) for i, r in enumerate(results) if i != won[0]), results
        status = wanted[won[0]].status
        assert orientation_storage.get_sending(sessions[0].db, sid)["status"] == status
        assert answers_of(sessions[0].db, rid, sid) == [status]
    finally:
        for s in sessions:
            s.close()


def test_withdrawal_and_admission_race_without_deadlock(client, world, territory):
    """The requester withdraws while the EHPAD records the admission: one of them wins, the
    other gets 409 — never a deadlock nor a half-done request."""
    for _ in range(3):
        withdrawal_against_admission(client, world, territory)


def withdrawal_against_admission(client, world, territory) -> None:
    b = world.structures["b"]
    rid, sid = sent_request(client, world, territory)
    url = f"{API}/structures/{b}/recues/{sid}/reponse"
    r = client.post(
        url,
        json={"status": "acceptee", "proposed_date": "2026-12-03"},
        headers=bearer(world, "coord_b"),
    )
    assert r.status_code == 201, r.text
    r = client.post(
        f"{API}/demandes/{rid}/admission",
        json={"sending_id": sid},
        headers=bearer(world, "social_a"),
    )
    assert r.status_code == 201, r.text
    ehpad, requester = Session(world, "coord_b"), Session(world, "social_a")
    try:
        realised, withdrawn = race(
            [
                lambda: receiving.answer(
                    ehpad.access, b, sid, AnswerIn(status="admission_realisee")
                ),
                lambda: service.withdraw(requester.access, rid, "Retour à domicile"),
            ]
        )
        outcomes = {type(realised).__name__, type(withdrawn).__name__}
        assert outcomes == {"dict", "Conflict"}, (realised, withdrawn)
        assert orientation_storage.get_request(ehpad.db, rid)["status"] == "cloturee"
        expected = "admission_realisee" if isinstance(realised, dict) else "annulee"
        assert orientation_storage.get_sending(ehpad.db, sid)["status"] == expected
    finally:
        ehpad.close()
        requester.close()

"""The contract with the connector, routing to whoever is on call, escalation and handover, on a
pinned clock (no sleep)."""

from __future__ import annotations

from tests.inboxes.conftest import ADDRESS, local, message, on_call
from virage.inboxes import routing, service, storage
from virage.inboxes.model import AnswerIn, CloseIn, NoteIn
from virage.sdk import accounts, inboxes


def _access(client, db, username):
    return accounts.access_for(db, client.app.state.plugins, username)


def test_external_message_is_filed_once_and_routed_to_who_is_on_call(
    client, db, world, inbox, pinned, recorder
):
    on_call(db, world, "nurse_a", local(21))
    plugins = client.app.state.plugins
    first = inboxes.receive_external(db, plugins, inbox_address=ADDRESS.upper(), message=message())
    again = inboxes.receive_external(db, plugins, inbox_address=ADDRESS, message=message())
    assert first is not None and again == first
    item = storage.item(db, first)
    assert item["routed_to"] == world.users["nurse_a"] and item["status"] == "open"
    assert len(storage.open_items(db, inbox, 50)) == 1
    # One notice, generic: the inbox's name, never the subject.
    assert [n for n in recorder.notices if n[0] == [world.users["nurse_a"]]]
    assert all("Retour" not in n[1].title for n in recorder.notices)
    assert (
        inboxes.receive_external(
            db, plugins, inbox_address="autre@x.mssante.fr", message=message(2)
        )
        is None
    )
    assert [b["id"] for b in inboxes.list_bridged(db)] == [inbox]
    labels = db.execute(
        "SELECT actor_label FROM audit_log WHERE action = 'inboxes.item.received'"
    ).fetchall()
    assert labels and labels[0][0] == "Virage (boîtes organisationnelles)"


def test_claim_answer_close_and_the_connector(client, db, world, inbox, pinned, recorder):
    on_call(db, world, "nurse_a", local(21))
    plugins = client.app.state.plugins
    item_id = inboxes.receive_external(db, plugins, inbox_address=ADDRESS, message=message())
    nurse = _access(client, db, "nurse_a")
    other = _access(client, db, "nurse2_a")
    service.claim(nurse, item_id)
    try:
        service.claim(other, item_id)
        raise AssertionError("claimed twice")
    except Exception as exc:  # Conflict
        assert "Déjà pris par nurse a" in str(exc)
    assert service.answer(nurse, item_id, AnswerIn(body="Je passe demain 8 h.")) is None
    recorder.connector = True
    assert service.answer(nurse, item_id, AnswerIn(body="Confirmé.")) is True
    assert recorder.sent[0][1] == "urgences@hopital.mssante.fr"
    assert recorder.sent[0][4] == "<m1@hopital.mssante.fr>"
    service.close(nurse, item_id, CloseIn(outcome="Visite prévue demain 8 h"))
    assert storage.item(db, item_id)["status"] == "closed"


def test_unclaimed_item_escalates_then_reaches_the_manager(client, db, world, inbox, pinned):
    on_call(db, world, "nurse_a", local(21))
    on_call(db, world, "nurse2_a", local(22))
    pinned.local(22, 30)
    plugins = client.app.state.plugins
    item_id = inboxes.receive_external(db, plugins, inbox_address=ADDRESS, message=message())
    assert storage.item(db, item_id)["routed_to"] == world.users["nurse_a"]
    assert routing.run_once(db, plugins) == 0  # not yet
    pinned.local(22, 45)
    assert routing.run_once(db, plugins) == 1
    assert storage.item(db, item_id)["routed_to"] == world.users["nurse2_a"]
    pinned.local(23, 0)
    assert routing.run_once(db, plugins) == 1
    row = storage.item(db, item_id)
    assert row["routed_to"] == world.users["director_a"] and row["escalation_level"] == 2
    pinned.local(23, 30)
    assert routing.run_once(db, plugins) == 0  # stays with the manager


def test_handover_gives_open_items_and_the_note_to_the_next_on_call(
    client, db, world, inbox, pinned
):
    on_call(db, world, "nurse_a", local(21), hours=10)  # 21 h → 7 h
    on_call(db, world, "nurse2_a", local(7, day=3), hours=12)
    plugins = client.app.state.plugins
    claimed = inboxes.receive_external(db, plugins, inbox_address=ADDRESS, message=message(1))
    closed = inboxes.receive_external(db, plugins, inbox_address=ADDRESS, message=message(2))
    nurse = _access(client, db, "nurse_a")
    service.claim(nurse, claimed)
    service.claim(nurse, closed)
    service.close(nurse, closed, CloseIn(outcome="Réglé au téléphone"))
    service.write_note(nurse, inbox, NoteIn(note="Mme D. à rappeler avant 9 h."))
    pinned.local(7, 0, day=3)
    assert routing.run_once(db, plugins) == 1
    row = storage.item(db, claimed)
    assert row["claimed_by"] == world.users["nurse2_a"]
    assert row["handover_note"] == "Mme D. à rappeler avant 9 h."
    assert row["handover_from_label"] == "nurse a"
    assert storage.item(db, closed)["closed_by"] == world.users["nurse_a"]
    assert routing.run_once(db, plugins) == 0  # once
    assert storage.pending_note(db, inbox, world.users["nurse_a"]) is None


def test_received_at_naive_or_huge_texts_are_bounded(client, db, inbox, pinned):
    plugins = client.app.state.plugins
    from datetime import datetime

    item_id = inboxes.receive_external(
        db,
        plugins,
        inbox_address=ADDRESS,
        message=message(9, body="x" * 50_000, subject="s" * 999, received_at=datetime(2026, 1, 1)),
    )
    row = storage.item(db, item_id)
    assert len(row["body"]) == 20_000 and len(row["subject"]) == 200


def test_a_shared_inbox_notifies_its_readers_and_the_person_export_and_purge(
    client, db, world, pinned, recorder
):
    from virage.inboxes import plugin
    from virage.inboxes.model import ItemIn
    from virage.inboxes.settings import InboxSettings, seed

    shared = seed(
        db,
        world.structures["a"],
        InboxSettings(name="Secrétariat", kind="shared", reader_roles=["secretariat"]),
    )
    coord = _access(client, db, "coord_a")
    item_id = service.post(
        coord, shared, ItemIn(subject="Rappel", body="Insuline", person_id=world.persons["p1"])
    )
    assert recorder.notices[-1][0] == [world.users["secretary_a"]]
    assert "Insuline" not in recorder.notices[-1][1].title
    # The secretariat reads the inbox, not the text about the person (not in her care team).
    view = service.item_view(_access(client, db, "secretary_a"), item_id)
    assert view["body_readable"] is False
    (section,) = plugin.extra_person_export(db, world.persons["p1"])
    assert section.permission == "persons.health.read" and section.data[0]["body"] == "Insuline"
    plugin.on_person_deleted(db, world.persons["p1"])
    assert storage.item(db, item_id) is None

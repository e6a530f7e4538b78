"""The whole path with the real inboxes: a professional writes over SMTP, dovecot keeps it while
Virage is down, one relève files it once as an item routed to whoever is on call, and the
answer written in Virage reaches the professional's mailbox, threaded."""

from __future__ import annotations

from datetime import datetime, timedelta
from email import policy
from email.parser import BytesParser

import pytest
from litestar.testing import TestClient
from mail_helpers import write
from virage_mssante import config, fetch, storage

from tests.inboxes.conftest import on_call
from virage.agenda.timeutil import PARIS
from virage.inboxes import service as inbox_service
from virage.inboxes import storage as inbox_storage
from virage.inboxes.model import AnswerIn
from virage.inboxes.settings import InboxSettings, seed
from virage.sdk import accounts, directory
from virage.sdk.testing import cli, connect, create_app


@pytest.fixture
def app(world, mail):
    with TestClient(create_app(world.settings)) as client:
        yield client.app


@pytest.fixture
def db(world, app):
    database = connect(world.settings.db_path)
    yield database
    database.close()


@pytest.fixture
def inbox(world, db, mail):
    now = datetime.now(PARIS).replace(tzinfo=None, minute=0, second=0, microsecond=0)
    on_call(db, world, "nurse_a", now - timedelta(hours=1))
    return seed(
        db,
        world.structures["a"],
        InboxSettings(name="Astreinte SSIAD", kind="on_call", external_address=mail.inbox_address),
    )


def doctor(address: str) -> dict:
    return {
        "idnps": "810001234567",
        "rpps": "10001234567",
        "family_name": "Lefort",
        "given_name": "Anne",
        "profession_code": "10",
        "profession_label": "Médecin",
        "specialties": "[]",
        "mssante": address,
        "status": "open",
        "source": "test",
    }


def items(db, inbox_id: int) -> list[dict]:
    return inbox_storage.items_of(db, inbox_id, False, 50)


def test_smtp_to_dovecot_to_an_on_call_item_once_then_the_answer_goes_back(
    app, db, world, mail, inbox
):
    write(
        mail,
        "Sortie d'hospitalisation",
        "Retour ce soir, pansement à vérifier demain.",
        message_id="<sortie-7@hopital.mssante.test>",
    )  # Virage has not fetched yet
    directory.save_professional(db, doctor(mail.doctor_address), [], [])
    plugins = app.state.plugins
    assert fetch.fetch_all(db, plugins, config.load()).stored == 1
    assert fetch.fetch_all(db, plugins, config.load()).stored == 0  # once, not twice
    (item,) = items(db, inbox)
    assert item["source"] == "external" and item["sender"] == mail.doctor_address
    assert item["routed_to"] == world.users["nurse_a"]
    assert "pansement à vérifier" in item["body"]
    assert item["body"].startswith(  # the sender's address is a professional's in the directory
        f"[Annuaire : {mail.doctor_address} est l'adresse MSSanté de Anne Lefort, Médecin.]"
    )

    nurse = accounts.access_for(db, plugins, "nurse_a")
    inbox_service.claim(nurse, item["id"])
    sent = inbox_service.answer(nurse, item["id"], AnswerIn(body="Bien reçu, passage à 9 h."))
    assert sent is True
    (raw,) = mail.mailbox(mail.doctor_address)
    answer = BytesParser(policy=policy.default).parsebytes(raw)
    assert answer["In-Reply-To"] == "<sortie-7@hopital.mssante.test>"
    assert mail.inbox_address in answer["From"]
    assert "Sortie d'hospitalisation" in answer["Subject"]
    assert "Bien reçu" in answer.get_content()


def test_a_crash_after_filing_before_the_cursor_keeps_one_item(
    app, db, world, mail, inbox, monkeypatch
):
    write(mail, "Appel", "Merci de rappeler le service.", message_id="<appel-1@h.mssante.test>")
    plugins = app.state.plugins

    def crash(*args, **kwargs):
        raise RuntimeError("arrêt brutal")

    with monkeypatch.context() as m:
        m.setattr(storage, "save_cursor", crash)
        with pytest.raises(RuntimeError):
            fetch.fetch_all(db, plugins, config.load())
    assert len(items(db, inbox)) == 1  # stored before the crash
    assert fetch.fetch_all(db, plugins, config.load()).stored == 1  # fetched again…
    assert len(items(db, inbox)) == 1  # …filed once


def test_the_command_fetches_once(world, db, mail, inbox, monkeypatch, capsys):
    write(mail, "Par la commande", "texte", message_id="<cli-1@h.mssante.test>")
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    monkeypatch.setenv("VIRAGE_SECRET_KEY", world.settings.secret_key)
    assert cli(["mssante", "relever"]) == 0
    assert "1 boîte reliée, 1 message reçu." in capsys.readouterr().out
    assert cli(["mssante", "relever"]) == 0
    assert "1 boîte reliée, 0 message reçu." in capsys.readouterr().out
    assert len(items(db, inbox)) == 1


def test_the_poller_started_with_the_application_fetches(world, mail, monkeypatch):
    """Started by ``on_startup``; its rounds (here two, with a sleep that does not wait) file
    the message once."""
    import asyncio

    from virage_mssante import background

    monkeypatch.setenv("VIRAGE_MSSANTE_POLL_SECONDS", "60")
    with TestClient(create_app(world.settings)) as client:
        app = client.app

        async def tasks() -> set[str]:
            return {task.get_name() for task in asyncio.all_tasks()}

        assert "mssante-poller" in client.blocking_portal.call(tasks)  # cancelled at shutdown
        database = connect(world.settings.db_path)
        try:
            now = datetime.now(PARIS).replace(tzinfo=None, minute=0, second=0, microsecond=0)
            on_call(database, world, "nurse_a", now - timedelta(hours=1))
            inbox_id = seed(
                database,
                world.structures["a"],
                InboxSettings(
                    name="Astreinte", kind="on_call", external_address=mail.inbox_address
                ),
            )
            write(mail, "Pendant la nuit", "texte", message_id="<nuit-1@h.mssante.test>")

            async def no_wait(seconds):
                assert seconds == 60

            pool, plugins = app.state.pool, app.state.plugins
            failed = asyncio.run(background.run(pool, plugins, 60, rounds=2, sleep=no_wait))
            assert failed == 0
            assert len(items(database, inbox_id)) == 1
        finally:
            database.close()

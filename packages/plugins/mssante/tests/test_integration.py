from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest
from litestar.testing import TestClient
from mail_helpers import bridge, put_on_call, write
from virage_mssante import config, fetch, storage

from tests.accounts.conftest import bearer
from virage.sdk import directory
from virage.sdk.testing import cli, connect, create_app


@pytest.fixture
def client(world, mail):
    with TestClient(create_app(world.settings)) as test_client:
        yield test_client


@pytest.fixture
def app(client):
    return client.app


@pytest.fixture
def db(world, client):
    database = connect(world.settings.db_path)
    yield database
    database.close()


@pytest.fixture
def inbox(client, db, world, mail):
    put_on_call(db, world, "nurse_a")
    return bridge(client, db, world, mail.inbox_address)


def items(client, world, inbox_id: int) -> list[dict]:
    """The inbox's open items as the nurse on call reads them through the API."""
    nurse = bearer(world, "nurse_a")
    listed = client.get(f"/api/v1/boites/{inbox_id}/elements", headers=nurse)
    assert listed.status_code == 200, listed.text
    return [
        client.get(f"/api/v1/boites/elements/{i['id']}", headers=nurse).json()
        for i in listed.json()
    ]


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


def test_smtp_to_dovecot_to_an_on_call_item_once_then_the_answer_goes_back(
    client, app, db, world, mail, inbox
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
    (item,) = items(client, world, inbox)
    assert item["source"] == "external" and item["sender"] == mail.doctor_address
    assert item["routed_to"] == "nurse a"  # whoever is on call now, by the agenda
    assert "pansement à vérifier" in item["body"]
    assert item["body"].startswith(  # the sender's address is a professional's in the directory
        f"[Annuaire : {mail.doctor_address} est l'adresse MSSanté de Anne Lefort, Médecin.]"
    )

    nurse = bearer(world, "nurse_a")
    url = f"/api/v1/boites/elements/{item['id']}"
    assert client.post(f"{url}/prise", headers=nurse).status_code in (200, 201)
    answered = client.post(
        f"{url}/reponses", headers=nurse, json={"body": "Bien reçu, passage à 9 h."}
    )
    assert answered.status_code in (200, 201), answered.text
    assert answered.json()["sent_out"] is True
    (raw,) = mail.mailbox(mail.doctor_address)
    answer = BytesParser(policy=policy.default).parsebytes(raw)
    assert answer["In-Reply-To"] == "<sortie-7@hopital.mssante.test>"
    assert mail.inbox_address in answer["From"]
    assert "Sortie d'hospitalisation" in answer["Subject"]
    assert "Bien reçu" in answer.get_content()


def test_a_crash_after_filing_before_the_cursor_keeps_one_item(
    client, app, db, world, mail, inbox, monkeypatch
):
    write(mail, "Appel", "Merci de rappeler le service.", message_id="<appel-1@h.mssante.test>")
    plugins = app.state.plugins

    def crash(*args, **kwargs):
        raise RuntimeError("arrêt brutal")

    with monkeypatch.context() as m:
        m.setattr(storage, "save_cursor", crash)
        with pytest.raises(RuntimeError):
            fetch.fetch_all(db, plugins, config.load())
    assert len(items(client, world, inbox)) == 1  # filed before the crash
    assert fetch.fetch_all(db, plugins, config.load()).stored == 1  # fetched again…
    assert len(items(client, world, inbox)) == 1  # …filed once


def test_the_command_fetches_once(client, world, mail, inbox, monkeypatch, capsys):
    write(mail, "Par la commande", "texte", message_id="<cli-1@h.mssante.test>")
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    monkeypatch.setenv("VIRAGE_SECRET_KEY", world.settings.secret_key)
    assert cli(["mssante", "relever"]) == 0
    assert "1 boîte reliée, 1 message reçu." in capsys.readouterr().out
    assert cli(["mssante", "relever"]) == 0
    assert "1 boîte reliée, 0 message reçu." in capsys.readouterr().out
    assert len(items(client, world, inbox)) == 1


def test_the_poller_started_with_the_application_fetches(world, mail, monkeypatch):
    """Started by ``on_startup``; its rounds (here two, with a sleep that does not wait) file
    the message once."""
    import asyncio

    from virage_mssante import background

    monkeypatch.setenv("VIRAGE_MSSANTE_POLL_SECONDS", "60")
    with TestClient(create_app(world.settings)) as client:

        async def tasks() -> set[str]:
            return {task.get_name() for task in asyncio.all_tasks()}

        assert "mssante-poller" in client.blocking_portal.call(tasks)  # cancelled at shutdown
        database = connect(world.settings.db_path)
        try:
            put_on_call(database, world, "nurse_a")
            inbox_id = bridge(client, database, world, mail.inbox_address)
        finally:
            database.close()
        write(mail, "Pendant la nuit", "texte", message_id="<nuit-1@h.mssante.test>")

        async def no_wait(seconds):
            assert seconds == 60

        pool, plugins = client.app.state.pool, client.app.state.plugins
        # On the application's own loop, as on_startup runs it (a test run may already have a
        # running loop in this thread, where asyncio.run would refuse).
        failed = client.blocking_portal.call(
            lambda: background.run(pool, plugins, 60, rounds=2, sleep=no_wait)
        )
        assert failed == 0
        assert len(items(client, world, inbox_id)) == 1

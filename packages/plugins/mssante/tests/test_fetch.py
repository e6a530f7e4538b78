"""Fetching from a real IMAPS server (dovecot on 127.0.0.1): once, even after an outage or a
crash between storing the item and moving the cursor; bounded; TLS verified."""

from __future__ import annotations

import pytest
from mail_helpers import FakeInbox, write
from virage_mssante import config, fetch, storage

from virage.sdk.testing import connect


@pytest.fixture
def db(world):
    database = connect(world.settings.db_path)
    yield database
    database.close()


def bridged(world, mail) -> dict:
    return {
        "id": 1,
        "structure_id": world.structures["a"],
        "name": "Astreinte SSIAD",
        "external_address": mail.inbox_address,
    }


def test_a_message_sent_while_virage_was_down_is_fetched_once(db, world, mail):
    write(
        mail,
        "Retour d'hospitalisation de Mme D.",
        "Sortie demain 10 h, pansement à refaire.",
        message_id="<sortie-1@hopital.mssante.test>",
    )  # Virage is not running: it waits
    inbox, received = bridged(world, mail), FakeInbox()
    assert fetch.fetch_inbox(db, None, inbox, config.load(), receive=received) == 1
    assert fetch.fetch_inbox(db, None, inbox, config.load(), receive=received) == 0
    assert received.calls == 1
    message = received.items["<sortie-1@hopital.mssante.test>"]
    assert message.sender == mail.doctor_address
    assert message.subject == "Retour d'hospitalisation de Mme D."
    assert "pansement à refaire" in message.body
    assert storage.cursor(db, 1)["last_uid"] == 1


def test_a_crash_before_the_cursor_moves_refetches_and_the_id_keeps_it_once(
    db, world, mail, monkeypatch
):
    write(mail, "Question", "Pouvez-vous rappeler ?", message_id="<q-1@hopital.mssante.test>")
    inbox, received = bridged(world, mail), FakeInbox()

    def crash(*args, **kwargs):
        raise RuntimeError("arrêt brutal entre l'enregistrement et le curseur")

    with monkeypatch.context() as m:
        m.setattr(storage, "save_cursor", crash)
        with pytest.raises(RuntimeError):
            fetch.fetch_inbox(db, None, inbox, config.load(), receive=received)
    assert received.calls == 1 and storage.cursor(db, 1) is None
    fetch.fetch_inbox(db, None, inbox, config.load(), receive=received)  # fetched again…
    assert received.calls == 2 and len(received.items) == 1  # …and kept once
    fetch.fetch_inbox(db, None, inbox, config.load(), receive=received)
    assert received.calls == 2


def test_a_new_uidvalidity_starts_over_without_doubles(db, world, mail):
    write(mail, "Un", "premier", message_id="<un@hopital.mssante.test>")
    inbox, received = bridged(world, mail), FakeInbox()
    fetch.fetch_inbox(db, None, inbox, config.load(), receive=received)
    storage.save_cursor(db, inbox, mail.inbox_address, 1, 99)  # another mailbox generation
    write(mail, "Deux", "second", message_id="<deux@hopital.mssante.test>")
    assert fetch.fetch_inbox(db, None, inbox, config.load(), receive=received) == 2
    assert sorted(received.items) == ["<deux@hopital.mssante.test>", "<un@hopital.mssante.test>"]


def test_a_huge_message_is_bounded_and_attachments_are_said(db, world, mail):
    huge = ("Ligne de compte rendu très longue. " * 40 + "\n") * 1500  # about 2 MB
    mail.deliver(
        mail.inbox_address,
        (
            f"From: {mail.doctor_address}\r\nTo: {mail.inbox_address}\r\nSubject: Compte rendu\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
            "--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
            "<p>Bonjour,</p><p>voir <b>ordonnance</b> jointe.</p>\r\n"
            "--XX\r\nContent-Type: application/pdf\r\n"
            'Content-Disposition: attachment; filename="ordonnance.pdf"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
            "--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + huge + "\r\n--XX--\r\n"
        ).encode(),
    )
    received = FakeInbox()
    assert fetch.fetch_inbox(db, None, bridged(world, mail), config.load(), receive=received) == 1
    (message,) = received.items.values()
    assert len(message.body) <= 20_000
    assert "[pièce jointe non reprise : ordonnance.pdf]" in message.body
    assert "message tronqué" in message.body
    assert message.message_id.startswith("<")  # no Message-ID: a stable one from UIDVALIDITY


def test_html_only_is_reduced_to_text():
    from datetime import UTC, datetime

    from virage_mssante import parse

    raw = (
        b"From: a@b.test\r\nSubject: =?utf-8?q?=C3=A0_voir?=\r\nContent-Type: text/html; "
        b"charset=utf-8\r\n\r\n<style>p{}</style><p>Bonjour&nbsp;!</p><script>x()</script>"
        b"<div>Passage &agrave; 14 h</div>"
    )
    got = parse.parse(raw, fallback_id="<f>", truncated=False, received_at=datetime.now(UTC))
    assert got.subject == "à voir"
    assert got.body == "Bonjour\xa0!\nPassage à 14 h"
    assert "x()" not in got.body and got.message_id == "<f>"


def test_a_server_whose_certificate_is_not_trusted_is_refused(db, world, mail, monkeypatch):
    write(mail, "Ne doit pas passer", "texte")
    monkeypatch.setenv("VIRAGE_MSSANTE_CA_FILE", str(mail.wrong_ca_file))
    received = FakeInbox()
    with pytest.raises(fetch.FetchFailed, match="Connexion IMAP"):
        fetch.fetch_inbox(db, None, bridged(world, mail), config.load(), receive=received)
    assert received.calls == 0


def test_wrong_credentials_are_said_without_the_password(db, world, mail, tmp_path, monkeypatch):
    bad = tmp_path / "faux"
    bad.write_text(f"{mail.inbox_address} pas-le-bon\n")
    monkeypatch.setenv("VIRAGE_MSSANTE_CREDENTIALS_FILE", str(bad))
    with pytest.raises(fetch.FetchFailed) as refused:
        fetch.fetch_inbox(db, None, bridged(world, mail), config.load(), receive=FakeInbox())
    assert "refusés" in str(refused.value) and "pas-le-bon" not in str(refused.value)
    assert "pas-le-bon" not in repr(config.load())


def test_hostile_html_is_reduced_without_backtracking():
    from virage_mssante import parse

    for markup in ("<script " * 20000, "<style>" * 20000, "<" * 100000, "<br" * 50000):
        assert len(parse.html_to_text(markup)) <= 100000  # one pass each, bounded input


def test_a_missing_credentials_file_is_said_per_inbox(db, world, mail, tmp_path, monkeypatch):
    monkeypatch.setenv("VIRAGE_MSSANTE_CREDENTIALS_FILE", str(tmp_path / "absent"))
    with pytest.raises(fetch.FetchFailed, match="Aucun identifiant"):
        fetch.fetch_inbox(db, None, bridged(world, mail), config.load(), receive=FakeInbox())

"""Answers leave by SMTP over TLS and arrive in the professional's mailbox, threaded."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

import virage_mssante
from virage_mssante import config, send


def inbox(mail) -> dict:
    return {
        "id": 1,
        "structure_id": 1,
        "name": "Astreinte SSIAD",
        "external_address": mail.inbox_address,
    }


def test_an_answer_arrives_in_the_senders_mailbox_with_in_reply_to(mail):
    sent = virage_mssante.inbox_send_external(
        inbox=inbox(mail),
        to=mail.doctor_address,
        subject="Re : Retour d'hospitalisation",
        body="Bien reçu, passage demain à 10 h.",
        in_reply_to="<sortie-1@hopital.mssante.test>",
    )
    assert sent is True
    (raw,) = mail.mailbox(mail.doctor_address)
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert message["In-Reply-To"] == "<sortie-1@hopital.mssante.test>"
    assert message["References"] == "<sortie-1@hopital.mssante.test>"
    assert mail.inbox_address in message["From"]
    assert message["Subject"] == "Re : Retour d'hospitalisation"
    assert message.get_content().strip() == "Bien reçu, passage demain à 10 h."


def test_no_header_injection_through_the_subject(mail):
    assert send.send(
        config.load(),
        inbox(mail),
        mail.doctor_address,
        "Re : x\r\nBcc: espion@ailleurs.test",
        "texte",
        None,
    )
    (raw,) = mail.mailbox(mail.doctor_address)
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert message["Bcc"] is None and message["Subject"] == "Re : x Bcc: espion@ailleurs.test"


def test_an_untrusted_certificate_is_refused_and_nothing_is_sent(mail, monkeypatch):
    monkeypatch.setenv("VIRAGE_MSSANTE_CA_FILE", str(mail.wrong_ca_file))
    assert send.send(config.load(), inbox(mail), mail.doctor_address, "Re : x", "y", None) is False
    assert mail.mailbox(mail.doctor_address) == []


def test_an_inbox_not_bridged_is_left_to_others(mail):
    assert (
        virage_mssante.inbox_send_external(
            inbox={"id": 2, "structure_id": 1, "external_address": None},
            to="x@y.test",
            subject="Re",
            body="b",
            in_reply_to=None,
        )
        is None
    )

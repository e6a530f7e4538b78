"""Helpers of the connector's tests: a professional writing over SMTP, messages to deliver."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from mailserver import PASSWORD


def write(mail, subject: str, body: str, *, message_id: str | None = None) -> EmailMessage:
    """The hospital doctor writes to the on-call address through the operator's SMTP relay."""
    message = EmailMessage()
    message["From"] = mail.doctor_address
    message["To"] = mail.inbox_address
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    context = ssl.create_default_context(cafile=str(mail.ca_file))
    with smtplib.SMTP("127.0.0.1", mail.smtp_port, timeout=10) as client:
        client.starttls(context=context)
        client.login(mail.doctor_address, PASSWORD)
        client.send_message(message)
    return message


class FakeInbox:
    """Stands for ``receive_external`` (idempotent on the message id), counting its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.items: dict[str, object] = {}

    def __call__(self, db, plugins, *, inbox_address, message):
        self.calls += 1
        self.items.setdefault(message.message_id, message)
        return len(self.items)

"""Helpers of the connector's tests: a professional writing over SMTP, messages to deliver, a
worker on call in the agenda, an inbox bridged to the operator's address."""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage

from mailserver import PASSWORD

from tests.accounts.conftest import csrf_from
from virage.sdk import PARIS, agenda
from virage.sdk.testing import SESSION_COOKIE, signed_in


def put_on_call(db, world, username: str, start_local: datetime | None = None) -> None:
    """The worker is on call for ten hours (the agenda's « astreinte »), from ``start_local``
    (Paris time, naive) or else from an hour ago."""
    if start_local is None:
        now = datetime.now(PARIS).replace(tzinfo=None, minute=0, second=0, microsecond=0)
        start_local = now - timedelta(hours=1)
    agenda.seed_appointment(
        db,
        {k.name: k for k in agenda.CORE_KINDS},
        structure_id=world.structures["a"],
        kind="on_call",
        title="Astreinte",
        professional_ids=[world.users[username]],
        start_local=start_local,
        duration_minutes=10 * 60,
    )


def bridge(client, db, world, address: str) -> int:
    """The director creates the on-call inbox bridged to ``address`` (the settings form);
    ``client`` is a test client or an ``httpx.Client`` on a live server."""
    client.cookies.set(SESSION_COOKIE, signed_in(db, "director_a"))
    token = csrf_from(client.get("/boites/").text)
    fields = {
        "structure_id": str(world.structures["a"]),
        "name": "Astreinte SSIAD",
        "kind": "on_call",
        "external_address": address,
        "reader_roles": ["director", "coordinator", "nurse"],
        "claim_minutes": "15",
        "_csrf_token": token,
    }
    response = client.post("/boites/", data=fields, follow_redirects=False)
    assert response.status_code == 303, response.text
    client.cookies.clear()
    return int(response.headers["location"].rstrip("/").rsplit("/", 1)[1])


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

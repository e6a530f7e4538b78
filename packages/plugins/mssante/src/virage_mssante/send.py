"""Sending: a worker's answer leaves by SMTP, from the inbox's address, over TLS.

STARTTLS (587) or implicit TLS (465), certificate verified, authenticated with the address's
credentials. ``In-Reply-To`` and ``References`` carry the answered ``Message-ID`` so that the
professional's client threads it; the subject is the one Virage gives (« Re : » and the original
subject): nothing else of the conversation is added to it. Failures are logged without the
message's content nor the password, and reported as ``False`` (the answer stays in Virage).
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from virage_mssante.config import Config

log = logging.getLogger("virage.mssante")
MAX_BODY = 20_000


def _header(value: str, bound: int) -> str:
    return " ".join(str(value or "").split())[:bound]  # no CR/LF: no header injection


def build(inbox: dict, to: str, subject: str, body: str, in_reply_to: str | None) -> EmailMessage:
    address = inbox["external_address"]
    message = EmailMessage()
    message["From"] = formataddr((_header(inbox.get("name") or "", 80), address))
    message["To"] = _header(to, 254)
    message["Subject"] = _header(subject, 200) or "Re :"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=address.rpartition("@")[2] or "virage.invalid")
    if in_reply_to:
        reference = _header(in_reply_to, 500)
        message["In-Reply-To"] = reference
        message["References"] = reference
    message.set_content(body[:MAX_BODY])
    return message


def send(
    config: Config, inbox: dict, to: str, subject: str, body: str, in_reply_to: str | None
) -> bool:
    address = inbox["external_address"]
    password = config.password(address)
    if not config.smtp_host or not password:
        log.warning(
            "MSSanté : envoi impossible depuis la boîte n° %s (réglages incomplets).",
            inbox.get("id"),
        )
        return False
    message = build(inbox, to, subject, body, in_reply_to)
    context = config.tls_context()
    try:
        if config.smtp_tls == "implicit":
            client = smtplib.SMTP_SSL(
                config.smtp_host, config.smtp_port, timeout=config.timeout, context=context
            )
        else:
            client = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.timeout)
        with client:
            if config.smtp_tls != "implicit":
                client.starttls(context=context)  # refused certificate: ssl.SSLError
            client.login(address, password)
            client.send_message(message, from_addr=address, to_addrs=[message["To"]])
    except (OSError, smtplib.SMTPException) as exc:
        log.warning(
            "MSSanté : envoi depuis la boîte n° %s échoué (%s).",
            inbox.get("id"),
            exc.__class__.__name__,
        )
        return False
    return True

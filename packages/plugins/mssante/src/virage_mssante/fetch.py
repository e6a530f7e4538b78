"""Fetching: each bridged inbox's mailbox read over IMAPS, by UID under UIDVALIDITY.

One round per inbox: log in with the address's credentials, ``EXAMINE INBOX`` (read-only: the
operator's flags are left alone), compare ``UIDVALIDITY`` with the cursor (changed: start over
from 0; the ``Message-ID`` idempotency keeps the items once), ``UID SEARCH UID n+1:*``, then for
at most :data:`~virage_mssante.config.MAX_PER_ROUND` messages, in UID order: read the size and at
most :data:`~virage_mssante.config.MAX_RAW_BYTES` of the message, parse it, hand it to
``receive_external``, and only then move the cursor past it.
"""

from __future__ import annotations

import imaplib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from virage.sdk import Database, VirageError, utcnow
from virage.sdk.devices import acting_for_structure
from virage_mssante import annuaire, parse, storage
from virage_mssante.config import MAX_PER_ROUND, MAX_RAW_BYTES, Config

log = logging.getLogger("virage.mssante")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_UID = re.compile(rb"UID (\d+)")


class FetchFailed(Exception):
    """The mailbox could not be read (connection, TLS, credentials): said in one French line."""


@dataclass
class Report:
    inboxes: int = 0
    stored: int = 0
    failures: list[str] = field(default_factory=list)


def _receive_external():
    from virage.sdk import inboxes

    return inboxes.receive_external


def _bridged(db: Database) -> list[dict]:
    from virage.sdk import inboxes

    return inboxes.list_bridged(db)


def connect(config: Config, address: str) -> imaplib.IMAP4_SSL:
    password = config.password(address)
    if not password:
        raise FetchFailed(f"Aucun identifiant pour {address} dans le fichier des identifiants.")
    try:
        imap = imaplib.IMAP4_SSL(
            config.imap_host,
            config.imap_port,
            ssl_context=config.tls_context(),
            timeout=config.timeout,
        )
    except OSError as exc:  # ssl.SSLError included: an unverified certificate is refused
        raise FetchFailed(
            f"Connexion IMAP à {config.imap_host}:{config.imap_port} impossible ({exc.__class__.__name__})."
        ) from None
    try:
        imap.login(address, password)
    except imaplib.IMAP4.error:
        imap.shutdown()
        raise FetchFailed(f"Identifiants refusés par le serveur pour {address}.") from None
    return imap


def _uids(imap: imaplib.IMAP4_SSL, after: int) -> list[int]:
    _, data = imap.uid("SEARCH", None, f"UID {after + 1}:*")
    found = sorted(int(u) for u in (data[0] or b"").split() if u.isdigit())
    return [u for u in found if u > after][:MAX_PER_ROUND]  # "n:*" always names the last one


def _read(imap: imaplib.IMAP4_SSL, uid: int) -> tuple[bytes, bool, datetime] | None:
    """At most MAX_RAW_BYTES of the message, ``True`` when it was longer, and when the
    operator's server received it (``INTERNALDATE``: not the sender's ``Date``, which anyone
    writes; never later than now)."""
    now = utcnow()
    _, data = imap.uid(
        "FETCH", str(uid), f"(RFC822.SIZE INTERNALDATE BODY.PEEK[]<0.{MAX_RAW_BYTES}>)"
    )
    for part in data:
        if isinstance(part, tuple) and _UID.search(part[0]):
            size = _SIZE.search(part[0])
            when = imaplib.Internaldate2tuple(part[0])
            received = datetime.fromtimestamp(time.mktime(when), UTC) if when else now
            return part[1], bool(size and int(size.group(1)) > MAX_RAW_BYTES), min(received, now)
    return None  # expunged meanwhile


def fetch_inbox(
    db: Database,
    plugins,
    inbox: dict,
    config: Config,
    *,
    receive: Callable | None = None,
) -> int:
    """Fetch one inbox's new messages; returns how many were handed to ``receive_external``."""
    receive = receive or _receive_external()
    address = inbox["external_address"]
    imap = connect(config, address)
    stored = 0
    try:
        imap.select("INBOX", readonly=True)
        validity = int((imap.response("UIDVALIDITY")[1] or [b"0"])[0])
        with acting_for_structure(inbox["structure_id"]):
            known = storage.cursor(db, inbox["id"])
        last = known["last_uid"] if known and known["uidvalidity"] == validity else 0
        for uid in _uids(imap, last):
            got = _read(imap, uid)
            if got is not None:
                raw, truncated, received_at = got
                item = parse.parse(
                    raw,
                    fallback_id=f"<{validity}.{uid}.{address}>",
                    truncated=truncated,
                    received_at=received_at,
                )
                known_sender = annuaire.note(db, item.sender)
                if known_sender:
                    item = replace(item, body=f"{known_sender}\n\n{item.body}"[: parse.MAX_TEXT])
                try:
                    receive(db, plugins, inbox_address=address, message=_message(item))
                    stored += 1
                except VirageError as exc:  # refused by the inbox: kept at the operator's
                    log.warning(
                        "MSSanté : message UID %s de la boîte n° %s refusé : %s",
                        uid,
                        inbox["id"],
                        exc,
                    )
            with acting_for_structure(inbox["structure_id"]):
                storage.save_cursor(db, inbox, address, validity, uid)  # after, never before
        if not stored and (known is None or known["uidvalidity"] != validity):
            with acting_for_structure(inbox["structure_id"]):
                storage.save_cursor(db, inbox, address, validity, last)
    finally:
        try:
            imap.logout()
        except (imaplib.IMAP4.error, OSError):
            imap.shutdown()
    return stored


def _message(item: parse.Parsed):
    from virage.sdk.inboxes import ExternalMessage

    return ExternalMessage(
        message_id=item.message_id,
        sender=item.sender,
        subject=item.subject,
        body=item.body,
        received_at=item.received_at,
    )


def fetch_all(db: Database, plugins, config: Config, *, receive: Callable | None = None) -> Report:
    """One round over every bridged inbox; one failing inbox does not stop the others."""
    report = Report()
    for inbox in _bridged(db):
        if not inbox.get("external_address"):
            continue
        report.inboxes += 1
        try:
            report.stored += fetch_inbox(db, plugins, inbox, config, receive=receive)
        except FetchFailed as exc:
            report.failures.append(str(exc))
            log.warning("MSSanté : boîte n° %s non relevée : %s", inbox["id"], exc)
    return report

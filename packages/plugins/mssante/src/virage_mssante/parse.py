"""From the raw bytes of a message to what an inbox item holds: sender, subject, text.

``email`` of the standard library, policy ``default``. The text: the ``text/plain`` part
preferred, else the HTML one reduced to text; bounded; every attachment left aside and said so
in the text (« pièce jointe non reprise : nom »), as is a message cut because too long.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.parser import BytesParser
from email.utils import parseaddr

MAX_TEXT = 20_000
MAX_SUBJECT = 200
MAX_ADDRESS = 254
MAX_MESSAGE_ID = 500
MAX_PARTS = 200
TRUNCATED = "[message tronqué : trop long, la suite est restée chez l'opérateur]"

_TAGS = re.compile(r"<[^<>]{0,2000}>")
_BREAKS = re.compile(r"<\s{0,20}(br|/p|/div|/li|/tr|/h\d)\b[^<>]{0,200}>", re.I)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n\s*\n\s*\n+")


@dataclass(frozen=True)
class Parsed:
    message_id: str
    sender: str
    subject: str
    body: str
    received_at: datetime


def _drop_blocks(markup: str) -> str:
    """Remove ``<script>`` and ``<style>`` blocks in one pass (linear: no backtracking regex on
    a hostile message); an unclosed block drops the rest."""
    lower, out, at = markup.lower(), [], 0
    while True:
        starts = [i for i in (lower.find("<script", at), lower.find("<style", at)) if i >= 0]
        if not starts:
            out.append(markup[at:])
            return "".join(out)
        start = min(starts)
        out.append(markup[at:start])
        closing = "</script" if lower.startswith("<script", start) else "</style"
        end = lower.find(closing, start)
        if end < 0:
            return "".join(out)
        at = lower.find(">", end)
        at = len(markup) if at < 0 else at + 1


def html_to_text(markup: str) -> str:
    text = _BREAKS.sub("\n", _drop_blocks(markup[: MAX_TEXT * 5]))
    text = html.unescape(_TAGS.sub("", text))
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _LINES.sub("\n\n", text).strip()


def _one_line(value: object, bound: int) -> str:
    return " ".join(str(value or "").split())[:bound]


def parse(raw: bytes, *, fallback_id: str, truncated: bool, received_at: datetime) -> Parsed:
    """``fallback_id`` stands for a missing ``Message-ID`` (stable: built from UIDVALIDITY and
    UID, so a refetch finds the same item); ``truncated`` when only the start was read."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    plain: str | None = None
    markup: str | None = None
    left_aside: list[str] = []
    for n, part in enumerate(message.walk()):
        if n >= MAX_PARTS:
            break
        if part.is_multipart():
            continue
        filename = part.get_filename()
        if part.get_content_disposition() == "attachment" or filename:
            left_aside.append(_one_line(filename or part.get_content_type(), 120))
            continue
        kind = part.get_content_type()
        if kind not in ("text/plain", "text/html"):
            left_aside.append(kind)
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError, AssertionError):
            content = part.get_payload(decode=True).decode("utf-8", "replace")
        if kind == "text/plain" and plain is None:
            plain = content
        elif kind == "text/html" and markup is None:
            markup = content
    text = plain if plain is not None else html_to_text(markup or "")
    text = text.replace("\r\n", "\n").strip()
    notes = [f"[pièce jointe non reprise : {name}]" for name in left_aside[:20]]
    if truncated or len(text) > MAX_TEXT - 500:
        text = text[: MAX_TEXT - 500].rstrip()
        notes.append(TRUNCATED)
    body = "\n\n".join(p for p in (text, *notes) if p) or "(message sans texte)"
    sender = parseaddr(str(message.get("From", "")))[1]
    message_id = _one_line(message.get("Message-ID"), MAX_MESSAGE_ID) or fallback_id
    return Parsed(
        message_id=message_id,
        sender=_one_line(sender, MAX_ADDRESS) or "expéditeur inconnu",
        subject=_one_line(message.get("Subject"), MAX_SUBJECT) or "(sans objet)",
        body=body[:MAX_TEXT],
        received_at=received_at,
    )

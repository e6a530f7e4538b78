"""Text of the library's documents: extracted from PDFs (bounded) and normalised for search.

Search works the same on SQLite and PostgreSQL: the text is normalised here, in Python (lower
case, accents removed, spaces folded), stored in the document's row, and searched with ``LIKE``
on words normalised the same way: « procedure » finds « Procédure ».
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata

log = logging.getLogger("virage.library")

#: Pages read from a PDF, and characters kept of its text: enough for procedures and protocols.
MAX_PAGES = 50
MAX_CHARS = 100_000
#: Words of a search, and the length of each.
MAX_TERMS = 6
MAX_TERM_LENGTH = 60

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower case, no accents, only letters and digits separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", plain)).strip()


def terms(query: str) -> list[str]:
    """The words of a search, normalised and bounded."""
    words = normalise((query or "")[: MAX_TERMS * (MAX_TERM_LENGTH + 1)]).split(" ")
    return [w[:MAX_TERM_LENGTH] for w in words if w][:MAX_TERMS]


def pdf_text(data: bytes) -> str:
    """The text of a PDF's first :data:`MAX_PAGES` pages, at most :data:`MAX_CHARS` characters;
    empty when it has none (a scan) or cannot be read."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        parts: list[str] = []
        size = 0
        for index, page in enumerate(reader.pages):
            if index >= MAX_PAGES or size >= MAX_CHARS:
                break
            chunk = page.extract_text() or ""
            parts.append(chunk)
            size += len(chunk)
    except Exception:
        log.info("PDF text not extracted", exc_info=True)
        return ""
    return _SPACES.sub(" ", " ".join(parts)).strip()[:MAX_CHARS]

"""What a reader sees on a page, and what in it is not French as people write it.

The crawl test (``test_french_pages.py``) feeds every page it reaches to :func:`problems`. Only what
a person reads is checked: text nodes and the ``title``, ``aria-label``, ``alt`` and ``placeholder``
attributes; code (``<code>``, ``<pre>``, ``<kbd>``, ``<samp>``), scripts, styles, form values,
hidden fields, ``<time datetime>`` and addresses are machine text and left alone.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

#: An ISO 8601 date (« 2026-12-02 »), alone or starting a timestamp.
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
#: « UTC » as a word: pages show Paris time, without naming it.
UTC = re.compile(r"\bUTC\b")
#: A plural hack: « créneau(x) libre(s) », « né(e) », « infirmier(ère) ».
PLURAL_HACK = re.compile(r"\w\((?:s|x|e|es|ne|nes|ère|ères|euse|rice)\)", re.IGNORECASE)

RULES = (
    (ISO_DATE, "date ISO"),
    (UTC, "« UTC »"),
    (PLURAL_HACK, "pluriel entre parenthèses"),
)

#: Elements whose text is code, not prose.
_MACHINE = {"code", "pre", "kbd", "samp", "script", "style", "template", "textarea"}
#: Attributes a person reads.
_READ_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}  # fmt: skip


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.texts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if not (tag == "input" and values.get("type") == "hidden"):
            self.texts.extend(values[a] for a in _READ_ATTRIBUTES if values.get(a))
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if data.strip() and not _MACHINE.intersection(self.stack):
            self.texts.append(data)


def read(html: str) -> tuple[list[str], list[str]]:
    """The texts a person reads on the page, and the addresses of its links."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.texts, reader.links


def problems(html: str) -> list[str]:
    """« date ISO : … 2026-12-02 … » for each text that breaks a rule."""
    found = []
    texts, _links = read(html)
    for text in texts:
        for rule, label in RULES:
            for match in rule.finditer(text):
                start = max(0, match.start() - 40)
                found.append(f"{label} : …{' '.join(text[start : match.end() + 40].split())}…")
    return found


#: Addresses the crawl never follows: leaving, files, the API, the documentation, feeds and
#: downloads that are not pages.
SKIPPED = re.compile(
    r"^/(deconnexion|logout|static|docs|api|healthz|agenda/flux)(/|$|\?)|\.(ics|csv|json|pdf|png)$"
)


def same_site_links(page_url: str, links: list[str]) -> list[str]:
    """The site's own pages a page links to, as ``/path?query`` without fragment."""
    found = []
    for href in links:
        if href.startswith(("mailto:", "tel:", "geo:", "javascript:", "#")):
            continue
        parts = urlsplit(urljoin(f"http://testserver{page_url}", href))
        if parts.netloc != "testserver" or SKIPPED.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found

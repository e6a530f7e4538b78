"""MkDocs hook: every page shows its « État au » date and its change log; stale pages are listed.

Front matter read by this hook (see STYLE.md, "Knowledge-base pages"):

- ``updated``: the date the page was last checked (``YYYY-MM-DD``), shown under the title as
  « État au 1er décembre 2026 »;
- ``changes``: the change log, a list of ``{date: YYYY-MM-DD, note: "…"}``, newest first, rendered
  at the bottom of the page as « Historique des modifications ».

A page whose ``updated`` date is more than a year before the build date is *to review*: it gets a
warning box, it is listed on the generated page « Pages à revoir » (``boite-a-outils/pages-a-revoir``)
and the build prints it at INFO level (never as a warning: ``mkdocs build --strict`` must pass).
Pages without a date are listed there too. The build date is today, or ``VIRAGE_DOCS_TODAY``
(``YYYY-MM-DD``) when set, so that a test can build the site "in the future".

Declared in ``mkdocs.yml`` under ``hooks:``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

log = logging.getLogger("mkdocs.hooks.page_dates")

TODAY_ENV = "VIRAGE_DOCS_TODAY"
MAX_AGE_DAYS = 365
REVIEW_PAGE = "boite-a-outils/pages-a-revoir.md"
HISTORY_HEADING = "Historique des modifications"
HISTORY_ANCHOR = "historique-des-modifications"
GENERATED_MARKER = "<!-- Page générée par"

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
H1_RE = re.compile(r"^#[ \t]+\S")
FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def french_date(day: dt.date) -> str:
    """A date as people write it: « 1er décembre 2026 », « 24 novembre 2026 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def as_date(value: Any) -> dt.date | None:
    """A front-matter date (YAML gives ``date`` objects; strings are accepted), else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def build_date(environ: dict[str, str] | None = None) -> dt.date:
    """Today, or the date given by ``VIRAGE_DOCS_TODAY`` (for tests and previews)."""
    env = os.environ if environ is None else environ
    raw = env.get(TODAY_ENV, "").strip()
    if not raw:
        return dt.date.today()
    day = as_date(raw)
    if day is None:
        raise ValueError(f"{TODAY_ENV}={raw!r} : indiquez une date AAAA-MM-JJ.")
    return day


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter of a Markdown page (empty if none) and the body."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            try:
                meta = yaml.safe_load("\n".join(lines[1:index])) or {}
            except (yaml.YAMLError, ValueError):
                meta = {}
            body = "\n".join(lines[index + 1 :])
            return (meta if isinstance(meta, dict) else {}), body
    return {}, text


@dataclass
class Change:
    day: dt.date
    note: str


@dataclass
class PageDates:
    """What the hook knows of one page: its path, title, date and change log."""

    path: str
    title: str
    updated: dt.date | None
    changes: list[Change] = field(default_factory=list)
    generated: bool = False

    def age_days(self, today: dt.date) -> int | None:
        return None if self.updated is None else (today - self.updated).days

    def is_stale(self, today: dt.date, max_age_days: int = MAX_AGE_DAYS) -> bool:
        age = self.age_days(today)
        return age is not None and age > max_age_days


def read_changes(meta: dict[str, Any]) -> list[Change]:
    """The ``changes`` list of a front matter, newest first; malformed entries are skipped."""
    raw = meta.get("changes")
    if not isinstance(raw, list):
        return []
    changes = []
    for entry in raw[:200]:  # a change log, not a database: bounded
        if not isinstance(entry, dict):
            continue
        day = as_date(entry.get("date"))
        note = entry.get("note")
        if day is not None and isinstance(note, str) and note.strip():
            changes.append(Change(day, note.strip()))
    return sorted(changes, key=lambda change: change.day, reverse=True)


def page_dates(path: str, text: str) -> PageDates:
    """Read a page's dates from its Markdown source."""
    meta, body = split_front_matter(text)
    title = meta.get("title") if isinstance(meta.get("title"), str) else path
    return PageDates(
        path=path,
        title=title,
        updated=as_date(meta.get("updated")),
        changes=read_changes(meta),
        generated=GENERATED_MARKER in body,
    )


def etat_line(updated: dt.date) -> str:
    return (
        f"*État au {french_date(updated)}* · "
        f"[{HISTORY_HEADING.lower()}](#{HISTORY_ANCHOR})\n"
        "{: .virage-etat-au }"
    )


def stale_warning(updated: dt.date) -> str:
    return (
        '!!! warning "Page à revoir"\n'
        f"    Cette page n'a pas été revue depuis plus d'un an (état au {french_date(updated)}). "
        "Vérifiez ses informations, en particulier les règles de droit et les financements, "
        "avant de vous y fier.\n"
    )


def history_section(updated: dt.date, changes: list[Change]) -> str:
    lines = [f"## {HISTORY_HEADING}", ""]
    if not changes:
        lines.append(f"- **{french_date(updated)}** — dernière révision.")
    for change in changes:
        lines.append(f"- **{french_date(change.day)}** — {change.note}")
    return "\n".join(lines) + "\n"


def insert_after_h1(markdown: str, block: str) -> str:
    """Insert a block right after the first level-1 heading (outside code fences)."""
    lines = markdown.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        marker = FENCE_RE.match(line)
        if marker:
            token = marker.group(1)
            if fence is None:
                fence = token
            elif token[0] == fence[0] and len(token) >= len(fence):
                fence = None
            continue
        if fence is None and H1_RE.match(line):
            return "\n".join([*lines[: index + 1], "", block, *lines[index + 1 :]])
    return block + "\n\n" + markdown


def decorate(markdown: str, meta: dict[str, Any], today: dt.date) -> str:
    """The page's Markdown with its « État au » line, a stale warning if due, and its history."""
    updated = as_date(meta.get("updated"))
    if updated is None:
        return markdown
    block = etat_line(updated)
    if (today - updated).days > MAX_AGE_DAYS:
        block += "\n\n" + stale_warning(updated)
    markdown = insert_after_h1(markdown, block)
    return markdown.rstrip("\n") + "\n\n" + history_section(updated, read_changes(meta))


def review_page(pages: list[PageDates], today: dt.date) -> str:
    """Markdown of « Pages à revoir »: stale pages (oldest first), then pages without a date."""
    stale = sorted((p for p in pages if p.is_stale(today)), key=lambda p: (p.updated, p.path))
    undated = sorted((p for p in pages if p.updated is None), key=lambda p: p.path)
    out = [
        "---",
        "title: Pages à revoir",
        "summary: Les pages dont l'état date de plus d'un an, et celles qui n'ont pas de date.",
        "---",
        "",
        "# Pages à revoir",
        "",
        f"Liste établie à la construction du site, le {french_date(today)}. Une page est à revoir "
        "quand sa date d'état (« État au … », sous son titre) a plus d'un an : ses informations, "
        "en particulier les règles de droit et les financements, peuvent avoir changé.",
        "",
        "## Pages dont l'état a plus d'un an",
        "",
    ]
    if stale:
        out += [f"- [{p.title}]({_link(p.path)}) — état au {french_date(p.updated)}" for p in stale]
    else:
        out.append("Aucune : toutes les pages datées ont été revues depuis moins d'un an.")
    out += ["", "## Pages sans date d'état", ""]
    if undated:
        out += [
            f"- [{p.title}]({_link(p.path)})" + (" (page générée)" if p.generated else "")
            for p in undated
        ]
    else:
        out.append("Aucune.")
    return "\n".join(out) + "\n"


def _link(path: str) -> str:
    """A link from the review page (in boite-a-outils/) to another page of the site."""
    return os.path.relpath(path, start=str(Path(REVIEW_PAGE).parent)).replace(os.sep, "/")


# --------------------------------------------------------------------------- MkDocs events

_state: dict[str, Any] = {"today": None}


def on_config(config):
    _state["today"] = build_date()
    return config


def on_files(files, config):
    from mkdocs.structure.files import File

    today = _state["today"] or build_date()
    pages = []
    for file in files.documentation_pages():
        if file.src_uri == REVIEW_PAGE or file.abs_src_path is None:
            continue
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
        pages.append(page_dates(file.src_uri, text))
    for page in sorted((p for p in pages if p.is_stale(today)), key=lambda p: p.path):
        log.info("Page à revoir (état au %s) : %s", french_date(page.updated), page.path)
    for page in sorted((p for p in pages if p.updated is None), key=lambda p: p.path):
        log.info("Page sans date d'état : %s", page.path)
    existing = files.get_file_from_path(REVIEW_PAGE)
    if existing is not None:
        files.remove(existing)
    files.append(File.generated(config, REVIEW_PAGE, content=review_page(pages, today)))
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == REVIEW_PAGE:
        return markdown
    return decorate(markdown, page.meta, _state["today"] or build_date())

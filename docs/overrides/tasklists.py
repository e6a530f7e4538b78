"""MkDocs hook (``hooks:`` in mkdocs.yml): task-list checkboxes named by their item's text.

Task lists (``- [ ] …`` with pymdownx.tasklist, ``custom_checkbox: true``) come out as a
``<label>`` holding only the checkbox and its drawn box, the item's text after it: the checkbox has
no name for a screen reader (axe: « Form elements must have labels »). The label is stretched to
hold the item's text, so the checkbox is named by it, at build time, without JavaScript. The page
sources (*.md) are not changed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Elements with no end tag.
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
#: Elements that end the text of a task item (a nested list, a new paragraph, a block).
BLOCKS = frozenset(
    {
        "ul",
        "ol",
        "li",
        "p",
        "div",
        "table",
        "pre",
        "blockquote",
        "dl",
        "details",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)
LABEL_END = "</label>"


class _TaskItems(HTMLParser):
    """Finds each task-list label, and where the text of its item ends.

    ``edits`` lists ``(offset of the label's end tag, offset where the item's text ends)``.
    """

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.depth = 0
        self.label_depth: int | None = None  # inside a task-list label opened at this depth
        self.text: tuple[int, int] | None = None  # (depth, offset of </label>) while in the text
        self.edits: list[tuple[int, int]] = []

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def end_text(self, at: int) -> None:
        if self.text is not None:
            self.edits.append((self.text[1], at))
            self.text = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.text is not None and tag in BLOCKS and self.depth == self.text[0]:
            self.end_text(self.position())
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if tag == "label" and "task-list-control" in classes and self.text is None:
            self.label_depth = self.depth
        self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        self.depth -= 1
        at = self.position()
        if self.label_depth is not None and tag == "label" and self.depth == self.label_depth:
            self.label_depth = None
            if self.html.startswith(LABEL_END, at):
                self.text = (self.depth, at)
        elif self.text is not None and self.depth < self.text[0]:
            self.end_text(at)

    def close(self) -> None:
        super().close()
        self.end_text(len(self.html))


def label_task_items(html: str) -> str:
    """Move the end of each task-list label after its item's text (see the module's docstring)."""
    if "task-list-control" not in html:
        return html
    parser = _TaskItems(html)
    parser.feed(html)
    parser.close()
    for label_end, text_end in reversed(parser.edits):
        text = html[label_end + len(LABEL_END) : text_end]
        kept = text.rstrip()
        if not kept.strip():
            continue  # an item without text: nothing to name the checkbox with
        html = html[:label_end] + kept + LABEL_END + text[len(kept) :] + html[text_end:]
    return html


# ------------------------------------------------------------------------------------------------
# MkDocs events
# ------------------------------------------------------------------------------------------------


def on_page_content(html, page, config, files):
    return label_task_items(html)

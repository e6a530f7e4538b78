"""MkDocs hook (``hooks:`` in mkdocs.yml): mermaid diagrams drawn at build time, as inline SVG.

mermaid weighs 3.5 MB, seven times the weight allowed to a whole page of this documentation (read
on weak networks). So the build draws each ``mermaid`` block itself, with the vendored
``docs/javascripts/vendor/mermaid.min.js`` in a headless Chromium (Playwright, as the browser
tests), and writes the SVG into the page: the reader downloads a few kilobytes, sees the diagram
without JavaScript, offline and at once.

- Drawings are kept in ``.cache/mermaid-svg/`` under a hash of the diagram, the mermaid file and
  the settings: a build without a new diagram does not start Chromium.
- The SVG keeps its natural width at most, and on a phone at least three quarters of it: too wide,
  it scrolls inside its own box (virage.css) rather than shrinking to unreadable text.
- When the build cannot draw (no Chromium, no Playwright, mermaid not fetched by
  scripts/fetch-assets) or when ``VIRAGE_DOCS_DIAGRAMS=navigateur``, the block is left to the
  reader's browser: docs/javascripts/on-demand.js then loads the vendored mermaid on the pages
  that have a diagram. A diagram mermaid cannot read stops the build with the page's name.
"""

from __future__ import annotations

import html
import logging
import os
import re
from pathlib import Path

import virage_chromium
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.virage.diagrams")

#: Where the vendored mermaid is, in the documentation's folder.
MERMAID_JS = Path("javascripts", "vendor", "mermaid.min.js")
#: Where drawings are kept, next to mkdocs.yml.
CACHE_DIR = Path(".cache", "mermaid-svg")
#: Set to « navigateur » to leave the diagrams to the reader's browser.
SWITCH = "VIRAGE_DOCS_DIAGRAMS"

_BLOCK = re.compile(r'<pre class="mermaid"><code>(.*?)</code></pre>', re.S)
#: The id given to mermaid while drawing, replaced by one unique in the page afterwards.
PLACEHOLDER = "virage-schema-0"
#: Longest diagram source drawn (characters): bigger blocks are left to the browser.
MAX_SOURCE = 50_000

#: mermaid's settings: the site's colours and fonts (Material's with ``font: false``), text drawn
#: as SVG text (no HTML inside the drawing, so the page's styles cannot disturb it).
SETTINGS = {
    "startOnLoad": False,
    "securityLevel": "strict",
    "theme": "base",
    "htmlLabels": False,
    "flowchart": {"htmlLabels": False},
    "fontFamily": "-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif",
    "themeVariables": {
        "fontFamily": "-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif",
        "fontSize": "16px",
        "primaryColor": "#e0f2f1",
        "primaryBorderColor": "#00695c",
        "primaryTextColor": "#1a1a1a",
        "secondaryColor": "#fbe9e7",
        "tertiaryColor": "#f5f5f5",
        "clusterBkg": "#f5f5f5",
        "clusterBorder": "#9e9e9e",
        "lineColor": "#424242",
        "textColor": "#1a1a1a",
        "titleColor": "#1a1a1a",
        "edgeLabelBackground": "#ffffff",
    },
}

_RENDER = """async ([id, source, settings]) => {
  mermaid.initialize(settings);
  const { svg } = await mermaid.render(id, source);
  return svg;
}"""


class Renderer:
    """Draws diagrams in the build's browser (virage_chromium), through a cache."""

    def __init__(self, mermaid_js: Path, cache_dir: Path) -> None:
        self.mermaid_js = mermaid_js
        self.cache = virage_chromium.Cache(cache_dir)
        self._version: str | None = None
        self.unavailable: str | None = None

    def version(self) -> str:
        if self._version is None:
            try:
                data = self.mermaid_js.read_bytes()
            except OSError as error:
                self.unavailable = f"{self.mermaid_js} est absent (scripts/fetch-assets)"
                raise virage_chromium.Unavailable(self.unavailable) from error
            self._version = virage_chromium.digest(data)
        return self._version

    def svg(self, source: str) -> str:
        """The SVG of a diagram, drawn with the id PLACEHOLDER.

        :raises virage_chromium.Unavailable: no mermaid file, no Playwright or no Chromium.
        :raises ValueError: mermaid cannot read the diagram (its message).
        """
        if self.unavailable:
            raise virage_chromium.Unavailable(self.unavailable)
        key = virage_chromium.digest(self.version(), SETTINGS, source)
        cached = self.cache.get(key, ".svg")
        if cached:
            return cached.read_text(encoding="utf-8")
        try:
            svg = virage_chromium.browser.run(
                _RENDER, [PLACEHOLDER, source, SETTINGS], needs=self.mermaid_js
            )
        except virage_chromium.Unavailable as error:
            self.unavailable = str(error)
            raise
        except virage_chromium.TaskFailed as error:
            raise ValueError(str(error)) from error
        if not isinstance(svg, str) or not svg.lstrip().startswith("<svg"):
            raise ValueError("mermaid n'a pas rendu de SVG")
        self.cache.put(key, ".svg", svg.encode("utf-8"))
        return svg


_WIDTH = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"')


def place(svg: str, ident: str) -> str:
    """The drawn SVG, ready for the page: its own id, and sized by the page's CSS (virage.css)."""
    svg = svg.replace(PLACEHOLDER, ident)
    found = _WIDTH.search(svg)
    width = round(float(found.group(1))) if found else 0
    # mermaid writes width="100%" and style="max-width: …px;": the width is left to virage.css.
    svg = re.sub(r'^<svg([^>]*?) width="100%"', r"<svg\1", svg, count=1)
    svg = re.sub(r'^(<svg[^>]*?) style="[^"]*"', r"\1", svg, count=1)
    style = f' style="--virage-schema-largeur: {width}px"' if width else ""
    return f'<div class="mermaid virage-schema"{style}>{svg}</div>'


def draw_diagrams(content: str, where: str, renderer: Renderer) -> str:
    """Replace each ``pre.mermaid`` block of a page's HTML by its drawing (see the docstring).

    :param where: the page, named in error messages.
    """
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        source = html.unescape(match.group(1))
        if len(source) > MAX_SOURCE:
            return match.group(0)
        try:
            svg = renderer.svg(source)
        except virage_chromium.Unavailable:
            return match.group(0)
        except ValueError as error:
            raise PluginError(f"{where} : schéma mermaid illisible : {error}") from error
        count += 1
        return place(svg, f"virage-diagramme-{count}")

    return _BLOCK.sub(replace, content)


# ------------------------------------------------------------------------------------------------
# MkDocs events
# ------------------------------------------------------------------------------------------------

_renderer: Renderer | None = None


def on_pre_build(config):
    global _renderer
    virage_chromium.reset()
    _renderer = Renderer(
        Path(config.docs_dir) / MERMAID_JS, Path(config.config_file_path).parent / CACHE_DIR
    )
    if os.environ.get(SWITCH, "").strip().lower() == "navigateur":
        _renderer.unavailable = f"{SWITCH}=navigateur"


def on_page_content(html_content, page, config, files):
    if _renderer is None or '<pre class="mermaid">' not in html_content:
        return html_content
    result = draw_diagrams(html_content, page.file.src_uri, _renderer)
    if _renderer.unavailable and '<pre class="mermaid">' in result:
        log.info(
            "Schémas de %s dessinés dans le navigateur du lecteur : %s",
            page.file.src_uri,
            _renderer.unavailable,
        )
    return result


def on_post_build(config):
    virage_chromium.browser.close()


def on_build_error(error):
    virage_chromium.browser.close()

"""The documentation's build hooks (docs/overrides/*.py), on HTML fragments, without a browser."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

# ------------------------------------------------------------------------------------------------
# Task lists
# ------------------------------------------------------------------------------------------------

BOX = '<label class="task-list-control"><input type="checkbox" disabled/><span class="task-list-indicator"></span></label>'


def test_task_item_text_moves_into_its_label(hooks):
    label = hooks("tasklists").label_task_items
    html = f'<ul class="task-list">\n<li class="task-list-item">{BOX} Budgétez <a href="x/">ce temps</a> &amp; le reste.</li>\n</ul>'
    assert label(html) == (
        '<ul class="task-list">\n<li class="task-list-item"><label class="task-list-control">'
        '<input type="checkbox" disabled/><span class="task-list-indicator"></span> Budgétez '
        '<a href="x/">ce temps</a> &amp; le reste.</label></li>\n</ul>'
    )


def test_task_item_label_stops_before_a_nested_list_or_paragraph(hooks):
    label = hooks("tasklists").label_task_items
    nested = f'<li class="task-list-item">{BOX} Parent\n<ul>\n<li>enfant</li>\n</ul>\n</li>'
    assert label(nested) == nested.replace(f"{BOX} Parent", f"{BOX[:-8]} Parent</label>")
    loose = f'<li class="task-list-item"><p>{BOX} Premier</p>\n<p>Suite</p></li>'
    assert label(loose) == loose.replace(f"{BOX} Premier", f"{BOX[:-8]} Premier</label>")


def test_several_items_and_empty_ones(hooks):
    label = hooks("tasklists").label_task_items
    html = (
        f'<li class="task-list-item">{BOX} Un<br>deux</li>'
        f'<li class="task-list-item">{BOX} </li>'
        f'<li class="task-list-item">{BOX} Trois <code>&lt;/label&gt;</code></li>'
    )
    out = label(html)
    assert out.count("</label>") == 3
    assert f"{BOX[:-8]} Un<br>deux</label></li>" in out
    assert f"{BOX} </li>" in out  # nothing to name it with: left as it was
    assert f"{BOX[:-8]} Trois <code>&lt;/label&gt;</code></label></li>" in out
    assert label("<p>Pas de liste</p>") == "<p>Pas de liste</p>"


# ------------------------------------------------------------------------------------------------
# Pictures
# ------------------------------------------------------------------------------------------------


def png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def jpeg(width: int, height: int) -> bytes:
    app0 = (
        b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    )
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def test_image_size_reads_png_gif_and_jpeg(hooks, tmp_path: Path):
    size = hooks("pictures").image_size
    files = {
        "a.png": png(375, 2104),
        "b.gif": b"GIF89a" + struct.pack("<HH", 40, 30) + b"\x00" * 8,
        "c.jpg": jpeg(1280, 860),
        "d.svg": b"<svg/>",
        "e.png": b"\x89PNG\r\n\x1a\n broken",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert size(tmp_path / "a.png") == (375, 2104)
    assert size(tmp_path / "b.gif") == (40, 30)
    assert size(tmp_path / "c.jpg") == (1280, 860)
    assert size(tmp_path / "d.svg") is None
    assert size(tmp_path / "e.png") is None
    assert size(tmp_path / "absent.png") is None


def test_pictures_are_lazy_sized_and_point_to_their_webp_copy(hooks, tmp_path: Path):
    lazy = hooks("pictures").lazy_images
    (tmp_path / "a.png").write_bytes(png(375, 2104))
    (tmp_path / "b.png").write_bytes(png(1280, 860))
    sources = {"captures/a.png": str(tmp_path / "a.png"), "captures/b.png": str(tmp_path / "b.png")}
    html = (
        '<p><img alt="A" src="../../captures/a.png" width="320" /></p>'
        '<img alt="B" src="../../captures/b.png">'
        '<img alt="C" src="https://example.org/c.png" />'
        '<img alt="D" loading="eager" src="../../captures/b.png?v=2" />'
    )
    out = lazy(html, "guides/agenda/", sources, frozenset({"captures/b.png"}))
    assert (
        '<img alt="A" src="../../captures/a.png" width="320" loading="lazy" decoding="async" '
        'height="1795" />' in out  # 320 × 2104 / 375
    )
    assert (
        '<img alt="B" src="../../captures/b.webp" loading="lazy" decoding="async" width="1280" '
        'height="860">' in out
    )
    assert '<img alt="C" src="https://example.org/c.png" loading="lazy" decoding="async" />' in out
    # An address with a query is left pointing to the original; an author's loading is kept.
    assert (
        '<img alt="D" loading="eager" src="../../captures/b.png?v=2" decoding="async" width="1280" '
        'height="860" />' in out
    )


# ------------------------------------------------------------------------------------------------
# Diagrams
# ------------------------------------------------------------------------------------------------

SVG = (
    '<svg id="virage-schema-0" width="100%" xmlns="http://www.w3.org/2000/svg" '
    'style="max-width: 492.43px;" viewBox="0 0 492.43 789.2"><style>#virage-schema-0{fill:#111}'
    '</style><g id="virage-schema-0-flowchart-A-0"><text>Demande</text></g></svg>'
)


class FakeRenderer:
    def __init__(self, outcome):
        self.outcome = outcome
        self.sources: list[str] = []

    def svg(self, source: str) -> str:
        self.sources.append(source)
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def test_diagrams_become_inline_svg_with_ids_unique_in_the_page(hooks):
    diagrams = hooks("diagrams")
    block = '<pre class="mermaid"><code>flowchart LR\n    A["D&amp;R"] --&gt; B</code></pre>'
    renderer = FakeRenderer(SVG)
    out = diagrams.draw_diagrams(f"<h1>T</h1>{block}<p>x</p>{block}", "page.md", renderer)
    assert renderer.sources == ['flowchart LR\n    A["D&R"] --> B'] * 2
    assert "virage-schema-0" not in out
    assert (
        out.count('<div class="mermaid virage-schema" style="--virage-schema-largeur: 492px">') == 2
    )
    assert 'id="virage-diagramme-1"' in out and 'id="virage-diagramme-2"' in out
    assert "#virage-diagramme-2{" in out
    assert 'width="100%"' not in out and "max-width" not in out
    assert "<pre" not in out


def test_a_build_without_browser_leaves_diagrams_to_the_reader_browser(hooks):
    diagrams = hooks("diagrams")
    chromium = hooks("virage_chromium")
    block = '<pre class="mermaid"><code>flowchart LR\n    A --&gt; B</code></pre>'
    renderer = FakeRenderer(chromium.Unavailable("pas de Chromium"))
    assert diagrams.draw_diagrams(block, "page.md", renderer) == block


def test_an_unreadable_diagram_stops_the_build_naming_the_page(hooks):
    diagrams = hooks("diagrams")
    block = '<pre class="mermaid"><code>flowchart LR\n    A --&gt;</code></pre>'
    renderer = FakeRenderer(ValueError("Parse error on line 2"))
    with pytest.raises(PluginError, match=r"guides/agenda\.md.*Parse error on line 2"):
        diagrams.draw_diagrams(block, "guides/agenda.md", renderer)


def test_renderer_answers_from_its_cache_without_a_browser(hooks, tmp_path: Path):
    diagrams = hooks("diagrams")
    chromium = hooks("virage_chromium")
    mermaid_js = tmp_path / "mermaid.min.js"
    mermaid_js.write_text("globalThis.mermaid = {};")
    renderer = diagrams.Renderer(mermaid_js, tmp_path / "cache")
    key = chromium.digest(renderer.version(), diagrams.SETTINGS, "flowchart LR\n A --> B")
    chromium.Cache(tmp_path / "cache").put(key, ".svg", SVG.encode())
    assert renderer.svg("flowchart LR\n A --> B") == SVG
    # Without the mermaid file: no drawing, and the reason is kept for the build's log.
    missing = diagrams.Renderer(tmp_path / "absent.js", tmp_path / "cache")
    with pytest.raises(chromium.Unavailable, match="fetch-assets"):
        missing.svg("flowchart LR\n A --> B")
    assert missing.unavailable

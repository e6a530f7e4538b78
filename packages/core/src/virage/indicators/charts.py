"""Charts drawn on the server as SVG by matplotlib (Agg-free SVG backend, text as paths: no font
to load, no JavaScript, readable offline and printable). Each chart goes with its data table in
the page, for screen readers and for who prefers figures."""

from __future__ import annotations

import functools
import io
import re
import threading

import matplotlib

matplotlib.use("svg")

from matplotlib.figure import Figure

from virage.indicators.model import month_text

matplotlib.rcParams["svg.fonttype"] = "path"
matplotlib.rcParams["svg.hashsalt"] = "virage"  # the same data draws the same file
matplotlib.rcParams["font.size"] = 9
_LOCK = threading.Lock()  # matplotlib's state is not meant to be shared between threads
COLOURS = ("#1f5f99", "#c05621", "#2f855a", "#6b46c1", "#b7791f", "#4a5568")


def line_chart(
    title: str,
    months: list[str],
    series: list[tuple[str, list[float | None]]],
    median: list[float | None] | None = None,
    unit: str = "",
) -> str:
    """An SVG line chart (one line per series; the network's median dashed), as a string to
    inline in the page; ``None`` values (hidden cells) are gaps. The same data is drawn once."""
    return _draw(
        title,
        tuple(months),
        tuple((label, tuple(values)) for label, values in series),
        tuple(median) if median else None,
        unit,
    )


_STYLE_BLOCK = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)
_STYLE_ATTR = re.compile(r'style="([^"]*)"')


def _attributes(match: re.Match) -> str:
    pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    return " ".join(f'{k.strip()}="{v.strip()}"' for k, v in pairs)


def _without_css(svg: str) -> str:
    """No ``<style>`` and no ``style=`` (the pages' content security policy refuses them):
    matplotlib's styles become SVG presentation attributes, which mean the same."""
    svg = _STYLE_BLOCK.sub("", svg)
    svg = _STYLE_ATTR.sub(_attributes, svg)
    return svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)


@functools.lru_cache(maxsize=512)
def _draw(title, months, series, median, unit) -> str:
    with _LOCK:
        fig = Figure(figsize=(5.2, 2.6), dpi=72)
        ax = fig.add_subplot()
        x = list(range(len(months)))
        for i, (label, values) in enumerate(series[: len(COLOURS)]):
            ys = [float("nan") if v is None else v for v in values]
            ax.plot(x, ys, marker="o", markersize=3, color=COLOURS[i], label=label or title)
        if median and any(v is not None for v in median):
            ys = [float("nan") if v is None else v for v in median]
            ax.plot(x, ys, linestyle="--", color="#4a5568", label="médiane du réseau")
        step = max(1, len(months) // 6)
        ax.set_xticks(x[::step], [month_text(m, short=True) for m in months[::step]])
        ax.set_ylabel(unit)
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", color="#e2e8f0")
        ax.spines[["top", "right"]].set_visible(False)
        if len(series) > 1 or median:
            ax.legend(fontsize=7, frameon=False, loc="upper left")
        # Fixed margins: tight_layout would draw the figure twice (half the time of a chart).
        fig.subplots_adjust(left=0.11, right=0.98, top=0.96, bottom=0.13)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
    svg = _without_css(out.getvalue())
    svg = svg[svg.index("<svg") :]
    # Scales with its box (phone width), described for assistive technologies by the table.
    svg = re.sub(r'width="[\d.]+pt" height="[\d.]+pt"', 'width="100%"', svg, count=1)
    return svg.replace("<svg ", '<svg role="img" aria-hidden="true" focusable="false" ', 1)

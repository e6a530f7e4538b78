"""Fixtures of the documentation tests: the built site's pages, a server that counts the bytes it
sends, axe-core (fetched by scripts/fetch-assets, never committed) and the theme's hooks.

The site itself is built once per session by ``built_docs`` (tests/conftest.py).
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = ROOT / "docs" / "overrides"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


@pytest.fixture(scope="session")
def docs_pages(built_docs: Path) -> list[str]:
    """Every page of the built site, as a path under the site's root ("" for the home page)."""
    pages = []
    for index in sorted(built_docs.rglob("index.html")):
        relative = index.parent.relative_to(built_docs).as_posix()
        pages.append("" if relative == "." else f"{relative}/")
    return pages


@dataclass
class Traffic:
    """What the counting server sent since the last :meth:`reset`: bytes and paths requested."""

    url: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0
    paths: list[str] = field(default_factory=list)

    def reset(self) -> None:
        with self.lock:
            self.sent = 0
            self.paths = []

    def add(self, count: int) -> None:
        with self.lock:
            self.sent += count

    def asked(self, path: str) -> None:
        with self.lock:
            self.paths.append(path)

    def take(self) -> tuple[int, list[str]]:
        with self.lock:
            return self.sent, list(self.paths)

    def cold_load(self, browser, path: str, viewport: dict, inspect=None):
        """Open a page in a fresh browser context (empty cache) until the network is idle.

        Returns the bytes sent, the paths asked and what ``inspect(page)`` returned, if given.
        """
        context = browser.new_context(viewport=viewport)
        try:
            page = context.new_page()
            self.reset()
            page.goto(self.url + path, wait_until="load")
            page.wait_for_load_state("networkidle")
            sent, asked = self.take()
            return sent, asked, inspect(page) if inspect else None
        finally:
            context.close()


class _CountingWriter:
    """The socket's writer, counting every byte sent (status line, headers and body)."""

    def __init__(self, raw, traffic: Traffic) -> None:
        self.raw = raw
        self.traffic = traffic

    def write(self, data) -> int:
        written = self.raw.write(data)
        self.traffic.add(len(data))
        return written

    def flush(self) -> None:
        self.raw.flush()

    def close(self) -> None:
        self.raw.close()

    @property
    def closed(self) -> bool:
        return self.raw.closed


class _CountingHandler(SimpleHTTPRequestHandler):
    traffic: Traffic

    def setup(self) -> None:
        super().setup()
        self.wfile = _CountingWriter(self.wfile, self.traffic)

    def log_request(self, code="-", size="-") -> None:
        self.traffic.asked(self.path.split("?", 1)[0])

    def log_message(self, *args) -> None:  # keep test output readable
        pass


@pytest.fixture(scope="session")
def counting_docs(built_docs: Path):
    """The built site on 127.0.0.1, from a server that counts what it sends (no compression, as
    the application's /docs)."""
    traffic = Traffic(url="")
    handler = type("Handler", (_CountingHandler,), {"traffic": traffic})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(built_docs)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    traffic.url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield traffic
    server.shutdown()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} est absent : lancez ./scripts/fetch-assets")
    return AXE.read_text(encoding="utf-8")


def load_hook(name: str):
    """A hook module of docs/overrides, imported as MkDocs does (its folder on sys.path)."""
    if name in sys.modules:
        return sys.modules[name]
    sys.path.insert(0, str(OVERRIDES))
    try:
        spec = importlib.util.spec_from_file_location(name, OVERRIDES / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(OVERRIDES))
    return module


@pytest.fixture(scope="session")
def hooks():
    """The theme's hook modules: ``hooks("tasklists")``."""
    return load_hook

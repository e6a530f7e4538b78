"""Shared fixtures: Chromium for Playwright, free ports, the built documentation site.

Browser tests use Debian's Chromium (see ../shared/TOOLCHAIN.md): Playwright's own browser
download is not available on these machines. ``CHROMIUM_PATH`` overrides the executable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    if Path(CHROMIUM).exists():
        args["executable_path"] = CHROMIUM
    return args


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@pytest.fixture(scope="session")
def built_docs(tmp_path_factory) -> Path:
    """Build the MkDocs site once per test session (strict) into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")
    return out


@pytest.fixture(scope="session")
def docs_url(built_docs) -> str:
    """Serve the built documentation on 127.0.0.1 and return its base URL (ends with '/')."""
    handler = partial(_QuietHandler, directory=str(built_docs))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


CAPTURES_DIR = ROOT / "docs" / "captures"


def plugin_allow_list() -> tuple[str, ...] | None:
    """``VIRAGE_PLUGINS`` for test apps too, so the core suites can run without a plugin:
    ``VIRAGE_PLUGINS=finess,hello,teleconsultation pytest tests`` proves the core does not
    depend on the orientation plugin."""
    raw = os.environ.get("VIRAGE_PLUGINS")
    if raw is None or raw.strip() == "*":
        return None
    return tuple(p.strip() for p in raw.split(",") if p.strip())


@pytest.fixture
def capture(tmp_path):
    """Take a named screenshot for the user guides.

    Screenshots go to a temporary folder, unless ``VIRAGE_CAPTURES_DIR`` is set (``./scripts/tour``
    sets it to docs/captures): the committed pictures are regenerated on purpose, never by a plain
    test run. Returns the path written.
    """
    target = Path(os.environ.get("VIRAGE_CAPTURES_DIR") or tmp_path)

    def shoot(page, name: str, *, full_page: bool = False) -> Path:
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        assert path.stat().st_size > 1000, f"empty screenshot {name}"
        return path

    return shoot

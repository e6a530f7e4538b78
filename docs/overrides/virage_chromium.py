"""One headless Chromium for the documentation's build (mermaid drawings, lighter pictures).

Imported by the hooks of this folder (diagrams.py, pictures.py; MkDocs puts a hook's folder on
``sys.path`` while loading it). The browser is the one of the browser tests (Playwright, with
Debian's Chromium or ``CHROMIUM_PATH``), started at the first task the cache cannot answer and
closed at the end of the build. Results are kept in ``.cache/`` next to mkdocs.yml, under a hash
of what produced them, so a build with nothing new starts no browser.

When there is no Playwright or no Chromium, :class:`Unavailable` says why and the hooks keep the
page as it was (diagrams drawn in the reader's browser, pictures in their original format).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

#: Longest a single task may take in the browser (ms).
TASK_TIMEOUT_MS = 60_000


class Unavailable(Exception):
    """The build has no browser (not an error of the documentation)."""


class TaskFailed(Exception):
    """The browser ran the task and it failed (its message, first line)."""


def digest(*parts: Any) -> str:
    """A stable hash of JSON-able parts and bytes."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(
            part if isinstance(part, bytes) else json.dumps(part, sort_keys=True).encode()
        )
        hasher.update(b"\0")
    return hasher.hexdigest()


class Cache:
    """Files in one folder, named by a hash (written whole or not at all)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str, suffix: str) -> Path:
        return self.folder / f"{key}{suffix}"

    def get(self, key: str, suffix: str) -> Path | None:
        path = self.path(key, suffix)
        return path if path.is_file() else None

    def put(self, key: str, suffix: str, data: bytes) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path(key, suffix)
        partial = path.with_name(path.name + ".tmp")
        partial.write_bytes(data)
        partial.replace(path)
        return path


class Browser:
    """A blank page in a headless Chromium, started on first use; nothing leaves the machine."""

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None
        self._page = None
        self._scripts: set[str] = set()
        self.unavailable: str | None = None

    def run(self, script: str, argument: Any = None, *, needs: Path | None = None) -> Any:
        """Evaluate ``script`` (a JavaScript function) with ``argument`` in the page.

        :param needs: a local script file to load in the page first (once).
        :raises Unavailable: no Playwright or no Chromium.
        :raises TaskFailed: the script threw.
        """
        page = self._open()
        from playwright.sync_api import Error as PlaywrightError

        try:
            if needs is not None and str(needs) not in self._scripts:
                page.add_script_tag(path=str(needs))
                self._scripts.add(str(needs))
            return page.evaluate(script, argument)
        except PlaywrightError as error:
            lines = str(error).strip().splitlines()
            raise TaskFailed(lines[0] if lines else repr(error)) from error

    def _open(self):
        if self.unavailable:
            raise Unavailable(self.unavailable)
        if self._page is not None:
            return self._page
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as error:
            self.unavailable = "Playwright n'est pas installé"
            raise Unavailable(self.unavailable) from error
        executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
        try:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=executable or None,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = self._browser.new_page()
            page.set_default_timeout(TASK_TIMEOUT_MS)
            page.route("**/*", lambda route: route.abort())
            page.set_content("<!doctype html><html><head></head><body></body></html>")
        except Exception as error:  # no Chromium, or it did not start
            self.close()
            first = (str(error).strip().splitlines() or [repr(error)])[0]
            self.unavailable = f"Chromium n'a pas démarré ({first})"
            raise Unavailable(self.unavailable) from error
        self._page = page
        return page

    def close(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = self._page = None
        self._scripts.clear()
        for closing in (
            browser.close if browser else None,
            playwright.stop if playwright else None,
        ):
            if closing is not None:
                with contextlib.suppress(Exception):  # already gone
                    closing()


#: The build's browser, shared by the hooks; reset at the start of each build.
browser = Browser()


def reset() -> None:
    """A new build: close the previous browser, forget why it was unavailable."""
    browser.close()
    browser.unavailable = None

"""Static files: versioned URLs that browsers may keep for a year, and the routers that serve them.

Templates write ``{{ static_url('virage.css') }}``, which gives ``/static/virage.css?v=<hash>``:
the hash is taken from the file's content, so a new release changes the URL and a browser never
keeps a stale copy. A request whose ``v`` is the current hash is answered with
``Cache-Control: public, max-age=31536000, immutable``; any other request to a static file (no
``v``, or an old one) must be revalidated (``no-cache``).

A plugin serves its own files the same way: ``ASSETS = StaticAssets("/static/mon-plugin", folder)``,
``ASSETS.router(name=…)`` among its routes, ``ASSETS.url("carte.js")`` in its pages' context.

The routers answer ``GET`` and ``HEAD`` at their root and below (Litestar's own static router
has no ``HEAD`` on the index of an HTML site), and refuse paths no file can have (a NUL byte, an
over-long name) with a 404 instead of an internal error.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePath
from urllib.parse import parse_qs

from litestar import Router, get, head
from litestar.exceptions import NotFoundException
from litestar.file_system import BaseLocalFileSystem
from litestar.params import FromPath
from litestar.response.file import ASGIFileResponse
from litestar.static_files import StaticFiles

#: Long-lived caching for a versioned URL (its content never changes).
IMMUTABLE = "public, max-age=31536000, immutable"
#: Any other static answer: the browser may keep it but must ask again before using it.
REVALIDATE = "no-cache"

#: Route ``opt`` key of a static router: its :class:`StaticAssets` (read by the headers hook).
ASSETS_OPT = "virage_static_assets"

#: Bounds of a path that can name a file: longer names are refused before touching the disk.
MAX_PATH_LENGTH = 1024
MAX_NAME_BYTES = 255


class StaticAssets:
    """The files of one folder served under a URL prefix (``/static``), with versioned URLs."""

    def __init__(self, prefix: str, directory: Path) -> None:
        self.prefix = prefix.rstrip("/")
        self.directory = Path(directory).resolve()
        self._versions: dict[str, tuple[tuple[int, int], str]] = {}

    def version(self, name: str) -> str | None:
        """The content hash of ``name`` (12 hex digits), or None when there is no such file.

        Recomputed only when the file's modification time or size changes.
        """
        path = self._file(name)
        if path is None:
            return None
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._versions.get(name)
        if cached and cached[0] == key:
            return cached[1]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        self._versions[name] = (key, digest)
        return digest

    def url(self, name: str) -> str:
        """``/static/<name>?v=<hash>``; a name that is not a file of the folder is an error."""
        version = self.version(name)
        if version is None:
            raise ValueError(f"no static file {name!r} in {self.directory}")
        return f"{self.prefix}/{name}?v={version}"

    def cache_control(self, path: str, query_string: bytes) -> str | None:
        """The ``Cache-Control`` of a successful answer at ``path``, or None when not ours."""
        if not path.startswith(self.prefix + "/"):
            return None
        name = path[len(self.prefix) + 1 :]
        wanted = parse_qs(query_string.decode("latin-1")).get("v", [""])[0]
        if wanted and wanted == self.version(name):
            return IMMUTABLE
        return REVALIDATE

    def router(self, *, name: str) -> Router:
        """The router serving this folder under the prefix, with GET and HEAD."""
        return files_router(self.prefix, [self.directory], name=name, assets=self)

    def _file(self, name: str) -> Path | None:
        if not name or not is_possible_path(name):
            return None
        path = (self.directory / name).resolve()
        if not path.is_relative_to(self.directory) or not path.is_file():
            return None
        return path


def is_possible_path(path: str) -> bool:
    """False for a path no file can have: a NUL byte, too long, a part over 255 bytes."""
    if "\x00" in path or len(path) > MAX_PATH_LENGTH:
        return False
    return all(
        len(part.encode("utf-8", "surrogatepass")) <= MAX_NAME_BYTES for part in path.split("/")
    )


def files_router(
    path: str,
    directories: list[Path],
    *,
    name: str,
    html_mode: bool = False,
    assets: StaticAssets | None = None,
) -> Router:
    """A router serving ``directories`` under ``path`` with GET and HEAD, root included.

    :param html_mode: serve ``index.html`` for a folder and ``404.html`` when a page is missing
        (a built documentation site).
    :param assets: the versioned files served here: their caching follows ``assets``.
    """
    files = StaticFiles(
        is_html_mode=html_mode,
        directories=[os.fspath(d) for d in directories],
        file_system=BaseLocalFileSystem(),
    )

    async def serve(file_path: str, is_head: bool) -> ASGIFileResponse:
        if not is_possible_path(file_path):
            raise NotFoundException(f"no file at {file_path!r}")
        response = await files.handle(path=file_path, is_head_response=False)
        # Built as for GET, so that HEAD carries the same headers (Content-Type included), then
        # sent without its body.
        response.is_head_response = is_head
        return response

    @get("/", name=f"{name}/index")
    async def get_root() -> ASGIFileResponse:
        return await serve("/", False)

    @head("/", name=f"{name}/index-head")
    async def head_root() -> ASGIFileResponse:
        return await serve("/", True)

    @get("/{file_path:path}", name=name)
    async def get_file(file_path: FromPath[PurePath]) -> ASGIFileResponse:
        return await serve(file_path.as_posix(), False)

    @head("/{file_path:path}", name=f"{name}/head")
    async def head_file(file_path: FromPath[PurePath]) -> ASGIFileResponse:
        return await serve(file_path.as_posix(), True)

    return Router(
        path=path,
        route_handlers=[get_root, head_root, get_file, head_file],
        include_in_schema=False,
        opt={ASSETS_OPT: assets} if assets else None,
    )


#: The site's own files (``packages/core/src/virage/web/static``), served under ``/static``.
SITE_ASSETS = StaticAssets("/static", Path(__file__).parent / "static")

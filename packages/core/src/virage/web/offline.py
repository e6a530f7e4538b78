"""The installable field app: web app manifest, icons, service worker and the offline page.

- ``GET /manifest.webmanifest``: name « Virage — ma tournée », opens on « Ma journée »;
- ``GET /icones/virage-{192,512}.png``: the icon, drawn here (the V of ``favicon.svg``, no file);
- ``GET /sw.js``: the service worker (``static/sw.js``), scope ``/``. Registered by
  ``static/offline.js`` for signed-in field roles only. It never keeps a health page: it keeps the
  static files (versioned, public) and the offline page below; pages go to the network first, and
  only when the network fails is the offline page given instead;
- ``GET /hors-ligne``: the offline page (no personal data, same for everyone). Its script
  (``static/offline-shell.js``) opens the copy of the asked page that ``offline.js`` kept on the
  device, encrypted with the session's device key (:mod:`virage.accounts.device_keys`), and shows it.

These answers keep the site's default ``Cache-Control: no-store`` (the browser checks a service
worker at each visit anyway; the worker keeps the offline page in its own cache).

See docs/guides/hors-ligne.md for what is kept, for how long, and the threat model.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from functools import lru_cache
from pathlib import Path

from litestar import Controller, MediaType, Request, Response, get
from litestar.response import Template

from virage.web.assets import SITE_ASSETS

STATIC = Path(__file__).parent / "static"
ICON_SIZES = (192, 512)
TEAL = (0x00, 0x79, 0x6B)
#: Files kept by the service worker when it is installed: the pages' scripts, styles and icon
#: (public, no personal data), except the API page's and the worker itself.
SKIPPED = ("api-ui.css", "api-ui.js", "sw.js")


def shell_files() -> list[str]:
    return sorted(
        p.name
        for p in STATIC.iterdir()
        if p.suffix in (".js", ".css", ".svg") and p.name not in SKIPPED
    )


def manifest() -> dict:
    return {
        "name": "Virage — ma tournée",
        "short_name": "Virage",
        "description": "La tournée du jour, même sans réseau.",
        "lang": "fr",
        "dir": "ltr",
        "start_url": "/agenda/ma-journee",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#00796b",
        "icons": [
            {
                "src": f"/icones/virage-{size}.png",
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in ICON_SIZES
        ]
        + [{"src": SITE_ASSETS.url("favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }


def _segment_distance(px: float, py: float, a: tuple, b: tuple) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return ((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5


@lru_cache(maxsize=len(ICON_SIZES))
def icon_png(size: int) -> bytes:
    """A teal square with the white V of the favicon (32-unit drawing scaled), as a PNG."""
    points = ((7.0, 9.0), (16.0, 24.0), (25.0, 9.0))
    scale = size / 32.0
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter: none
        uy = (y + 0.5) / scale
        for x in range(size):
            ux = (x + 0.5) / scale
            d = min(
                _segment_distance(ux, uy, points[0], points[1]),
                _segment_distance(ux, uy, points[1], points[2]),
            )
            # 2 units wide stroke, softened over one pixel
            cover = max(0.0, min(1.0, (2.0 - d) * scale + 0.5))
            row += bytes(round(c + (255 - c) * cover) for c in TEAL)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def service_worker_source() -> str:
    source = (STATIC / "sw.js").read_text(encoding="utf-8")
    files = shell_files()
    shell = ["/hors-ligne", *(SITE_ASSETS.url(name) for name in files)]
    digest = hashlib.sha256(
        "".join(SITE_ASSETS.version(name) or "" for name in ("sw.js", *files)).encode()
    ).hexdigest()[:16]
    return source.replace('"__SHELL__"', json.dumps(shell)).replace("__VERSION__", digest)


class OfflineApp(Controller):
    path = "/"
    include_in_schema = False

    @get("/manifest.webmanifest", name="web-manifest")
    async def web_manifest(self) -> Response:
        return Response(manifest(), media_type="application/manifest+json")

    @get([f"/icones/virage-{size}.png" for size in ICON_SIZES], name="web-icon")
    async def icon(self, request: Request) -> Response:
        size = int(request.url.path.rsplit("-", 1)[1].split(".")[0])
        return Response(icon_png(size), media_type="image/png")

    @get("/sw.js", name="service-worker")
    async def service_worker(self) -> Response:
        return Response(
            service_worker_source(),
            media_type="text/javascript",
            headers={"Service-Worker-Allowed": "/"},
        )

    @get("/hors-ligne", name="offline-page", media_type=MediaType.HTML)
    async def offline_page(self) -> Template:
        return Template("offline.html")

"""The installable field app: manifest, icons, service worker, offline page, and who gets them."""

from __future__ import annotations

import json
import struct

from litestar.testing import TestClient

from virage.app import create_app


def test_manifest_icons_service_worker_and_offline_page(settings):
    with TestClient(create_app(settings)) as client:
        manifest = client.get("/manifest.webmanifest")
        assert manifest.status_code == 200
        assert manifest.headers["content-type"].startswith("application/manifest+json")
        data = json.loads(manifest.text)
        assert data["lang"] == "fr" and data["start_url"] == "/agenda/ma-journee"
        for icon in data["icons"]:
            r = client.get(icon["src"])
            assert r.status_code == 200, icon
            if icon["type"] == "image/png":
                assert r.content[:8] == b"\x89PNG\r\n\x1a\n"
                width, height = struct.unpack(">II", r.content[16:24])
                assert f"{width}x{height}" == icon["sizes"]
        assert client.get("/icones/virage-64.png").status_code == 404

        worker = client.get("/sw.js")
        assert worker.status_code == 200
        assert worker.headers["content-type"].startswith("text/javascript")
        assert worker.headers["cache-control"] == "no-store"
        assert worker.headers["service-worker-allowed"] == "/"
        assert '"__SHELL__"' not in worker.text and "__VERSION__" not in worker.text
        assert '"/hors-ligne"' in worker.text and "/static/offline-shell.js?v=" in worker.text
        assert "/static/api-ui.js" not in worker.text

        shell = client.get("/hors-ligne")
        assert shell.status_code == 200 and "Pas de réseau" in shell.text
        assert "offline-shell.js" in shell.text

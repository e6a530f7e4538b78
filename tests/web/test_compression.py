"""Compressed answers (HTML, JSON, CSS, JS), files streamed in pieces, and downloads left intact."""

from __future__ import annotations

import csv
import gzip
import io

from litestar.testing import TestClient

from tests.web.conftest import sign_in
from virage.app import create_app
from virage.web.api_ui import SWAGGER_ASSETS
from virage.web.assets import SITE_ASSETS
from virage.web.delivery import COMPRESSION_MINIMUM_SIZE

GZIP = {"Accept-Encoding": "gzip"}


def _raw(client: TestClient, path: str, headers: dict) -> tuple[dict, bytes]:
    """The answer as sent, before any decoding by the client."""
    with client.stream("GET", path, headers=headers) as response:
        return dict(response.headers), b"".join(response.iter_raw())


def test_pages_api_styles_and_scripts_are_compressed(settings):
    with TestClient(create_app(settings)) as client:
        for path in (
            "/connexion",
            "/schema/openapi.json",
            SITE_ASSETS.url("virage.css"),
            SITE_ASSETS.url("transmissions.js"),
        ):
            headers, body = _raw(client, path, GZIP)
            assert headers.get("content-encoding") == "gzip", path
            assert "accept-encoding" in headers.get("vary", "").lower()
            plain = client.get(path, headers={"Accept-Encoding": "identity"})
            assert "content-encoding" not in plain.headers
            assert gzip.decompress(body) == plain.content, path
            assert len(body) < len(plain.content), path


def test_a_large_file_streamed_in_pieces_arrives_whole(settings):
    bundle = SWAGGER_ASSETS.directory / "swagger-ui-bundle.js"
    with TestClient(create_app(settings)) as client:
        headers, body = _raw(client, SWAGGER_ASSETS.url("swagger-ui-bundle.js"), GZIP)
        assert headers.get("content-encoding") == "gzip"
        assert "content-length" not in headers  # sent in pieces
        assert gzip.decompress(body) == bundle.read_bytes()


def test_small_answers_pictures_and_plain_clients_are_left_alone(settings):
    with TestClient(create_app(settings)) as client:
        headers, body = _raw(client, "/healthz", GZIP)
        assert len(body) < COMPRESSION_MINIMUM_SIZE
        assert "content-encoding" not in headers
        headers, body = _raw(client, SWAGGER_ASSETS.url("favicon-32x32.png"), GZIP)
        assert "content-encoding" not in headers
        assert body == (SWAGGER_ASSETS.directory / "favicon-32x32.png").read_bytes()
        headers, _body = _raw(client, "/connexion", {"Accept-Encoding": "identity"})
        assert "content-encoding" not in headers


def test_journal_csv_export_is_one_utf8_download(demo, demo_app):
    structure_id = demo.ids(
        "SELECT m.structure_id FROM memberships m JOIN users u ON u.id = m.user_id"
        " WHERE u.username = 'claire.direction'"
    )[0]
    with TestClient(demo_app) as client:
        sign_in(client, "claire.direction")
        # Reading a record fills the structure's journal (every access is logged).
        persons = demo.ids("SELECT id FROM persons WHERE structure_id = ?", (structure_id,))
        for _ in range(10):  # enough lines about her for the answer to be worth compressing
            client.get(f"/personnes/{persons[0]}")
        # The direction exports who accessed one person's data (the whole journal: the DPO's).
        path = f"/structures/{structure_id}/journal?format=csv&personne={persons[0]}"
        headers, body = _raw(client, path, GZIP)
        assert headers["content-type"] == "text/csv; charset=utf-8"
        assert headers["content-disposition"].startswith("attachment;")
        assert headers.get("content-encoding") == "gzip"
        assert "no-store" in headers["cache-control"]
        rows = list(csv.reader(io.StringIO(gzip.decompress(body).decode("utf-8")), delimiter=";"))
        assert rows[0][:2] == ["id", "date (UTC)"]
        assert len(rows) > 1 and all(len(r) == len(rows[0]) for r in rows)
        plain = client.get(path, headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert plain.headers["content-type"] == "text/csv; charset=utf-8"
        assert plain.text.splitlines()[0] == ";".join(rows[0])


def test_calendar_feed_has_one_charset(demo_app):
    with TestClient(demo_app) as client:
        sign_in(client, "paul.infirmier")
        page = client.get("/agenda/abonnement")
        token = page.text.split('name="_csrf_token" value="')[1].split('"')[0]
        created = client.post("/agenda/abonnement", data={"_csrf_token": token})
        url = created.text.split('<code id="feed-url" class="ag-url">')[1].split("<")[0]
        feed = client.get(url[url.index("/agenda/flux/") :])
        assert feed.status_code == 200
        assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
        assert feed.text.startswith("BEGIN:VCALENDAR")

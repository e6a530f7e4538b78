"""Static files and the documentation: versioned addresses kept a year, HEAD, malformed paths."""

from __future__ import annotations

import re

import pytest
from litestar.testing import TestClient

from tests.web.conftest import write_docs_site
from tests.web.headers import header_problems
from virage.app import create_app
from virage.plugins import hookimpl
from virage.web.assets import IMMUTABLE, SITE_ASSETS, StaticAssets

TEMPLATE_ROOTS = ["packages", "examples"]


def test_pages_link_static_files_by_versioned_address(settings):
    with TestClient(create_app(settings)) as client:
        html = client.get("/connexion").text
        links = re.findall(r"""(?:href|src)="(/static/[^"]+)""", html)
        assert {link.split("?")[0] for link in links} >= {
            "/static/virage.css",
            "/static/favicon.svg",
            "/static/virage.js",
        }
        for link in links:
            assert re.search(r"\?v=[0-9a-f]{12}$", link), link
            response = client.get(link)
            assert response.status_code == 200
            assert response.headers["cache-control"] == IMMUTABLE
            assert not header_problems(response, link.split("?")[0])


def test_unversioned_or_stale_addresses_must_be_revalidated(settings):
    with TestClient(create_app(settings)) as client:
        for url in ("/static/virage.css", "/static/virage.css?v=000000000000"):
            response = client.get(url)
            assert response.status_code == 200
            assert response.headers["cache-control"] == "no-cache", url
        missing = client.get("/static/absent.css?v=abc")
        assert missing.status_code == 404
        assert "no-store" in missing.headers["cache-control"]


def test_a_new_content_gets_a_new_address(tmp_path):
    assets = StaticAssets("/static", tmp_path)
    (tmp_path / "app.css").write_text("body { color: black }")
    first = assets.url("app.css")
    assert assets.cache_control("/static/app.css", first.split("?")[1].encode()) == IMMUTABLE
    (tmp_path / "app.css").write_text("body { color: navy; }")
    second = assets.url("app.css")
    assert first != second
    assert assets.cache_control("/static/app.css", first.split("?")[1].encode()) == "no-cache"
    with pytest.raises(ValueError):
        assets.url("absent.css")
    for outside in ("../secret.txt", "/etc/passwd", "a\x00b"):
        assert assets.version(outside) is None


def test_every_template_links_static_files_through_static_url():
    from tests.conftest import ROOT

    offenders = []
    for root in TEMPLATE_ROOTS:
        for template in (ROOT / root).rglob("templates/**/*.html"):
            text = template.read_text(encoding="utf-8")
            if re.search(r"""(?:href|src)=["']/static/""", text):
                offenders.append(str(template.relative_to(ROOT)))
    assert not offenders, f"write {{{{ static_url('…') }}}} instead of /static/… in {offenders}"
    assert SITE_ASSETS.version("virage.css")


@pytest.mark.parametrize("path", ["/docs/", "/docs", "/docs/guides/", "/static/virage.css"])
def test_head_answers_wherever_get_does(settings, tmp_path, path):
    site = write_docs_site(tmp_path / "site")
    with TestClient(create_app(settings.with_(docs_dir=site))) as client:
        got = client.get(path, headers={"Accept-Encoding": "identity"})
        head = client.head(path, headers={"Accept-Encoding": "identity"})
        assert got.status_code == 200
        assert head.status_code == 200, head.text
        assert head.content == b""
        for name in ("content-type", "content-length", "etag", "cache-control"):
            assert head.headers.get(name) == got.headers.get(name), name
        assert not header_problems(head, path)


@pytest.mark.parametrize(
    "path",
    [
        "/docs/%00",
        "/docs/guides/%00/",
        "/static/virage.css%00.js",
        "/static/api-ui/swagger-ui.css%00",
        "/docs/" + "x" * 300,
        "/static/" + "x" * 300 + ".css",
        "/static/" + "a/" * 600 + "b.css",
    ],
)
def test_paths_no_file_can_have_are_not_found(settings, tmp_path, path):
    site = write_docs_site(tmp_path / "site")
    with TestClient(create_app(settings.with_(docs_dir=site))) as client:
        for method in ("GET", "HEAD"):
            response = client.request(method, path)
            assert response.status_code == 404, (method, response.status_code)
            assert not header_problems(response, path)


def test_docs_stay_public_and_revalidated(settings, tmp_path):
    site = write_docs_site(tmp_path / "site")
    with TestClient(create_app(settings.with_(docs_dir=site))) as client:
        page = client.get("/docs/guides/")
        assert page.headers["cache-control"] == "no-cache"
        missing = client.get("/docs/absent/")
        assert missing.status_code == 404
        assert "Page introuvable" in missing.text
        assert "no-store" in missing.headers["cache-control"]


class FilesPlugin:
    """A plugin serving its own folder of files, as docs/developpeurs/ecrire-un-plugin.md says."""

    __name__ = "files-plugin"

    def __init__(self, assets: StaticAssets) -> None:
        self.assets = assets

    @hookimpl
    def register_routes(self):
        return [self.assets.router(name="files-plugin-static")]


def test_a_plugin_serves_its_files_with_versioned_addresses(settings, tmp_path):
    folder = tmp_path / "plugin-static"
    folder.mkdir()
    (folder / "carte.js").write_text("document.title = 'carte';\n" * 100)
    assets = StaticAssets("/static/files-plugin", folder)
    with TestClient(create_app(settings, plugins=[FilesPlugin(assets)])) as client:
        url = assets.url("carte.js")
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["cache-control"] == IMMUTABLE
        assert client.head(url).headers["content-type"] == response.headers["content-type"]
        assert client.get("/static/files-plugin/carte.js").headers["cache-control"] == "no-cache"
        assert client.get("/static/files-plugin/%00").status_code == 404
        # The core's own files are still served by the core's router.
        assert client.get(SITE_ASSETS.url("virage.css")).headers["cache-control"] == IMMUTABLE

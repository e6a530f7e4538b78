"""The security headers in detail: nonces, what a route may declare, the API page, the docs."""

from __future__ import annotations

import logging
import os
import re

import pytest
from litestar import Controller, get
from litestar.response import Response, Template
from litestar.testing import TestClient

from tests.web.conftest import write_docs_site
from tests.web.headers import directives, header_problems, inline_code_problems
from virage.app import create_app
from virage.plugins import hookimpl
from virage.web.security import csp_extra, permissions_header

INLINE_PAGE = """{% extends "base.html" %}{% block content %}
<script nonce="{{ csp_nonce }}">document.title = "ok";</script>
<style nonce="{{ csp_nonce }}">h1 { color: #123; }</style>
{% endblock %}"""


class VideoPages(Controller):
    """A plugin's video page that needs the camera and the microphone, and embeds a room."""

    path = "/test-video"
    opt = {
        "permissions_policy": {
            "camera": ["self", "https://visio.example.org"],
            "microphone": "self",
        },
        "csp": {"frame-src": ["https://visio.example.org"]},
    }

    @get("/salle", include_in_schema=False)
    async def room(self) -> str:
        return "salle"


@get("/test-inline", include_in_schema=False)
async def inline_page() -> Template:
    return Template("test-security/inline.html")


@get("/test-public", include_in_schema=False)
async def public_list() -> Response:
    """A list without personal data, which its route allows browsers to keep a minute."""
    return Response(
        "liste publique",
        headers={"Cache-Control": "public, max-age=60", "X-Frame-Options": "SAMEORIGIN"},
    )


@get("/test-bad", include_in_schema=False, opt={"permissions_policy": {"camera": ["javascript:x"]}})
async def bad_declaration() -> str:
    return "bad"


@get("/test-unsafe", include_in_schema=False, opt={"csp": {"script-src": ["'unsafe-inline'"]}})
async def unsafe_declaration() -> str:
    return "unsafe"


class SecurityTestPlugin:
    __name__ = "security-test"

    def __init__(self, templates):
        self.templates = templates

    @hookimpl
    def register_routes(self):
        return [VideoPages, inline_page, public_list, bad_declaration, unsafe_declaration]

    @hookimpl
    def register_template_dirs(self):
        return [self.templates]


@pytest.fixture
def client(settings, tmp_path):
    templates = tmp_path / "templates"
    (templates / "test-security").mkdir(parents=True)
    (templates / "test-security" / "inline.html").write_text(INLINE_PAGE, encoding="utf-8")
    app = create_app(settings, plugins=[SecurityTestPlugin(templates)])
    with TestClient(app) as c:
        yield c


def _nonce(response) -> str | None:
    found = directives(response.headers["content-security-policy"])["script-src"]
    nonces = [s[len("'nonce-") : -1] for s in found if s.startswith("'nonce-")]
    return nonces[0] if nonces else None


def test_inline_code_runs_only_with_the_nonce_of_its_answer(client):
    first, second = client.get("/test-inline"), client.get("/test-inline")
    for response in (first, second):
        nonce = _nonce(response)
        assert nonce and len(nonce) >= 16
        assert f'<script nonce="{nonce}">' in response.text
        assert f'<style nonce="{nonce}">' in response.text
        assert (
            f"'nonce-{nonce}'"
            in directives(response.headers["content-security-policy"])["style-src"]
        )
        assert not inline_code_problems(response.text, response.headers["content-security-policy"])
        assert not header_problems(response, "/test-inline")
    assert _nonce(first) != _nonce(second), "a nonce is never reused"


def test_answers_without_inline_code_get_no_nonce(client):
    for path in ("/", "/api/v1/plugins", "/nulle-part"):
        response = client.get(path)
        assert _nonce(response) is None, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]


def test_a_route_declares_the_browser_features_it_needs(client):
    room = client.get("/test-video/salle")
    assert room.status_code == 200
    permissions = room.headers["permissions-policy"]
    assert 'camera=(self "https://visio.example.org")' in permissions
    assert "microphone=(self)" in permissions
    assert "geolocation=()" in permissions  # what was not asked for stays refused
    frames = directives(room.headers["content-security-policy"])["frame-src"]
    assert frames == ["'self'", "https://visio.example.org"]
    # Every other page keeps refusing the camera and framing other sites.
    home = client.get("/")
    assert "camera=()" in home.headers["permissions-policy"]
    assert "frame-src" not in home.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/test-bad", "/test-unsafe"])
def test_a_malformed_declaration_keeps_the_strict_headers(client, caplog, path):
    with caplog.at_level(logging.ERROR, logger="virage"):
        response = client.get(path)
    assert response.status_code == 200
    assert not header_problems(response, path)
    assert "camera=()" in response.headers["permissions-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert "en-têtes de sécurité déclarés ignorés" in caplog.text


def test_declarations_are_checked():
    assert permissions_header() == ("camera=(), microphone=(), geolocation=(), payment=(), usb=()")
    assert "camera=(self)" in permissions_header({"camera": "self"})
    for bad in ({"camera": ["https://x.org; evil"]}, {"Camera!": ["self"]}):
        with pytest.raises(ValueError):
            permissions_header(bad)
    assert csp_extra({"media-src": ["blob:"]}) == {"media-src": ("blob:",)}
    for bad in (
        {"frame-ancestors": ["https://x.org"]},
        {"script-src": ["'unsafe-eval'"]},
        {"connect-src": ["https://x.org; script-src *"]},
    ):
        with pytest.raises(ValueError):
            csp_extra(bad)


def test_the_api_page_has_no_inline_script_and_its_own_policy(settings):
    with TestClient(create_app(settings)) as client:
        page = client.get("/schema/")
        assert page.status_code == 200
        policy = page.headers["content-security-policy"]
        assert not header_problems(page, "/schema/")
        assert not inline_code_problems(page.text, policy)
        assert "<script>" not in page.text and "SwaggerUIBundle(" not in page.text
        scripts = re.findall(r'<script src="([^"]+)"', page.text)
        assert len(scripts) == 3 and all("?v=" in s for s in scripts)
        for url in scripts + re.findall(r'<link[^>]+href="([^"]+)"', page.text):
            assert client.get(url).status_code == 200, url
        # Swagger UI sets inline styles; scripts stay this site's files only.
        assert "'unsafe-inline'" in directives(policy)["style-src"]
        assert directives(policy)["script-src"] == ["'self'"]
        spec = re.search(r'data-spec-url="([^"]+)"', page.text).group(1)
        assert client.get(spec).json()["info"]["title"] == "API Virage"


def test_the_docs_policy_allows_exactly_the_sites_inline_scripts(settings, tmp_path):
    site = write_docs_site(tmp_path / "site")
    with TestClient(create_app(settings.with_(docs_dir=site))) as client:
        page = client.get("/docs/")
        policy = page.headers["content-security-policy"]
        assert not header_problems(page, "/docs/")
        assert not inline_code_problems(page.text, policy)
        hashes = [s for s in directives(policy)["script-src"] if s.startswith("'sha256-")]
        assert len(hashes) == 1, "one inline script; the JSON block is data, not code"
        # The site is rebuilt with another inline script: the policy follows.
        index = site / "index.html"
        index.write_text(
            index.read_text().replace('new URL(".", location)', 'new URL("..", location)')
        )
        stat = index.stat()
        os.utime(index, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        rebuilt = client.get("/docs/")
        assert not inline_code_problems(rebuilt.text, rebuilt.headers["content-security-policy"])
        assert client.get("/docs/guides/").status_code == 200
        assert not inline_code_problems(
            client.get("/docs/guides/").text, rebuilt.headers["content-security-policy"]
        )


def test_pages_are_never_framed_nor_cached(settings):
    with TestClient(create_app(settings)) as client:
        for path in ("/", "/connexion", "/api/v1/plugins", "/healthz", "/schema/openapi.json"):
            response = client.get(path)
            assert directives(response.headers["content-security-policy"])["frame-ancestors"] == [
                "'none'"
            ]
            assert response.headers["x-frame-options"] == "DENY"
            assert "no-store" in response.headers["cache-control"], path


def test_a_route_may_choose_its_caching_but_not_weaken_the_security_headers(client):
    response = client.get("/test-public")
    assert response.headers["cache-control"] == "public, max-age=60"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers.get_list("x-frame-options") == ["DENY"]

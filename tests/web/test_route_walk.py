"""Every route of the application, with every plugin, answers with the security headers.

Each route is requested anonymously, with a signed-in session and with an API token, path
parameters taken from the demo territory (or dummy ones when there is nothing to take): the walk
meets pages, API answers, redirects to the log-in page, 401, 403, 404 and 405, and each must carry
the Content-Security-Policy, nosniff, Referrer-Policy, Permissions-Policy and no-store (static files
and the public documentation excepted). A page may not hold inline code its policy would block.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from tests.web.conftest import api_token, sign_in
from tests.web.headers import header_problems, inline_code_problems

#: Where a path parameter finds an existing value in the demo territory.
SAMPLES = {
    "structure_id": "SELECT id FROM structures ORDER BY id",
    "person_id": "SELECT id FROM persons ORDER BY id",
    "appointment_id": "SELECT id FROM agenda_appointments ORDER BY id",
    "absence_id": "SELECT id FROM agenda_absences ORDER BY id",
    "team_id": "SELECT id FROM agenda_teams ORDER BY id",
    "transmission_id": "SELECT id FROM transmissions ORDER BY id",
    "professional_id": "SELECT id FROM directory_professionals ORDER BY id",
    "role_id": "SELECT id FROM directory_roles ORDER BY id",
    "finess": "SELECT finess FROM directory_structures WHERE finess IS NOT NULL ORDER BY id",
    "user_id": "SELECT id FROM users ORDER BY id",
    "token_id": "SELECT id FROM api_tokens ORDER BY id",
    "request_id": "SELECT id FROM orientation_requests ORDER BY id",
    "sending_id": "SELECT id FROM orientation_sendings ORDER BY id",
    "tc_id": "SELECT id FROM teleconsultations ORDER BY id",
}
#: Files the static routers can serve.
FILES = {"/static": "virage.css", "/static/api-ui": "swagger-ui.css", "/docs": "guides/"}
_PARAM = re.compile(r"\{(\w+):(\w+)\}")


def _value(demo, route_path: str, name: str, kind: str, extra: dict) -> str:
    if name in extra:
        return extra[name]
    if kind == "path":
        prefix = route_path.split("/{")[0]
        return FILES.get(prefix, "inconnu")
    if name in SAMPLES:
        found = demo.ids(SAMPLES[name], missing_ok=True)
        if found:
            return str(found[0])
    return "999999" if kind == "int" else "inconnu"


def _url(demo, route_path: str, extra: dict, override: str | None = None) -> str:
    def fill(match: re.Match) -> str:
        name, kind = match.groups()
        if override is not None and kind in ("str", "path"):
            return override
        return _value(demo, route_path, name, kind, extra)

    return _PARAM.sub(fill, route_path)


def _feed_secret(client: TestClient) -> str:
    page = client.get("/agenda/abonnement")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    created = client.post("/agenda/abonnement", data={"_csrf_token": token})
    url = re.search(r'<code id="feed-url"[^>]*>([^<]+)</code>', created.text).group(1)
    return url.rsplit("/agenda/flux/", 1)[1]


def test_every_route_answers_with_the_security_headers(demo, demo_app):
    routes = [r for r in demo_app.routes if isinstance(r, HTTPRoute)]
    assert len(routes) > 100, "the walk must see the routes of the core and of the plugins"
    statuses: Counter[int] = Counter()
    problems: list[str] = []
    visited = 0

    def check(client, method: str, url: str, **kwargs) -> None:
        nonlocal visited
        response = client.request(method, url, follow_redirects=False, **kwargs)
        visited += 1
        statuses[response.status_code] += 1
        path = url.split("?")[0]
        found = header_problems(response, path, granted.get(path, frozenset()))
        if response.status_code == 200 and "text/html" in response.headers.get("content-type", ""):
            found += inline_code_problems(
                response.text, response.headers["content-security-policy"]
            )
        if response.status_code >= 500:
            found.append("server error")
        problems.extend(f"{method} {url} → {response.status_code}: {p}" for p in found)

    with (
        TestClient(demo_app) as anonymous,
        TestClient(demo_app) as coordinator,
        TestClient(demo_app) as doctor,
        TestClient(demo_app) as api,
    ):
        sign_in(coordinator, "ines.coordination")
        sign_in(doctor, "helene.teleconsult")
        extra = {"secret": _feed_secret(coordinator)}
        granted = {  # the pages that declare a browser feature (the in-app camera)
            _url(demo, r.path, extra).split("?")[0]: frozenset(
                f for h in r.route_handlers for f in h.opt.get("permissions_policy", {})
            )
            for r in routes
        }
        api.headers["Authorization"] = f"Bearer {api_token(demo, 'ines.coordination')}"
        for route in routes:
            url = _url(demo, route.path, extra)
            clients = [anonymous, coordinator, doctor]
            if route.path.startswith("/api/"):
                clients.append(api)
            for client in clients:
                for method in sorted(route.methods - {"OPTIONS"}):
                    if method == "GET" or method == "HEAD":
                        check(client, method, url)
                if "GET" not in route.methods:
                    check(client, "GET", url)  # 405
            if _PARAM.search(route.path) and any(
                kind in ("str", "path") for _n, kind in _PARAM.findall(route.path)
            ):
                # Malformed values where text is accepted: a 4xx, never a server error.
                for bad in ("%00", "a%00b", "x" * 300):
                    check(coordinator, "GET", _url(demo, route.path, extra, override=bad))
        # Outside every route: the router's own 404 and 405, anonymous and signed in.
        for client in (anonymous, coordinator):
            check(client, "GET", "/nulle-part")
            check(client, "GET", "/api/v1/nulle-part")
            check(client, "DELETE", "/")

    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])
    assert visited > 400
    for status in (200, 302, 401, 403, 404, 405):
        assert statuses[status], f"the walk met no {status} answer: {dict(statuses)}"


@pytest.mark.parametrize(
    "path",
    ["/docs/%00", "/docs/a%00b.html", "/static/%00", "/static/virage%00.css", "/static/api-ui/%00"],
)
def test_nul_byte_in_a_file_path_is_not_found(demo_app, path):
    with TestClient(demo_app) as client:
        for method in ("GET", "HEAD"):
            response = client.request(method, path)
            assert response.status_code == 404, (method, path, response.status_code)
            assert not header_problems(response, path)

"""French as people write it, on every page each demo role reaches.

Signed in as one account of each role of the demo territory (the README's list), the crawl starts
on the home page and follows the site's own links, breadth first, to a bounded depth and number of
pages: GET only, never a form, never the log-out. Every page must be free of ISO dates
(« 2026-12-02 »), of « UTC » and of plurals in parentheses (« créneau(x) ») in what a person reads
(see ``french_crawl``). The crawl is deterministic: links in the order of the page, at most a few
pages of one kind (``/personnes/12`` and ``/personnes/13`` are one kind).
"""

from __future__ import annotations

import re
from collections import Counter, deque

import pytest
from litestar.testing import TestClient
from virage_demo_territory.logins import LOGINS

from tests.web import french_crawl
from tests.web.conftest import sign_in

#: The first account of each line of the README's table: one per role and structure.
ACCOUNTS = [login.usernames[0] for login in LOGINS] + ["paul.infirmier", "thomas.idec"]
DEPTH = 3
PAGES_PER_ACCOUNT = 30
PAGES_PER_KIND = 3
_NUMBER = re.compile(r"\d+")


def _kind(url: str) -> str:
    return _NUMBER.sub("N", url.split("?")[0])


def crawl(client: TestClient) -> tuple[dict[str, list[str]], int]:
    """Problems found per page, and the number of pages read."""
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    queue = deque([("/", 0)])
    found: dict[str, list[str]] = {}
    pages = 0
    while queue and pages < PAGES_PER_ACCOUNT:
        url, depth = queue.popleft()
        if url in seen or kinds[_kind(url)] >= PAGES_PER_KIND:
            continue
        seen.add(url)
        kinds[_kind(url)] += 1
        response = client.get(url)
        assert response.status_code < 500, f"{url} → {response.status_code}"
        if response.status_code != 200 or "text/html" not in response.headers.get(
            "content-type", ""
        ):
            continue
        pages += 1
        final = response.url.path + (f"?{response.url.query}" if response.url.query else "")
        problems = french_crawl.problems(response.text)
        if problems:
            found[final] = problems
        if depth < DEPTH:
            _texts, links = french_crawl.read(response.text)
            queue.extend((link, depth + 1) for link in french_crawl.same_site_links(final, links))
    return found, pages


@pytest.mark.parametrize("username", sorted(set(ACCOUNTS)))
def test_pages_are_in_french_as_people_write_it(demo, demo_app, username):
    with TestClient(demo_app) as client:
        sign_in(client, username)
        found, pages = crawl(client)
    assert pages >= 3, f"{username}: the crawl read only {pages} pages"
    report = [f"{url}: {p}" for url, problems in found.items() for p in problems]
    assert not report, f"{username}, {len(report)} problems:\n" + "\n".join(report[:40])


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Né le 2026-12-02</p>", ["date ISO"]),
        ("<p>à 14 h 05 UTC</p>", ["« UTC »"]),
        ("<p>3 créneau(x) libre(s)</p>", ["pluriel entre parenthèses"] * 2),
        ('<p title="mis à jour le 2026-12-02">x</p>', ["date ISO"]),
        ('<input type="date" value="2026-12-02"><input type="hidden" value="2026-12-02">', []),
        ('<time datetime="2026-12-02">2 décembre 2026</time>', []),
        ('<a href="/agenda?jour=2026-12-02">demain</a>', []),
        ("<pre>2026-12-02</pre><code>UTC</code><script>f(s)</script>", []),
        ("<p>Arrivé·e, Prénoms, 2 décembre 2026 à 9 h 42</p>", []),
    ],
)
def test_the_rules_see_what_a_person_reads(html, expected):
    assert [p.split(" : ")[0] for p in french_crawl.problems(html)] == expected

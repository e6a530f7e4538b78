"""Page weight: « Ma journée » cold, and the offline assets, as a field nurse's phone receives them.

A demo server (demo territory, every plugin of the demo) runs on 127.0.0.1; the script logs in as
a nurse of the SSIAD (``paul.infirmier``) and, like a browser with an empty cache that accepts
compressed answers (``Accept-Encoding: br, gzip``):

- « Ma journée » cold: the page, then every style sheet, script, image and icon it loads (and
  what the style sheets load: ``url(…)``, ``@import``), each counted once, in bytes as sent on the
  wire (compressed when the server compresses; headers not counted);
- the offline assets: the service worker (``/sw.js``) and every address it keeps at installation,
  the web app manifest and its icons, and every static file the field pages load (« Ma journée »,
  a visit, the person's page, the transmission form, the offline page).

Prints a small table in French and exits with 1 when a budget is exceeded: « Ma journée » under
60 Ko cold compressed, the offline assets under 300 Ko (1 Ko = 1 000 octets, as browsers' tools
show them). No network but 127.0.0.1.

    ./scripts/bench-weight            # table, exit 1 over budget
    ./scripts/bench-weight --json     # the figures as JSON, for a comparison between versions
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

from bench_http import PASSWORD, _cli, uvicorn

NURSE = "paul.infirmier"
DAY = "/agenda/ma-journee"
#: Budgets, in bytes as sent (compressed).
DAY_BUDGET = 60_000
OFFLINE_BUDGET = 300_000
ACCEPT = {"Accept-Encoding": "br, gzip", "User-Agent": "virage-bench-weight"}
#: Pages of the round a nurse opens from « Ma journée » (their static files are offline assets).
FIELD_LINKS = (
    re.compile(r"^/agenda/rendez-vous/\d+$"),
    re.compile(r"^/personnes/\d+$"),
    re.compile(r"^/personnes/\d+/transmissions/nouvelle(\?.*)?$"),
)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class _Loads(HTMLParser):
    """What a page makes the browser fetch (styles, scripts, images, icons, manifest) and its
    links."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.manifest: str | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").lower().split()
        if tag == "link" and a.get("href"):
            if "manifest" in rel:
                self.manifest = a["href"]
            elif {"stylesheet", "icon", "preload", "modulepreload", "apple-touch-icon"} & set(rel):
                self.assets.append(a["href"])
        elif tag in ("script", "img", "source", "image") and (a.get("src") or a.get("href")):
            self.assets.append(a.get("src") or a.get("href"))
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])


class Browser:
    """A cold browser: a cookie jar, compressed answers, every address counted once."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, dict, bytes, str]:
        """Status, headers, body as sent, final path."""
        request = urllib.request.Request(urllib.parse.urljoin(self.base, path), headers=ACCEPT)
        try:
            with self.opener.open(request, timeout=30) as response:
                final = urllib.parse.urlsplit(response.geturl())
                path = final.path + (f"?{final.query}" if final.query else "")
                return response.status, _lower(response.headers.items()), response.read(), path
        except urllib.error.HTTPError as error:
            return error.code, _lower(error.headers.items()), error.read(), path

    def text(self, headers: dict, body: bytes) -> str:
        encoding = (headers.get("content-encoding") or "").lower()
        if encoding == "gzip":
            import gzip

            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli  # type: ignore[import-not-found]

            body = brotli.decompress(body)
        return body.decode("utf-8", "replace")

    def login(self, username: str) -> None:
        _s, headers, body, _p = self.get("/connexion")
        csrf = re.search(r'name="_csrf_token" value="([^"]+)"', self.text(headers, body))
        data = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "_csrf_token": csrf.group(1)}
        ).encode()
        request = urllib.request.Request(f"{self.base}/connexion", data=data, headers=ACCEPT)
        self.opener.open(request, timeout=30).read()
        if not any(c.name == "virage_session" for c in self.jar):
            raise SystemExit(f"Erreur : connexion de {username} impossible.")


def _lower(items) -> dict:
    return {k.lower(): v for k, v in items}


def _same_site(base_path: str, href: str) -> str | None:
    parts = urllib.parse.urlsplit(urllib.parse.urljoin(f"http://h{base_path}", href))
    if parts.netloc != "h" or parts.scheme not in ("http", "https"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Weigher:
    """Fetch addresses once each and keep their weight as sent."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.weights: dict[str, dict] = {}

    def fetch(self, path: str) -> dict:
        if path in self.weights:
            return self.weights[path]
        status, headers, body, final = self.browser.get(path)
        row = {
            "path": path,
            "status": status,
            "bytes": len(body),
            "encoding": (headers.get("content-encoding") or "").lower() or "aucune",
            "type": (headers.get("content-type") or "").split(";")[0],
            "final": final,
            "text": self.browser.text(headers, body) if status == 200 else "",
        }
        self.weights[path] = row
        return row

    def page_with_assets(self, path: str) -> tuple[dict, list[dict]]:
        """A page and every file it loads (styles' own files included), each once."""
        page = self.fetch(path)
        loads = _Loads()
        loads.feed(page["text"])
        assets: list[dict] = []
        queue = [a for a in (_same_site(page["final"], h) for h in loads.assets) if a]
        seen: set[str] = set()
        while queue:
            address = queue.pop(0)
            if address in seen:
                continue
            seen.add(address)
            row = self.fetch(address)
            assets.append(row)
            if row["type"] == "text/css":
                for match in CSS_URL.finditer(row["text"]):
                    found = _same_site(address, match.group(1) or match.group(2))
                    if found and not found.startswith("data:"):
                        queue.append(found)
        page["manifest"] = _same_site(page["final"], loads.manifest) if loads.manifest else None
        page["links"] = [x for x in (_same_site(page["final"], h) for h in loads.links) if x]
        return page, assets


def service_worker_files(weigher: Weigher, page: dict) -> list[dict]:
    """The service worker, what it keeps at installation, the manifest and its icons."""
    rows: list[dict] = []
    worker = weigher.fetch("/sw.js")
    if worker["status"] == 200:
        rows.append(worker)
        match = re.search(r"var SHELL\s*=\s*(\[[^\]]*\])", worker["text"])
        for address in json.loads(match.group(1)) if match else []:
            found = _same_site("/sw.js", address)
            if found:
                rows.append(weigher.fetch(found))
    if page.get("manifest"):
        manifest = weigher.fetch(page["manifest"])
        if manifest["status"] == 200:
            rows.append(manifest)
            try:
                icons = json.loads(manifest["text"]).get("icons", [])
            except ValueError:
                icons = []
            for icon in icons:
                found = _same_site(page["manifest"], icon.get("src", ""))
                if found:
                    rows.append(weigher.fetch(found))
    return rows


def measure(base: str) -> dict:
    browser = Browser(base)
    browser.login(NURSE)
    day_weigher = Weigher(browser)
    page, assets = day_weigher.page_with_assets(DAY)
    if page["status"] != 200 or page["final"].split("?")[0] != DAY:
        raise SystemExit(f"Erreur : « Ma journée » répond {page['status']} ({page['final']}).")
    day_rows = [page, *assets]

    # Offline assets: a fresh count (a file is counted once, whatever page loads it).
    offline = Weigher(browser)
    _p, field_assets = offline.page_with_assets(DAY)
    field_pages = [DAY]
    for pattern in FIELD_LINKS:
        link = next((x for x in page["links"] if pattern.match(x)), None)
        if link:
            field_pages.append(link)
            field_assets += offline.page_with_assets(link)[1]
    for shell_page in ("/hors-ligne",):
        shown, more = offline.page_with_assets(shell_page)
        if shown["status"] == 200:
            field_pages.append(shell_page)
            field_assets += more
    offline_rows = {r["path"]: r for r in [*field_assets, *service_worker_files(offline, page)]}
    offline_rows = {p: r for p, r in offline_rows.items() if r["status"] == 200}
    return {
        "day": {
            "total": sum(r["bytes"] for r in day_rows),
            "budget": DAY_BUDGET,
            "files": [_public(r) for r in day_rows],
        },
        "offline": {
            "total": sum(r["bytes"] for r in offline_rows.values()),
            "budget": OFFLINE_BUDGET,
            "field_pages": field_pages,
            "files": [_public(r) for r in offline_rows.values()],
        },
    }


def _public(row: dict) -> dict:
    return {k: row[k] for k in ("path", "status", "bytes", "encoding", "type")}


def _ko(n: int) -> str:
    return f"{n / 1000:.1f}".replace(".", ",") + " Ko"


def table(result: dict) -> str:
    lines = []
    for key, title in (
        ("day", "« Ma journée » à froid"),
        ("offline", "Fichiers gardés pour le hors-ligne"),
    ):
        part = result[key]
        lines.append(f"{title} — {len(part['files'])} fichiers")
        if part.get("field_pages"):
            lines.append(f"  (pages du terrain lues : {', '.join(part['field_pages'])})")
        for row in sorted(part["files"], key=lambda r: -r["bytes"]):
            short = row["path"].split("?")[0]
            lines.append(f"  {short:<44} {_ko(row['bytes']):>10}  compression : {row['encoding']}")
        verdict = "dans le budget" if part["total"] <= part["budget"] else "BUDGET DÉPASSÉ"
        lines.append(
            f"  {'Total':<44} {_ko(part['total']):>10}  budget {_ko(part['budget'])} : {verdict}"
        )
        lines.append("")
    return "\n".join(lines).rstrip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="les chiffres en JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="virage-bench-weight-") as tmp:
        env = {
            **os.environ,
            "VIRAGE_DB": str(Path(tmp) / "demo.db"),
            "VIRAGE_SECRET_KEY": secrets.token_hex(16),
        }
        env.pop("VIRAGE_PLUGINS", None)  # the demo's own plugins, as ./scripts/demo
        env.pop("VIRAGE_DOCS_DIR", None)
        _cli(env, "demo", "--no-serve")
        with uvicorn("virage.app:create_app", env, factory=True) as base:
            result = measure(base)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else table(result))
    over = [k for k in ("day", "offline") if result[k]["total"] > result[k]["budget"]]
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

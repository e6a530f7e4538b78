"""Security and caching headers on every answer, set in one place.

One Litestar ``before_send`` hook (:class:`ResponseHeaders`) sees every answer — pages, API, errors
raised before routing (404, 405), redirects, static files — and sets:

- ``Content-Security-Policy``: only this site's scripts and styles, plus inline ones carrying the
  request's nonce (``<script nonce="{{ csp_nonce }}">``); no plugins (``object-src``), no
  ``<base>`` elsewhere, forms post here only, and no framing by anyone (``frame-ancestors``).
  The API page (``/schema``) and the documentation site (``/docs``) get their own policy: Swagger UI
  and MkDocs Material set inline styles, and the documentation's few inline scripts are allowed by
  their hashes, read from the built site;
- ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``, ``Referrer-Policy: same-origin``;
- ``Permissions-Policy``: camera, microphone, geolocation, payment and USB refused, unless the route
  declares what it needs (``opt={"permissions_policy": {"camera": ["self"]}}`` on a handler,
  controller or router); extra CSP sources the same way (``opt={"csp": {"frame-src": [...]}}``);
- ``Cache-Control: no-store`` unless the handler chose its own: answers carry personal data by
  default. Static files (a router whose ``opt`` names its ``StaticAssets``, see
  ``virage.web.assets``) and the public documentation are the exceptions.

The nonce is made when a template first asks for it (``{{ csp_nonce }}``) and lives in a context
variable of the request's task, so page fragments rendered outside Litestar's templates get it too.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from litestar.types import Message, Scope

from virage.web.assets import ASSETS_OPT

log = logging.getLogger("virage")

#: Route ``opt`` key: the browser features a page needs, feature → allowed origins (``"self"``).
PERMISSIONS_OPT = "permissions_policy"
#: Route ``opt`` key: sources added to CSP directives, directive → sources.
CSP_OPT = "csp"

#: Features refused everywhere unless a route asks for them.
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")
#: Directives a route may extend (never the ones that protect against injection or framing).
EXTENSIBLE_DIRECTIVES = frozenset(
    {"connect-src", "frame-src", "img-src", "media-src", "script-src", "style-src", "worker-src"}
)
#: At most this many distinct inline scripts in the documentation site (the header stays short).
MAX_DOCS_HASHES = 64

_BASE_POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}
#: Swagger UI (``/schema``) and MkDocs Material (``/docs``) write inline styles.
_INLINE_STYLES = {"style-src": ("'self'", "'unsafe-inline'")}

_FEATURE = re.compile(r"^[a-z][a-z-]{0,40}$")
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")
_SOURCE = re.compile(r"^(https?://[A-Za-z0-9.*-]+(:\d{1,5})?(/[^\s;,']*)?|'self'|data:|blob:)$")
_INLINE_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_NOT_JS = re.compile(
    rb"""\b(src\s*=|type\s*=\s*["']?(application/(ld\+)?json|text/template))""", re.I
)

_nonce: ContextVar[str | None] = ContextVar("virage_csp_nonce", default=None)


def csp_nonce() -> str:
    """The CSP nonce of the answer being prepared (made on first use, then reused)."""
    nonce = _nonce.get()
    if nonce is None:
        nonce = secrets.token_urlsafe(16)
        _nonce.set(nonce)
    return nonce


class _TemplateNonce:
    """``{{ csp_nonce }}`` in a template: the current answer's nonce."""

    def __str__(self) -> str:
        return csp_nonce()

    __html__ = __str__


TEMPLATE_NONCE = _TemplateNonce()


def render_policy(directives: Mapping[str, Sequence[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def _with(
    base: Mapping[str, Sequence[str]], extra: Mapping[str, Sequence[str]]
) -> dict[str, tuple[str, ...]]:
    merged = {name: tuple(sources) for name, sources in base.items()}
    for name, sources in extra.items():
        start = merged.get(name, merged["default-src"])
        merged[name] = tuple(dict.fromkeys([*start, *sources]))
    return merged


def permissions_header(needs: Mapping[str, Iterable[str]] | None = None) -> str:
    """``Permissions-Policy``: every feature of ``DENIED_FEATURES`` refused, except ``needs``.

    :param needs: feature → origins allowed to use it (``"self"`` for this site).
    :raises ValueError: a feature or origin that is not well formed.
    """
    allowed: dict[str, list[str]] = {feature: [] for feature in DENIED_FEATURES}
    for feature, origins in (needs or {}).items():
        if not _FEATURE.match(feature):
            raise ValueError(f"fonctionnalité de navigateur mal écrite : {feature!r}")
        if isinstance(origins, str):
            origins = [origins]
        members = []
        for origin in origins:
            if origin in ("self", "*"):
                members.append(origin)
            elif _ORIGIN.match(origin):
                members.append(f'"{origin}"')
            else:
                raise ValueError(f"origine mal écrite pour {feature} : {origin!r}")
        allowed[feature] = members
    return ", ".join(f"{feature}=({' '.join(members)})" for feature, members in allowed.items())


def csp_extra(extra: Mapping[str, Iterable[str]] | None) -> dict[str, tuple[str, ...]]:
    """Check a route's extra CSP sources (``opt["csp"]``).

    :raises ValueError: a directive a route may not extend, or a source that is not a plain
        origin, ``'self'``, ``data:`` or ``blob:`` (never ``'unsafe-inline'`` nor ``'unsafe-eval'``).
    """
    checked: dict[str, tuple[str, ...]] = {}
    for directive, sources in (extra or {}).items():
        if directive not in EXTENSIBLE_DIRECTIVES:
            raise ValueError(f"directive CSP non extensible par une route : {directive!r}")
        sources = [sources] if isinstance(sources, str) else list(sources)
        for source in sources:
            if not _SOURCE.match(source):
                raise ValueError(f"source CSP refusée pour {directive} : {source!r}")
        checked[directive] = tuple(sources)
    return checked


class DocsScripts:
    """The hashes (``'sha256-…'``) of the inline scripts of a built MkDocs site.

    Read once, then again whenever ``index.html`` changes (the site was rebuilt).
    """

    def __init__(self, site: Path) -> None:
        self.site = site
        self._stamp: int | None = None
        self._sources: tuple[str, ...] = ()

    def sources(self) -> tuple[str, ...]:
        try:
            stamp = (self.site / "index.html").stat().st_mtime_ns
        except OSError:
            return ()
        if stamp != self._stamp:
            self._sources = self._scan()
            self._stamp = stamp
        return self._sources

    def _scan(self) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for page in sorted(self.site.rglob("*.html")):
            for match in _INLINE_SCRIPT.finditer(page.read_bytes()):
                if _NOT_JS.search(match.group(1)):
                    continue
                digest = base64.b64encode(hashlib.sha256(match.group(2)).digest()).decode()
                found[f"'sha256-{digest}'"] = None
                if len(found) > MAX_DOCS_HASHES:
                    log.warning(
                        "Documentation : plus de %d scripts en ligne différents, les suivants "
                        "seront bloqués par la politique de sécurité du contenu.",
                        MAX_DOCS_HASHES,
                    )
                    return tuple(list(found)[:MAX_DOCS_HASHES])
        return tuple(found)


_PLACEHOLDER = "\x00"  # where the nonce goes in a prepared policy
_OWN_CODE = (f"'nonce-{_PLACEHOLDER}'",)
_FIXED = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)
_SET_HERE = frozenset(
    {b"content-security-policy", b"permissions-policy", *(name for name, _ in _FIXED)}
)
_NO_STORE = (b"cache-control", b"no-store")


class _RouteHeaders:
    """The headers of one route, prepared once: its policy (with and without nonce) and
    permissions, and the static files it serves, if any."""

    __slots__ = ("assets", "handler", "permissions", "plain", "with_nonce")

    def __init__(self, handler: Any, extra: Mapping[str, Sequence[str]], permissions: str) -> None:
        self.handler = handler
        base = _with(_BASE_POLICY, extra) if extra else dict(_BASE_POLICY)
        self.plain = render_policy(base).encode()
        own = {"script-src": _OWN_CODE, "style-src": _OWN_CODE}
        self.with_nonce = render_policy(_with(base, own))
        self.permissions = permissions.encode()
        self.assets = (getattr(handler, "opt", None) or {}).get(ASSETS_OPT)

    def policy(self, nonce: str | None) -> bytes:
        return self.with_nonce.replace(_PLACEHOLDER, nonce).encode() if nonce else self.plain


class ResponseHeaders:
    """The ``before_send`` hook that puts the security and caching headers on every answer.

    Everything that does not change from one answer to the next is prepared once (per route for
    what a route declares): an answer costs a few microseconds.
    """

    def __init__(self, *, docs_dir: Path | None = None) -> None:
        self.docs = DocsScripts(docs_dir) if docs_dir else None
        self._docs_policy: tuple[tuple[str, ...], bytes] = ((), b"")
        self._schema_policy = render_policy(_with(_BASE_POLICY, _INLINE_STYLES)).encode()
        self._default = _RouteHeaders(None, {}, permissions_header())
        self._routes: dict[int, _RouteHeaders] = {}

    async def __call__(self, message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        nonce = _nonce.get()
        if nonce is not None:
            _nonce.set(None)  # the next answer served by this task gets its own
        route = self._route(scope.get("route_handler"))
        path: str = scope.get("path", "")
        status: int = message["status"]
        cache: bytes | None = None
        if self.docs and _under(path, "/docs"):
            policy = self._docs()
            if status in _CACHEABLE:
                cache = b"no-cache"
        elif _under(path, "/schema"):
            policy = self._schema_policy
        else:
            policy = route.policy(nonce)
            if route.assets is not None and status in _CACHEABLE:
                decided = route.assets.cache_control(path, scope.get("query_string", b""))
                cache = decided.encode() if decided else None
        headers = [h for h in message.get("headers", ()) if h[0].lower() not in _SET_HERE]
        if cache is not None:
            headers = [h for h in headers if h[0].lower() != b"cache-control"]
            headers.append((b"cache-control", cache))
        elif not any(h[0].lower() == b"cache-control" for h in headers):
            headers.append(_NO_STORE)
        headers.append((b"content-security-policy", policy))
        headers.extend(_FIXED)
        headers.append((b"permissions-policy", route.permissions))
        message["headers"] = headers

    def _docs(self) -> bytes:
        hashes = self.docs.sources() if self.docs else ()
        if hashes != self._docs_policy[0] or not self._docs_policy[1]:
            extra = {**_INLINE_STYLES, "script-src": hashes}
            self._docs_policy = (hashes, render_policy(_with(_BASE_POLICY, extra)).encode())
        return self._docs_policy[1]

    def _route(self, handler: Any) -> _RouteHeaders:
        """What a route declared in its ``opt``, checked and prepared once per route handler."""
        if handler is None:
            return self._default
        prepared = self._routes.get(id(handler))
        if prepared is not None and prepared.handler is handler:
            return prepared
        opt = getattr(handler, "opt", None) or {}
        try:
            extra = csp_extra(opt.get(CSP_OPT))
            permissions = permissions_header(opt.get(PERMISSIONS_OPT))
        except ValueError as exc:
            # Fail closed: the route gets the default, strict headers.
            log.error("Route %s : en-têtes de sécurité déclarés ignorés (%s)", handler, exc)
            extra, permissions = {}, permissions_header()
        prepared = _RouteHeaders(handler, extra, permissions)
        self._routes[id(handler)] = prepared
        return prepared


_CACHEABLE = frozenset({200, 206, 304})


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")

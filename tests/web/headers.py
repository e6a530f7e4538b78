"""What every answer must carry, checked the same way by the route walk and the focused tests."""

from __future__ import annotations

import base64
import hashlib
import re

REQUIRED_DIRECTIVES = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_STYLE = re.compile(r"<style\b([^>]*)>", re.I)
_HANDLER = re.compile(r"<[a-z][^>]*\s(on[a-z]+)\s*=", re.I)
_STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
_JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)
_NONCE = re.compile(r"""\bnonce\s*=\s*["']([^"']+)["']""", re.I)


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def header_problems(response, path: str, granted: frozenset[str] = frozenset()) -> list[str]:
    """Everything wrong with the headers of one answer (empty when all is well); ``granted``:
    the browser features the route declares it needs (``opt["permissions_policy"]``), allowed
    to this site only."""
    h = response.headers
    problems = []
    policy = h.get("content-security-policy")
    if not policy:
        return ["no Content-Security-Policy"]
    found = directives(policy)
    for name, value in REQUIRED_DIRECTIVES.items():
        if found.get(name) != [value]:
            problems.append(f"CSP {name} is {found.get(name)}, expected {value}")
    for name in ("script-src",):
        bad = {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(found.get(name, []))
        if bad:
            problems.append(f"CSP {name} allows {bad}")
    if h.get("x-content-type-options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if h.get("referrer-policy") not in ("same-origin", "no-referrer"):
        problems.append(f"Referrer-Policy is {h.get('referrer-policy')}")
    permissions = h.get("permissions-policy", "")
    for feature in ("camera", "microphone", "geolocation"):
        if feature in granted:
            if f"{feature}=(self)" not in permissions:
                problems.append(f"Permissions-Policy gives {feature} beyond this site")
        elif f"{feature}=()" not in permissions:
            problems.append(f"Permissions-Policy does not refuse {feature}: {permissions!r}")
    cache = h.get("cache-control", "")
    public = (
        path.startswith("/static/") or path.startswith("/docs")
    ) and response.status_code == 200
    if not public and "no-store" not in cache:
        problems.append(f"Cache-Control is {cache!r}, expected no-store")
    if public and not (cache == "no-cache" or cache.startswith("public, max-age=31536000")):
        problems.append(f"Cache-Control of a public file is {cache!r}")
    content_type = h.get("content-type", "")
    if content_type.lower().count("charset") > 1:
        problems.append(f"Content-Type repeats its charset: {content_type!r}")
    return problems


def inline_code_problems(html: str, policy: str) -> list[str]:
    """Inline code a page carries that its policy would block (nonce, hash, handlers…)."""
    found = directives(policy)
    scripts = set(found.get("script-src", []))
    styles = set(found.get("style-src", []))
    problems = []
    for attrs, body in _SCRIPT.findall(html):
        if re.search(r"\bsrc\s*=", attrs):
            continue
        nonce = _NONCE.search(attrs)
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        if re.search(r"""type\s*=\s*["']?application/(ld\+)?json""", attrs, re.I):
            continue  # a data block, never run
        if not (nonce and f"'nonce-{nonce.group(1)}'" in scripts) and (
            f"'sha256-{digest}'" not in scripts
        ):
            problems.append(f"inline script without a valid nonce or hash: {body[:60]!r}")
    if "'unsafe-inline'" not in styles:
        for attrs in _STYLE.findall(html):
            nonce = _NONCE.search(attrs)
            if not (nonce and f"'nonce-{nonce.group(1)}'" in styles):
                problems.append("inline <style> without a valid nonce")
        if _STYLE_ATTR.search(html):
            problems.append("style= attribute (refused by the policy)")
    handler = _HANDLER.search(html)
    if handler:
        problems.append(f"inline event handler {handler.group(1)}=")
    if _JS_URL.search(html):
        problems.append("javascript: address")
    return problems

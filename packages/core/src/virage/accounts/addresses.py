"""Who is really calling: the client's address and scheme, believing forwarded headers only from
the reverse proxies named in ``VIRAGE_TRUSTED_PROXIES``.

Without trusted proxies the client is the socket's peer and ``X-Forwarded-For`` / ``Forwarded`` are
ignored (anyone can write them). Behind trusted proxies, the header chosen by
``VIRAGE_FORWARDED_HEADER`` is read from the right (the hop closest to us) and every trusted hop is
skipped: the first untrusted address is the client. Values the client wrote to the left of it are
never reached.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from litestar.types import Scope

from virage.settings import Settings

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

MAX_HOPS = 32  # a longer chain is cut: only its right end can have been written by our proxies
IPV6_PREFIX = 64  # one IPv6 customer usually holds a whole /64: count it as one address


@dataclass(frozen=True)
class Client:
    address: str
    """The client's address as the throttle counts it (IPv6: its /64 network)."""
    https: bool
    """The client reached us over HTTPS (directly or through a trusted proxy)."""


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Parse ``1.2.3.4``, ``1.2.3.4:80``, ``::1``, ``[::1]:80`` (quotes allowed); ``None`` if not an IP."""
    value = value.strip().strip('"').strip()
    if value.startswith("["):
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def address_key(raw: str) -> str:
    """The key under which an address is counted: the IPv4 address, or the IPv6 /64 network."""
    ip = _ip(raw)
    if ip is None:
        return (raw or "inconnue").strip()[:64] or "inconnue"
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


@lru_cache(maxsize=8)
def _parse_networks(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(v, strict=False) for v in values)


def _trusted(ip, networks: tuple[IPNetwork, ...]) -> bool:
    return ip is not None and any(ip.version == n.version and ip in n for n in networks)


def _headers(scope: Scope, name: bytes) -> list[str]:
    return [v.decode("latin-1") for k, v in scope.get("headers", []) if k == name]


def _forwarded_elements(scope: Scope) -> list[dict[str, str]]:
    """RFC 7239 ``Forwarded``: one dict (``for``, ``proto``…) per hop, left to right."""
    elements = []
    for line in _headers(scope, b"forwarded"):
        for element in line.split(","):
            pairs = {}
            for pair in element.split(";"):
                key, _, value = pair.partition("=")
                pairs[key.strip().lower()] = value.strip().strip('"')
            elements.append(pairs)
    return elements[-MAX_HOPS:]


def resolve(scope: Scope, settings: Settings) -> Client:
    """The client of this request (see the module's docstring)."""
    peer = (scope.get("client") or ("", 0))[0] or ""
    https = scope.get("scheme") == "https"
    networks = _parse_networks(settings.trusted_proxies)
    if not networks or not _trusted(_ip(peer), networks):
        return Client(address_key(peer), https)
    if settings.forwarded_header == "forwarded":
        hops = [(e.get("for", ""), e.get("proto", "")) for e in _forwarded_elements(scope)]
    else:
        chain = ",".join(_headers(scope, b"x-forwarded-for")).split(",")
        hops = [(value, "") for value in chain[-MAX_HOPS:] if value.strip()]
        protos = ",".join(_headers(scope, b"x-forwarded-proto")).split(",")
        if protos[-1].strip():  # written by the proxy that received the client's connection
            https = protos[-1].strip().lower() == "https"
    client = peer
    for value, proto in reversed(hops):
        client = value
        if proto:
            https = proto.lower() == "https"
        if not _trusted(_ip(value), networks):
            break
    if _ip(client) is None:  # no address where the proxy should have written one: count the proxy
        client = peer
    return Client(address_key(client), https)

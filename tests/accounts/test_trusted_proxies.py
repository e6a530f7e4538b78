"""Forwarded headers are believed only from the proxies named in VIRAGE_TRUSTED_PROXIES."""

from __future__ import annotations

import pytest

from tests.accounts.throttle_world import attempt, browser, build_ehpad, query
from virage.accounts import addresses
from virage.app import create_app
from virage.errors import ConfigurationError
from virage.settings import Settings

OFFICE = "198.51.100.7"
ATTACKER = "203.0.113.66"
PROXY = "10.0.0.5"


def _scope(peer: str, headers: dict[str, str] | None = None, scheme: str = "http") -> dict:
    return {
        "type": "http",
        "client": (peer, 50000),
        "scheme": scheme,
        "headers": [(k.lower().encode(), v.encode("latin-1")) for k, v in (headers or {}).items()],
    }


def _resolve(peer, headers=None, *, proxies=(), header="x-forwarded-for", scheme="http"):
    env = {"VIRAGE_TRUSTED_PROXIES": ",".join(proxies), "VIRAGE_FORWARDED_HEADER": header}
    settings = Settings.from_env(env)
    return addresses.resolve(_scope(peer, headers, scheme), settings)


# --------------------------------------------------------------------------- resolution


def test_without_trusted_proxies_the_peer_is_the_client():
    spoofed = {"X-Forwarded-For": OFFICE, "Forwarded": f"for={OFFICE};proto=https"}
    client = _resolve(ATTACKER, {**spoofed, "X-Forwarded-Proto": "https"})
    assert client == addresses.Client(ATTACKER, False)


def test_an_untrusted_peer_cannot_use_forwarded_headers():
    client = _resolve(ATTACKER, {"X-Forwarded-For": OFFICE}, proxies=[PROXY])
    assert client.address == ATTACKER


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client():
    # The client wrote "1.2.3.4" itself; our proxy appended the address it really saw.
    headers = {"X-Forwarded-For": f"1.2.3.4, {OFFICE}", "X-Forwarded-Proto": "https"}
    assert _resolve(PROXY, headers, proxies=["10.0.0.0/8"]) == addresses.Client(OFFICE, True)


def test_a_chain_of_trusted_proxies_is_skipped():
    headers = {"X-Forwarded-For": f"{OFFICE}, 10.1.1.1, 10.2.2.2"}
    assert _resolve(PROXY, headers, proxies=["10.0.0.0/8"]).address == OFFICE


def test_repeated_header_lines_are_one_chain():
    scope = _scope(PROXY)
    scope["headers"] = [(b"x-forwarded-for", b"1.2.3.4"), (b"x-forwarded-for", OFFICE.encode())]
    settings = Settings.from_env({"VIRAGE_TRUSTED_PROXIES": PROXY})
    assert addresses.resolve(scope, settings).address == OFFICE


def test_forwarded_header_rfc7239():
    headers = {
        "Forwarded": f'for=1.2.3.4, for="[2001:db8:cafe::17]:4711";proto=https;by={PROXY}',
        "X-Forwarded-For": "9.9.9.9",  # not the header this proxy writes: ignored
    }
    client = _resolve(PROXY, headers, proxies=[PROXY], header="Forwarded")
    assert client == addresses.Client("2001:db8:cafe::/64", True)


def test_garbage_where_the_proxy_writes_the_address_counts_on_the_proxy():
    headers = {"X-Forwarded-For": "1.2.3.4, unknown"}
    assert _resolve(PROXY, headers, proxies=[PROXY]).address == PROXY


def test_addresses_are_counted_by_ipv4_or_ipv6_network():
    assert addresses.address_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert addresses.address_key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert addresses.address_key("[2001:db8::1]:443") == "2001:db8::/64"
    assert addresses.address_key("192.0.2.1:8080") == "192.0.2.1"
    assert addresses.address_key("testclient") == "testclient"
    assert addresses.address_key("") == "inconnue"
    assert len(addresses.address_key("x" * 5000)) == 64


def test_very_long_chains_are_cut():
    chain = ", ".join(["10.9.9.9"] * 5000)
    client = _resolve(PROXY, {"X-Forwarded-For": chain}, proxies=["10.0.0.0/8"])
    assert client.address == "10.9.9.9"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"VIRAGE_TRUSTED_PROXIES": "127.0.0.1, proxy.local"}, "« proxy.local » n'est ni"),
        ({"VIRAGE_TRUSTED_PROXIES": "10.0.0.0/33"}, "« 10.0.0.0/33 »"),
        ({"VIRAGE_FORWARDED_HEADER": "X-Real-IP"}, "X-Forwarded-For ou Forwarded"),
    ],
)
def test_settings_errors_are_one_french_line(env, message):
    with pytest.raises(ConfigurationError) as info:
        Settings.from_env(env)
    assert message in info.value.message and "\n" not in info.value.message


def test_settings_accept_addresses_and_networks():
    settings = Settings.from_env({"VIRAGE_TRUSTED_PROXIES": "127.0.0.1 ::1,10.0.0.0/8"})
    assert settings.trusted_proxies == ("127.0.0.1/32", "::1/128", "10.0.0.0/8")
    assert Settings.from_env({}).trusted_proxies == ()


# --------------------------------------------------------------------------- over HTTP


def test_a_spoofed_forwarded_for_cannot_lock_the_director_out(tmp_path):
    ehpad = build_ehpad(tmp_path)
    app = create_app(ehpad.settings)
    attacker = browser(app, ATTACKER)
    spoof = {"X-Forwarded-For": OFFICE}
    for _ in range(5):
        assert attempt(attacker, "directrice", "devinette", headers=spoof).status_code == 401
    assert attempt(attacker, "directrice", "devinette", headers=spoof).status_code == 429
    assert attempt(browser(app, OFFICE), "directrice").status_code == 303
    assert query(ehpad.settings, "SELECT DISTINCT address FROM login_attempts") == [(ATTACKER,)]


def test_behind_the_configured_proxy_each_client_is_counted_apart(tmp_path):
    ehpad = build_ehpad(tmp_path, trusted_proxies=("10.0.0.0/8",))
    app = create_app(ehpad.settings)
    proxy = browser(app, PROXY)  # every request arrives from the proxy
    attacker = {"X-Forwarded-For": f"{OFFICE}, {ATTACKER}"}
    for _ in range(5):
        attempt(proxy, "directrice", "devinette", headers=attacker)
    assert attempt(proxy, "directrice", headers=attacker).status_code == 429
    office = browser(app, PROXY, https=True)  # the proxy terminates TLS for the browser
    r = attempt(
        office, "directrice", headers={"X-Forwarded-For": OFFICE, "X-Forwarded-Proto": "https"}
    )
    assert r.status_code == 303
    # The session and the browser's device cookie travel over TLS only.
    cookies = r.headers.get_list("set-cookie")
    for name in ("virage_session=", "virage_appareil="):
        assert any(c.startswith(name) and "Secure" in c for c in cookies), (name, cookies)
    # The framework's CSRF cookie too, on any page the proxy serves over TLS.
    page = browser(app, PROXY, https=True).get(
        "/connexion", headers={"X-Forwarded-For": OFFICE, "X-Forwarded-Proto": "https"}
    )
    csrf = [c for c in page.headers.get_list("set-cookie") if c.startswith("virage_csrf=")]
    assert csrf and all("; Secure" in c for c in csrf), csrf


def test_x_forwarded_proto_from_a_client_is_ignored(tmp_path):
    ehpad = build_ehpad(tmp_path)
    app = create_app(ehpad.settings)
    r = attempt(browser(app, OFFICE), "directrice", headers={"X-Forwarded-Proto": "https"})
    assert r.status_code == 303
    assert not any("Secure" in c for c in r.headers.get_list("set-cookie"))
    page = browser(app, OFFICE).get("/connexion", headers={"X-Forwarded-Proto": "https"})
    assert not any("Secure" in c for c in page.headers.get_list("set-cookie"))

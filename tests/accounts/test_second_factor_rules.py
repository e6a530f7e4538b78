"""The rules of the second factor, function by function: who must give it, the structures'
networks, codes of an app (RFC 6238 test secret), recovery codes."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from tests.accounts.conftest import World
from virage.access import ROLES
from virage.accounts import second_factor, second_factor_storage, storage
from virage.app import build_registry
from virage.db import connect
from virage.errors import InvalidInput
from virage.plugins import PluginHost

T0 = datetime(2026, 12, 1, 9, 0, 5, tzinfo=UTC)


@pytest.fixture
def db(world: World):
    conn = connect(world.settings.db_path)
    yield conn
    conn.close()


@pytest.fixture
def registry(world: World):
    return build_registry(PluginHost(world.settings))


# --------------------------------------------------------------------------- who


def test_every_role_that_reads_health_data_needs_it(registry):
    health = second_factor.health_roles(registry)
    assert set(ROLES) - health == {"secretariat"}
    # The domains' and plugins' own health permissions add no role outside that set.
    for name in ("transmissions.read", "agenda.notes.read", "orientation.medical.read"):
        try:
            assert registry.roles_with(name) <= health, name
        except KeyError:  # plugin not installed in this run
            continue


def test_reasons(db, world, registry):
    user = storage.get_user_by_username(db, "nurse_a")
    reasons = second_factor.required_reasons(db, registry, user, "192.168.1.5")
    assert reasons[0].startswith("Votre rôle (Infirmier·e) donne accès à des informations de santé")
    secretary = storage.get_user_by_username(db, "secretary_a")
    assert second_factor.required_reasons(db, registry, secretary, "192.168.1.5") == (
        "SSIAD A demande un second facteur à chaque connexion.",
    )
    second_factor_storage.set_structure_rule(
        db, world.structures["a"], "hors_reseaux", ["192.168.1.0/24"]
    )
    assert second_factor.required_reasons(db, registry, secretary, "192.168.1.5") == ()
    assert second_factor.required_reasons(db, registry, secretary, "203.0.113.1") == (
        "Vous vous connectez hors des réseaux de SSIAD A : un second facteur est demandé.",
    )
    admin = storage.get_user_by_username(db, "admin")
    assert "administrez le réseau" in second_factor.required_reasons(db, registry, admin, "x")[0]


def test_a_demo_database_imposes_nothing_but_an_enrolled_account_still_gives_it(db, registry):
    user = storage.get_user_by_username(db, "nurse_a")
    db.execute("DELETE FROM security_keys WHERE user_id = ?", [user["id"]])
    assert second_factor.need(db, registry, user, "x").second_step
    db.execute("INSERT INTO instance (key, value) VALUES ('demo', '1')")
    need = second_factor.need(db, registry, user, "x")
    assert need.reasons and not need.required and not need.second_step
    other = storage.get_user_by_username(db, "nurse2_a")  # holds a key
    assert second_factor.need(db, registry, other, "x").second_step


# --------------------------------------------------------------------------- networks


def test_networks_as_a_director_types_them():
    typed = "192.168.10.0/24, 10.1.2.3\n2001:db8:12::/48 ;192.168.10.7/24"
    assert second_factor.parse_networks(typed) == [
        "192.168.10.0/24",
        "10.1.2.3/32",
        "2001:db8:12::/48",
    ]
    assert second_factor.parse_networks("  ") == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("192.168.300.1", "« 192.168.300.1 » n'est ni une adresse IP ni un réseau"),
        ("0.0.0.0/0", "désigne tout Internet"),
        ("::/0", "désigne tout Internet"),
        (" ".join(f"10.0.{i}.0/24" for i in range(51)), "au plus 50"),
    ],
)
def test_bad_networks_are_refused_with_a_reason(typed, message):
    with pytest.raises(InvalidInput, match=message):
        second_factor.parse_networks(typed)


@pytest.mark.parametrize(
    ("address", "inside"),
    [
        ("192.168.10.20", True),
        ("192.168.11.20", False),
        ("2001:db8:12:34::/64", True),  # an IPv6 client is counted by its /64
        ("2001:db8:13::/64", False),
        ("testclient", False),
        ("inconnue", False),
    ],
)
def test_a_client_inside_or_outside(address, inside):
    networks = ["192.168.10.0/24", "2001:db8:12::/48"]
    assert second_factor.in_networks(address, networks) is inside


# --------------------------------------------------------------------------- apps


def test_an_app_code_is_valid_one_step_around_and_once(db):
    user = storage.get_user_by_username(db, "nurse_a")
    enrolment = second_factor.pending_app(db, user, "session:x", T0)
    assert enrolment.uri.startswith("otpauth://totp/Virage:nurse_a?secret=")
    assert enrolment.grouped.replace(" ", "") == enrolment.secret
    totp = pyotp.TOTP(enrolment.secret)
    assert not second_factor.confirm_app(db, user["id"], "session:y", totp.at(T0), T0)
    assert not second_factor.confirm_app(db, user["id"], "session:x", "12345", T0)
    assert second_factor.confirm_app(db, user["id"], "session:x", totp.at(T0), T0)
    step = timedelta(seconds=30)
    # the enrolment's code cannot log in; the next ones can, once each
    assert not second_factor.verify_app(db, user["id"], totp.at(T0), T0)
    assert second_factor.verify_app(db, user["id"], totp.at(T0 + step), T0)
    assert not second_factor.verify_app(db, user["id"], totp.at(T0 + step), T0 + step)
    later = T0 + 10 * step
    assert not second_factor.verify_app(db, user["id"], totp.at(later - 2 * step), later)
    assert not second_factor.verify_app(db, user["id"], totp.at(later + 2 * step), later)
    assert second_factor.verify_app(
        db, user["id"], f" {totp.at(later)[:3]} {totp.at(later)[3:]}", later
    )
    assert not second_factor.verify_app(db, user["id"], "abcdef", later)


def test_a_security_key_counter_takes_every_32_bit_value(db):
    # WebAuthn's signature counter is unsigned 32-bit: some keys start high (a timestamp).
    user = storage.get_user_by_username(db, "nurse_a")
    top = 2**32 - 1
    key_id = second_factor_storage.add_key(
        db,
        user_id=user["id"],
        credential_id="compteur-haut",
        public_key=b"\x01\x02",
        sign_count=top - 1,
        rp_id="testserver.local",
        name="Clé au compteur élevé",
        at=T0.isoformat(),
    )
    second_factor_storage.key_used(db, key_id, top, T0.isoformat())
    [key] = [k for k in second_factor_storage.keys_of(db, user["id"]) if k["id"] == key_id]
    assert (key["sign_count"], bytes(key["public_key"])) == (top, b"\x01\x02")


def test_rfc_6238_reference_code():
    # RFC 6238, appendix B: SHA-1 secret "12345678901234567890", T = 59 s → 94287082 (8 digits).
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert pyotp.TOTP(secret, digits=8).at(59) == "94287082"
    assert (
        second_factor._matching_step(
            secret, pyotp.TOTP(secret).at(59), datetime.fromtimestamp(59, UTC)
        )
        == 1
    )


# --------------------------------------------------------------------------- recovery codes


def test_recovery_codes(db):
    user = storage.get_user_by_username(db, "nurse_a")
    codes = second_factor.new_recovery_codes(db, user["id"], T0)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(c) == 14 and c.count("-") == 2 for c in codes)
    assert not set("ilo01") & set("".join(codes))
    assert second_factor.use_recovery_code(db, user["id"], codes[0], T0) == 9
    assert second_factor.use_recovery_code(db, user["id"], codes[0], T0) is None
    assert second_factor.use_recovery_code(db, user["id"], codes[1].upper(), T0) == 8
    assert second_factor.use_recovery_code(db, user["id"], "x" * 10_000, T0) is None
    other = storage.get_user_by_username(db, "nurse2_a")
    assert second_factor.use_recovery_code(db, other["id"], codes[2], T0) is None
    state = second_factor.status(db, user["id"])
    assert (state.recovery_unused, state.recovery_used) == (8, 2)
    fresh = second_factor.new_recovery_codes(db, user["id"], T0)
    assert second_factor.use_recovery_code(db, user["id"], codes[3], T0) is None
    assert second_factor.use_recovery_code(db, user["id"], fresh[0], T0) == 9

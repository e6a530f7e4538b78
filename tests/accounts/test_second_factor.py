"""The second factor of a password log-in, through the pages: enrolment right after the password,
codes from an app (each accepted once), recovery codes, the half-logged-in step (short, bound to
the browser, throttled), security keys, the structure's rule, the demo, the reset command, and
API tokens left as they are."""

from __future__ import annotations

import json
from datetime import timedelta

import pyotp
import pytest
from litestar.testing import TestClient

from tests.accounts.conftest import bearer, csrf_from, login, password_step
from tests.accounts.second_factor_world import (
    STEP,
    answer,
    audit_actions,
    codes_in,
    enrol_app_at_login,
    install_clock,
    new_account,
    secret_in,
    text,
)
from tests.accounts.soft_key import SoftKey, options_in
from tests.accounts.sql import query
from tests.accounts.throttle_world import Peer, browser
from virage.accounts import login_steps, throttle
from virage.cli import main
from virage.db import connect


@pytest.fixture
def clock(monkeypatch):
    return install_clock(monkeypatch)


def rows(world, sql, params=()):
    return query(world.settings.db_path, sql, params)


def session_cookie(client) -> str | None:
    return client.cookies.get("virage_session")


# --------------------------------------------------------------------------- enrolment at log-in


def test_a_nurse_without_second_factor_enrols_right_after_the_password(client, world, clock):
    uid = new_account(world, "nina", "nurse")
    r = password_step(client, "nina")
    assert r.status_code == 303 and r.headers["location"] == STEP
    assert session_cookie(client) is None
    # Half logged in: nothing else opens.
    for page in ("/moi", f"/personnes/{world.persons['p1']}", "/moi/second-facteur"):
        blocked = client.get(page, follow_redirects=False)
        assert blocked.status_code in (302, 303) and "/connexion" in blocked.headers["location"]
    page = client.get(STEP)
    said = text(page.text)
    assert "Votre rôle (Infirmier·e) donne accès à des informations de santé" in said
    assert "<svg" in page.text and "Code QR" in page.text
    secret = secret_in(page.text)
    assert rows(world, "SELECT count(*) FROM sessions WHERE user_id = ?", [uid]) == [(0,)]
    # A wrong code: the page again, nothing enrolled.
    wrong = client.post(
        f"{STEP}/application",
        data={"code": "000000", "_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert wrong.status_code == 400 and "Ce code n'est pas le bon" in text(wrong.text)
    assert secret_in(wrong.text) == secret  # the same QR code while the page is reloaded
    done = client.post(
        f"{STEP}/application",
        data={"code": clock.code(secret), "_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 200
    codes = codes_in(done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "ne seront plus jamais affichés" in text(done.text)
    assert session_cookie(client) and client.get("/moi").status_code == 200
    actions = [a for a, *_ in audit_actions(world, uid)]
    assert actions == [
        "accounts.login.password",
        "accounts.second_factor.enrolled",
        "accounts.login",
    ]
    # Only digests of the recovery codes are stored.
    stored = [h for (h,) in rows(world, "SELECT code_hash FROM recovery_codes")]
    assert len(stored) == 10 and not set(codes) & set(stored)


def test_codes_from_the_app_are_accepted_once(client, world, clock):
    new_account(world, "nina", "nurse")
    secret, _codes = enrol_app_at_login(client, "nina", clock)
    client.cookies.clear()
    clock.next_step()
    assert password_step(client, "nina").headers["location"] == STEP
    page = client.get(STEP)
    assert "Code à 6 chiffres de votre application" in text(page.text)
    code = clock.code(secret)
    ok = answer(client, "application", code)
    assert ok.status_code == 303 and ok.headers["location"] == "/moi"
    assert session_cookie(client)
    # The same code again (seen over a shoulder, replayed): refused.
    client.cookies.clear()
    password_step(client, "nina")
    replay = answer(client, "application", code)
    assert replay.status_code == 401 and "déjà servi" in text(replay.text)
    assert session_cookie(client) is None


def test_a_code_of_the_previous_or_next_step_passes_but_not_further(client, world, clock):
    new_account(world, "nina", "nurse")
    secret, _ = enrol_app_at_login(client, "nina", clock)
    enrolled_at = clock.now
    for _ in range(3):
        clock.next_step()
    totp = pyotp.TOTP(secret)
    client.cookies.clear()
    password_step(client, "nina")
    two_behind = totp.at(enrolled_at + timedelta(seconds=30))
    assert answer(client, "application", two_behind).status_code == 401
    one_behind = totp.at(clock.now - timedelta(seconds=30))  # typed as the step turned
    assert answer(client, "application", one_behind).status_code == 303
    client.cookies.clear()
    password_step(client, "nina")
    one_ahead = totp.at(clock.now + timedelta(seconds=30))  # a phone a little fast
    assert answer(client, "application", one_ahead).status_code == 303


def test_recovery_codes_are_single_use_and_the_count_is_told(client, world, clock):
    uid = new_account(world, "nina", "nurse")
    _secret, codes = enrol_app_at_login(client, "nina", clock)
    client.cookies.clear()
    password_step(client, "nina")
    used = answer(client, "secours", codes[0].upper().replace("-", " "))  # as typed from paper
    assert used.status_code == 200
    said = text(used.text)
    assert "Ce code ne servira plus. Il vous reste 9 codes de secours." in said
    assert session_cookie(client)
    client.cookies.clear()
    password_step(client, "nina")
    again = answer(client, "secours", codes[0])
    assert again.status_code == 401 and "il a déjà servi" in text(again.text)
    second = [
        (a, o, json.loads(d))
        for a, o, d in audit_actions(world, uid)
        if a.startswith("accounts.second_factor.") and not a.endswith("enrolled")
    ]
    assert second == [
        ("accounts.second_factor.recovery_used", "allowed", {"methode": "secours", "restants": 9}),
        ("accounts.second_factor.failed", "denied", {"methode": "secours"}),
    ]


def test_the_last_recovery_code_says_none_is_left(client, world, clock):
    _uid = new_account(world, "nina", "nurse")
    _secret, codes = enrol_app_at_login(client, "nina", clock)
    for i, code in enumerate(codes):
        client.cookies.clear()
        password_step(client, "nina")
        r = answer(client, "secours", code)
        assert r.status_code == 200, i
    assert "Il ne vous reste aucun code de secours." in text(r.text)


# --------------------------------------------------------------------------- the step itself


def test_the_step_is_bound_to_the_browser_that_gave_the_password(app, world, clock):
    new_account(world, "nina", "nurse")
    with TestClient(app) as mine, TestClient(app) as other:
        password_step(mine, "nina")
        r = other.get(STEP, follow_redirects=False)
        assert r.headers["location"] == "/connexion?motif=etape-expiree"
        other.cookies.set(login_steps.STEP_COOKIE, "invente" * 6, domain="testserver.local")
        assert other.get(STEP, follow_redirects=False).status_code == 303
        assert mine.get(STEP).status_code == 200


def test_the_step_expires(client, world, clock):
    new_account(world, "nina", "nurse")
    password_step(client, "nina")
    assert client.get(STEP).status_code == 200
    clock.now += login_steps.LIFETIME
    assert client.get(STEP).status_code == 200  # ten minutes exactly: still there
    clock.now += timedelta(seconds=1)
    r = client.get(STEP, follow_redirects=False)
    assert r.headers["location"] == "/connexion?motif=etape-expiree"
    assert "délai pour donner votre second facteur est dépassé" in text(
        client.get(r.headers["location"]).text
    )


def test_five_wrong_codes_end_the_step_and_the_throttle_counts_them(client, world, clock):
    new_account(world, "nina", "nurse")
    _secret, _ = enrol_app_at_login(client, "nina", clock)
    client.cookies.clear()
    password_step(client, "nina")
    for _ in range(login_steps.MAX_FAILURES - 1):
        assert answer(client, "application", "123456").status_code == 401
    last = answer(client, "application", "123456")
    assert last.status_code == 401 and "Trop de codes erronés" in text(last.text)
    assert client.get(STEP, follow_redirects=False).status_code == 303
    # Those failures count for the pair (account, browser): the password now waits too.
    assert rows(world, "SELECT count(*) FROM login_attempts WHERE account = 'nina'") == [(5,)]
    again = password_step(client, "nina")
    assert again.status_code == 429 and "retry-after" in again.headers


def test_a_right_password_neither_clears_failures_nor_makes_the_browser_known(client, world, clock):
    uid = new_account(world, "nina", "nurse")
    enrol_app_at_login(client, "nina", clock)
    known = rows(world, "SELECT count(*) FROM login_known_sources WHERE user_id = ?", [uid])
    attacker = browser(client.app, "203.0.113.66")  # knows the password, not the phone
    for _ in range(2):
        password_step(attacker, "nina")
        assert answer(attacker, "application", "111111").status_code == 401
    password_step(attacker, "nina")  # right password again: the failures stay
    assert rows(
        world,
        "SELECT count(*) FROM login_attempts WHERE account = 'nina' AND address = ?",
        ["203.0.113.66"],
    ) == [(2,)]
    assert rows(world, "SELECT count(*) FROM login_known_sources WHERE user_id = ?", [uid]) == known


def test_a_waiting_pair_is_refused_before_the_code_is_checked(client, world, clock):
    new_account(world, "nina", "nurse")
    secret, _ = enrol_app_at_login(client, "nina", clock)
    client.cookies.clear()
    client.cookies.set(throttle.DEVICE_COOKIE, "d" * 43, domain="testserver.local")
    password_step(client, "nina")
    db = connect(world.settings.db_path)
    for _ in range(throttle.FREE_FAILURES):
        db.execute(
            "INSERT INTO login_attempts (account, source, address, trusted, at)"
            " VALUES ('nina', ?, 'testclient', 0, ?)",
            [throttle.address_source("testclient"), clock.now.isoformat()],
        )
    db.close()
    clock.next_step()
    r = answer(client, "application", clock.code(secret))
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert "Trop de tentatives" in text(r.text) and session_cookie(client) is None


# --------------------------------------------------------------------------- security keys


def test_a_security_key_is_enrolled_and_then_used(client, world, clock):
    uid = new_account(world, "nina", "nurse")
    key = SoftKey()
    password_step(client, "nina")
    page = client.get(STEP)
    options = options_in(page.text, "create")
    done = client.post(
        f"{STEP}/cle",
        data={
            "credential": key.register(options),
            "name": "Clé bleue",
            "_csrf_token": csrf_from(page.text),
        },
        follow_redirects=False,
    )
    assert done.status_code == 200 and len(codes_in(done.text)) == 10
    client.cookies.clear()
    password_step(client, "nina")
    page = client.get(STEP)
    assert "Utiliser ma clé de sécurité" in text(page.text)
    assert "Code à 6 chiffres" not in text(page.text)  # no app enrolled
    r = answer(client, "cle", credential=key.sign(options_in(page.text, "get")), page=page)
    assert r.status_code == 303 and session_cookie(client)
    assert [a for a, *_ in audit_actions(world, uid)][-2:] == [
        "accounts.second_factor.used",
        "accounts.login",
    ]
    assert rows(
        world, "SELECT name, sign_count > 0 FROM security_keys WHERE user_id = ?", [uid]
    ) == [("Clé bleue", 1)]


@pytest.mark.parametrize("forgery", ["other challenge", "other site", "other key", "garbage"])
def test_forged_key_answers_are_refused(client, world, clock, forgery):
    new_account(world, "nina", "nurse")
    key = SoftKey()
    password_step(client, "nina")
    page = client.get(STEP)
    client.post(
        f"{STEP}/cle",
        data={
            "credential": key.register(options_in(page.text, "create")),
            "_csrf_token": csrf_from(page.text),
        },
    )
    client.cookies.clear()
    password_step(client, "nina")
    page = client.get(STEP)
    options = options_in(page.text, "get")
    credential = {
        "other challenge": lambda: key.sign(options, challenge="AAAAAAAAAAAAAAAAAAAAAA"),
        "other site": lambda: key.sign(options, origin="https://hameconnage.example"),
        "other key": lambda: SoftKey().sign(options),
        "garbage": lambda: "{pas du json",
    }[forgery]()
    r = answer(client, "cle", credential=credential, page=page)
    assert r.status_code == 401 and "La clé de sécurité n'a pas été reconnue" in text(r.text)
    assert session_cookie(client) is None
    # The genuine answer to the new page passes: only the forgery was refused.
    page = client.get(STEP)
    r = answer(client, "cle", credential=key.sign(options_in(page.text, "get")), page=page)
    assert r.status_code == 303


def test_no_key_is_offered_on_an_ip_address(app, world, clock):
    new_account(world, "nina", "nurse")
    with TestClient(app, base_url="http://127.0.0.1") as c:
        password_step(c, "nina")
        page = c.get(STEP)
        assert 'data-webauthn="create"' not in page.text and "cle-application" in page.text


# --------------------------------------------------------------------------- the structure's rule


def _rule(world, policy: str, networks: list[str], structure: str = "a") -> None:
    db = connect(world.settings.db_path)
    db.execute(
        "UPDATE structures SET second_factor_policy = ?, local_networks = ? WHERE id = ?",
        [policy, json.dumps(networks), world.structures[structure]],
    )
    db.close()


def test_secretariat_follows_the_structure_rule(app, world, clock):
    new_account(world, "lea", "secretariat")
    office = TestClient(app)
    office.app = Peer(app, "192.168.10.20")
    home = TestClient(app)
    home.app = Peer(app, "203.0.113.9")
    with office, home:
        # « toujours » (the default): even from the office.
        assert password_step(office, "lea").headers["location"] == STEP
        _rule(world, "hors_reseaux", ["192.168.10.0/24"])
        office.cookies.clear()
        r = password_step(office, "lea")
        assert r.headers["location"] == "/moi" and session_cookie(office)
        r = password_step(home, "lea")
        assert r.headers["location"] == STEP
        said = text(home.get(STEP).text)
        assert "Vous vous connectez hors des réseaux de SSIAD A" in said


def test_roles_reading_health_data_give_it_even_inside_the_networks(app, world, clock):
    new_account(world, "nina", "nurse")
    _rule(world, "hors_reseaux", ["192.168.10.0/24"])
    office = TestClient(app)
    office.app = Peer(app, "192.168.10.20")
    with office:
        assert password_step(office, "nina").headers["location"] == STEP


def test_an_enrolled_account_always_gives_it(app, world, clock):
    new_account(world, "lea", "secretariat")
    _rule(world, "hors_reseaux", ["192.168.10.0/24"])
    home = TestClient(app)
    home.app = Peer(app, "203.0.113.9")
    with home:
        enrol_app_at_login(home, "lea", clock)
    office = TestClient(app)
    office.app = Peer(app, "192.168.10.20")
    with office:
        assert password_step(office, "lea").headers["location"] == STEP


def test_network_administrators_always_give_it(client, world, clock):
    db = connect(world.settings.db_path)
    db.execute("DELETE FROM security_keys WHERE user_id = ?", [world.users["admin"]])
    db.close()
    r = password_step(client, "admin")
    assert r.headers["location"] == STEP
    assert "Vous administrez le réseau" in text(client.get(STEP).text)


def test_on_a_demo_database_it_is_offered_not_imposed(client, world, clock):
    db = connect(world.settings.db_path)
    db.execute("INSERT INTO instance (key, value) VALUES ('demo', '1')")
    db.close()
    new_account(world, "nina", "nurse", read_notice=False)
    r = password_step(client, "nina")
    assert r.headers["location"] == "/moi" and session_cookie(client)
    page = text(client.get("/moi/second-facteur").text)
    assert "Base de démonstration : le second facteur est proposé, pas imposé." in page
    # Enrolled, the demo account gives it like any other.
    assert login(client, "nurse_a").headers["location"] == "/moi"


# --------------------------------------------------------------------------- « Mon second facteur »


def test_replacing_the_app_after_losing_the_phone(client, world, clock):
    uid = new_account(world, "nina", "nurse")
    old_secret, codes = enrol_app_at_login(client, "nina", clock)
    client.cookies.clear()
    password_step(client, "nina")
    assert answer(client, "secours", codes[3]).status_code == 200
    page = client.get("/moi/second-facteur")
    said = text(page.text)
    assert "Remplacer mon application" in said and "9 sur 10 encore utilisables" in said
    new_secret = secret_in(page.text)
    assert new_secret != old_secret
    clock.next_step()
    r = client.post(
        "/moi/second-facteur/application",
        data={"code": clock.code(new_secret), "_csrf_token": csrf_from(page.text)},
    )
    assert r.status_code == 200 and "l'ancienne ne donne plus de code valable" in text(r.text)
    client.cookies.clear()
    clock.next_step()
    password_step(client, "nina")
    assert answer(client, "application", clock.code(old_secret)).status_code == 401
    password_step(client, "nina")
    assert answer(client, "application", clock.code(new_secret)).status_code == 303
    enrolled = [json.loads(d) for a, _, d in audit_actions(world, uid) if a.endswith("enrolled")]
    assert [e["remplace"] for e in enrolled[1:]] == [True]


def test_new_recovery_codes_void_the_old_ones(client, world, clock):
    new_account(world, "nina", "nurse")
    _secret, old = enrol_app_at_login(client, "nina", clock)
    page = client.get("/moi/second-facteur")
    r = client.post(
        "/moi/second-facteur/codes-de-secours", data={"_csrf_token": csrf_from(page.text)}
    )
    new = codes_in(r.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert "Les codes que vous aviez avant ne servent plus" in text(r.text)
    client.cookies.clear()
    password_step(client, "nina")
    assert answer(client, "secours", old[0]).status_code == 401
    assert answer(client, "secours", new[0]).status_code == 200


def test_the_only_key_of_a_required_account_cannot_be_removed(client, world):
    login(client, "nurse_a")
    page = client.get("/moi/second-facteur")
    key_id = rows(world, "SELECT id FROM security_keys WHERE user_id = ?", [world.users["nurse_a"]])
    r = client.post(
        f"/moi/second-facteur/cle/{key_id[0][0]}/retirer",
        data={"_csrf_token": csrf_from(page.text)},
    )
    assert r.status_code == 409 and "seul second facteur" in text(r.text)
    other = client.post(
        "/moi/second-facteur/cle/999999/retirer", data={"_csrf_token": csrf_from(page.text)}
    )
    assert other.status_code == 404


def test_my_records_show_the_second_factor(client, world, clock):
    new_account(world, "nina", "nurse")
    enrol_app_at_login(client, "nina", clock)
    page = text(client.get("/moi/enregistrements").text)
    assert "Application d'authentification : enregistrée le" in page
    assert "Codes de secours : 10 encore utilisables" in page
    assert "Second facteur enregistré" in page  # the journal, in French


# --------------------------------------------------------------------------- reset, API


def test_the_network_administration_resets_a_second_factor(
    client, world, clock, monkeypatch, capsys
):
    uid = new_account(world, "nina", "nurse")
    enrol_app_at_login(client, "nina", clock)
    assert client.get("/moi").status_code == 200
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    assert main(["users", "reset-2fa", "nina"]) == 0
    out = capsys.readouterr().out
    assert "Second facteur de nina réinitialisé" in out and "sessions ont été fermées" in out
    assert client.get("/moi", follow_redirects=False).status_code in (302, 303)
    for table in ("totp_apps", "security_keys", "recovery_codes"):
        assert rows(world, f"SELECT count(*) FROM {table} WHERE user_id = ?", [uid]) == [(0,)]
    entry = rows(
        world,
        "SELECT actor_label, target, details FROM audit_log"
        " WHERE action = 'accounts.second_factor.reset'",
    )
    assert entry[0][:2] == ("ligne de commande", f"user:{uid}")
    assert json.loads(entry[0][2]) == {
        "application": True,
        "cles": 0,
        "codes_de_secours_restants": 10,
    }
    # At the next log-in, a new enrolment.
    client.cookies.clear()
    password_step(client, "nina")
    assert "Protégez votre compte" in text(client.get(STEP).text)
    assert main(["users", "reset-2fa", "inconnue"]) == 1
    assert capsys.readouterr().err.strip() == "Erreur : Compte « inconnue » introuvable."


def test_api_tokens_are_not_asked_for_a_second_factor(client, world):
    db = connect(world.settings.db_path)
    db.execute("DELETE FROM security_keys WHERE user_id = ?", [world.users["nurse_a"]])
    db.close()
    r = client.get(f"/api/v1/persons/{world.persons['p1']}", headers=bearer(world, "nurse_a"))
    assert r.status_code == 200 and r.json()["health_notes"]


def test_a_pending_secret_belongs_to_the_browser_it_was_shown_to(app, world, clock):
    """Someone else who knows the password can neither use nor replace an enrolment under way."""
    new_account(world, "nina", "nurse")
    with TestClient(app) as nina, TestClient(app) as intruder:
        password_step(nina, "nina")
        mine = secret_in(nina.get(STEP).text)
        password_step(intruder, "nina")
        page = intruder.get(STEP)
        assert secret_in(page.text) != mine
        stolen = intruder.post(
            f"{STEP}/application",
            data={"code": clock.code(mine), "_csrf_token": csrf_from(page.text)},
        )
        assert stolen.status_code == 400
        page = nina.get(STEP)
        assert secret_in(page.text) == mine
        r = nina.post(
            f"{STEP}/application",
            data={"code": clock.code(mine), "_csrf_token": csrf_from(page.text)},
        )
        assert r.status_code == 200 and len(codes_in(r.text)) == 10

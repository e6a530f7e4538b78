"""Safeguards of the account pages, by attack: guessing the current password on « Changer mon mot
de passe » waits like guessing at the log-in; « Désactiver le compte » asks for a confirmation
(without JavaScript); the browser hint of « Mes sessions » is kept from the log-in on, as a short
label, never the User-Agent itself."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tests.accounts.conftest import PASSWORD, csrf_from, login
from tests.accounts.sql import query
from virage.accounts import throttle

BASE = "/administration/comptes"
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/126.0.0.0 Mobile Safari/537.36"
)
NEW = "un-nouveau-mot-de-passe-2026"


def _change(client, current: str, new: str = NEW):
    page = client.get("/moi/mot-de-passe")
    return client.post(
        "/moi/mot-de-passe",
        data={"_csrf_token": csrf_from(page.text), "current": current, "new": new, "confirm": new},
    )


def _checks(world) -> list[tuple]:
    return query(
        world.settings.db_path,
        "SELECT account FROM login_attempts WHERE source = ?",
        [throttle.PASSWORD_CHECK],
    )


def _age_checks(world, minutes: int) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=minutes)).replace(microsecond=0).isoformat()
    query(
        world.settings.db_path,
        "UPDATE login_attempts SET at = ? WHERE source = ?",
        [past, throttle.PASSWORD_CHECK],
    )


# --------------------------------------------------------------------------- current password


def test_guessing_the_current_password_waits(client, world, app):
    login(client, "nurse_a")
    for i in range(throttle.FREE_FAILURES):
        r = _change(client, f"essai-{i}")
        assert r.status_code == 400 and "n&#39;est pas le bon" in r.text
    # Now even the right password waits: refused before any check, in French, with Retry-After.
    r = _change(client, PASSWORD)
    assert r.status_code == 429
    assert "Trop d&#39;essais du mot de passe actuel" in r.text and "patientez 1 minute" in r.text
    assert int(r.headers["retry-after"]) > 0
    assert len(_checks(world)) == throttle.FREE_FAILURES  # the refused one did not count
    # Nothing changed: the old password still logs in, and the log-in is not slowed down by it.
    from litestar.testing import TestClient

    with TestClient(app) as other:
        assert login(other, "nurse_a").status_code in (200, 303)
        assert other.get("/moi").status_code == 200
    # Every refusal is in the journal, the wait with its reason.
    rows = query(
        world.settings.db_path,
        "SELECT outcome, details FROM audit_log WHERE action = 'accounts.password.refused'"
        " ORDER BY id",
    )
    assert [o for o, _ in rows] == ["denied"] * (throttle.FREE_FAILURES + 1)
    assert json.loads(rows[-1][1]) == {"raison": "trop d'essais, attente imposée"}
    # After the wait, the right password is accepted and the failures are forgotten.
    _age_checks(world, 20)
    r = _change(client, PASSWORD)
    assert r.status_code == 200 and "Votre mot de passe est changé" in r.text
    assert _checks(world) == []


def test_a_right_password_forgets_earlier_failures(client, world):
    login(client, "nurse2_a")
    for i in range(throttle.FREE_FAILURES - 1):
        assert _change(client, f"essai-{i}").status_code == 400
    assert _change(client, PASSWORD).status_code == 200
    assert _checks(world) == []
    # Her page shows the failed checks with her log-in failures (nothing hidden from her).
    for i in range(2):
        assert _change(client, f"encore-{i}").status_code == 400
    assert len(_checks(world)) == 2
    mine = client.get("/moi/enregistrements").text
    assert mine.count("depuis l'adresse") >= 2


def test_the_wait_is_per_account(client, world, app):
    login(client, "nurse_a")
    for i in range(throttle.FREE_FAILURES):
        _change(client, f"essai-{i}")
    assert _change(client, "encore").status_code == 429
    client.cookies.clear()
    login(client, "care_a")  # another account, same address: not slowed down
    assert _change(client, PASSWORD).status_code == 200


# --------------------------------------------------------------------------- deactivation


def test_deactivation_asks_for_a_confirmation_first(client, world):
    care = world.users["care_a"]
    login(client, "director_a")
    account = client.get(f"{BASE}/{care}").text
    assert f'<form method="get" action="{BASE}/{care}/desactiver">' in account
    page = client.get(f"{BASE}/{care}/desactiver")
    assert page.status_code == 200
    text = page.text
    assert "Désactiver le compte de care a ?" in text
    assert "Rien n'est effacé" in text
    assert "1 jeton d&#39;API est révoqué" in text and "aucune session n'est ouverte" in text
    assert "Confirmer la désactivation" in text and f'href="{BASE}/{care}">Annuler</a>' in text
    # Opening the confirmation changes nothing.
    assert query(world.settings.db_path, "SELECT active FROM users WHERE id = ?", [care]) == [(1,)]
    r = client.post(
        f"{BASE}/{care}/desactiver",
        data={"_csrf_token": csrf_from(text)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert query(world.settings.db_path, "SELECT active FROM users WHERE id = ?", [care]) == [(0,)]
    # Already deactivated: the confirmation leads back to the account.
    again = client.get(f"{BASE}/{care}/desactiver", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == f"{BASE}/{care}"


def test_the_confirmation_page_is_refused_to_whoever_may_not_deactivate(client, world):
    care, coord_b = world.users["care_a"], world.users["coord_b"]
    for user in ("nurse_a", "coord_a", "dpo_a", "secretary_a", "nurse_b"):
        client.cookies.clear()
        login(client, user)
        assert client.get(f"{BASE}/{care}/desactiver").status_code == 403, user
    client.cookies.clear()
    login(client, "director_a")  # an account of another structure only
    assert client.get(f"{BASE}/{coord_b}/desactiver").status_code in (403, 404)
    me = world.users["director_a"]
    own = client.get(f"{BASE}/{me}/desactiver", follow_redirects=False)
    assert own.status_code == 303  # never herself
    client.cookies.clear()
    anonymous = client.get(f"{BASE}/{care}/desactiver", follow_redirects=False)
    assert anonymous.status_code in (302, 303, 401) and "Confirmer" not in anonymous.text
    assert query(world.settings.db_path, "SELECT active FROM users WHERE id = ?", [care]) == [(1,)]


# --------------------------------------------------------------------------- browser hint


def test_the_browser_hint_is_kept_at_log_in(client, world):
    client.headers["user-agent"] = PHONE_UA
    login(client, "nurse_a")
    login(client, "admin")  # whatever the way in (second factor or not)
    rows = query(
        world.settings.db_path,
        "SELECT u.username, s.browser FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE u.username IN ('nurse_a', 'admin') ORDER BY u.username",
    )
    assert rows == [("admin", "Chrome sur Android"), ("nurse_a", "Chrome sur Android")]
    # The User-Agent itself is kept nowhere.
    for table in ("sessions", "audit_log"):
        dump = json.dumps(query(world.settings.db_path, f"SELECT * FROM {table}"))
        assert "Pixel 8" not in dump and "AppleWebKit" not in dump
    page = client.get("/moi/sessions").text
    assert "Chrome sur Android" in page


def test_no_hint_without_a_user_agent(client, world):
    client.headers.pop("user-agent", None)
    login(client, "nurse2_a")
    rows = query(
        world.settings.db_path,
        "SELECT s.browser FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE u.username = 'nurse2_a'",
    )
    assert rows and all(b in (None, "") or b == "navigateur" for (b,) in rows)

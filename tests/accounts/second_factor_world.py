"""Helpers for the second-factor tests: fresh accounts (no factor yet), a clock the log-in pages
read, and the steps a person takes in the pages (read the secret, type the code)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pyotp

from tests.accounts.conftest import PASSWORD, World, csrf_from, password_step
from tests.accounts.throttle_world import CHEAP
from virage.accounts import login_web, notice, notice_storage, second_factor_web, storage
from virage.db import connect, utcnow_iso

STEP = "/connexion/second-facteur"


def new_account(
    world: World, username: str, role: str, structure: str = "a", *, read_notice: bool = True
) -> int:
    """An account without any second factor (as created by the network administration)."""
    db = connect(world.settings.db_path)
    uid = storage.create_user(
        db, username=username, display_name=username.title(), password_hash=CHEAP.hash(PASSWORD)
    )
    storage.add_membership(db, uid, world.structures[structure], role)
    if read_notice:
        notice_storage.acknowledge(db, uid, notice.NOTICE_VERSION, utcnow_iso(), [])
    db.close()
    return uid


class Clock:
    """The time the log-in pages see; starts 5 s into the current 30-second step."""

    def __init__(self) -> None:
        now = datetime.now(UTC).timestamp()
        self.now = datetime.fromtimestamp(now - now % 30 + 5, UTC)

    def __call__(self) -> datetime:
        return self.now

    def next_step(self) -> None:
        self.now += timedelta(seconds=30)

    def code(self, secret: str) -> str:
        return pyotp.TOTP(secret).at(self.now)


def install_clock(monkeypatch) -> Clock:
    """The log-in pages read this clock (for a fixture: ``return install_clock(monkeypatch)``)."""
    c = Clock()
    monkeypatch.setattr(login_web, "utcnow", c)
    monkeypatch.setattr(second_factor_web, "utcnow", c)
    return c


def secret_in(page_html: str) -> str:
    match = re.search(r'id="cle-application" class="secret">([^<]+)<', page_html)
    assert match, "no secret to type in the page"
    return match.group(1).replace(" ", "")


def codes_in(page_html: str) -> list[str]:
    block = page_html.split('id="codes-de-secours"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r"<code>([^<]+)</code>", block)


def text(page_html: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", page_html))


def enrol_app_at_login(client, username: str, clock: Clock) -> tuple[str, list[str]]:
    """Password, then the enrolment page: scan (read the secret), type the code. Returns the
    secret and the recovery codes shown once."""
    r = password_step(client, username)
    assert r.status_code == 303 and r.headers["location"] == STEP, r.text
    page = client.get(STEP)
    assert page.status_code == 200 and "Protégez votre compte" in text(page.text)
    secret = secret_in(page.text)
    done = client.post(
        f"{STEP}/application",
        data={"code": clock.code(secret), "_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 200, done.text
    codes = codes_in(done.text)
    assert len(codes) == 10
    return secret, codes


def answer(client, method: str, code: str = "", credential: str = "", page=None):
    """Answer the second step; ``page``: the step page already shown (a key signs its challenge,
    and showing the page again would make a new one)."""
    page = page or client.get(STEP)
    return client.post(
        STEP,
        data={
            "methode": method,
            "code": code,
            "credential": credential,
            "_csrf_token": csrf_from(page.text),
        },
        follow_redirects=False,
    )


def audit_actions(world: World, user_id: int) -> list[tuple]:
    db = connect(world.settings.db_path)
    try:
        return db.execute(
            "SELECT action, outcome, details FROM audit_log WHERE actor_user_id = ? ORDER BY id",
            [user_id],
        ).fetchall()
    finally:
        db.close()

"""A nurse's second factor on her phone (390 × 844), on a real server whose database is not a demo
(so the second factor is imposed): she enrols right after her password by scanning the QR code
(the test reads the secret from the page and computes the codes with pyotp), keeps her recovery
codes, reads the first-use notice, logs out, logs in with a code; then « loses her phone », logs in
with a recovery code, and that code no longer works. Then a colleague enrols the security key her
phone offers (a virtual authenticator through the Chrome DevTools Protocol) and logs in with it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect
from virage_demo_territory.tour.server import free_port, start_server, wait_until_up

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-du-telephone"
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Server:
    url: str
    env: dict


def _cli(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "virage.cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory):
    """A structure and two nurses created by the network administration (command line), served
    by ``virage serve`` on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("second-factor")
    env = {
        **os.environ,
        "VIRAGE_DB": str(folder / "virage.db"),
        "VIRAGE_SECRET_KEY": "e2e-second-facteur",
    }
    env.pop("VIRAGE_PLUGINS", None)
    _cli(env, "structures", "create", "SSIAD du Plateau", "--kind", "SSIAD")
    for username, name in (("nina.mobile", "Nina Mobile"), ("karim.cle", "Karim Clé")):
        _cli(
            env,
            "users",
            "create",
            "--username",
            username,
            "--name",
            name,
            "--password",
            PASSWORD,
            "--structure",
            "SSIAD du Plateau",
            "--role",
            "nurse",
        )
    port = free_port()
    proc = start_server(
        [sys.executable, "-m", "virage.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env,
        Path(env["VIRAGE_DB"]).with_name("server.log"),
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/healthz", proc)
        yield Server(base, env)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris", is_mobile=True, has_touch=True
    )
    yield context
    context.close()


def heading(page):
    return page.get_by_role("heading", level=1)


def password(page, base: str, username: str) -> None:
    page.goto(f"{base}/connexion?suivant=/moi")  # not the home by role: the tests read /moi
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def log_out(page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    expect(heading(page)).to_have_text("Connexion")


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"


class App:
    """The authenticator app of the phone: a code for a step the server has not seen yet."""

    def __init__(self, secret: str) -> None:
        self.totp = pyotp.TOTP(secret)
        self.used = 0

    def code(self) -> str:
        step = max(int(time.time()) // 30, self.used + 1)  # each step's code is accepted once
        self.used = step
        return self.totp.at(step * 30)


def test_enrol_on_the_phone_log_in_with_a_code_then_with_a_recovery_code(strict_server, phone):
    page = phone.new_page()
    base = strict_server.url
    password(page, base, "nina.mobile")
    expect(heading(page)).to_have_text("Protégez votre compte par un second facteur")
    expect(
        page.get_by_text("Votre rôle (Infirmier·e) donne accès à des informations de santé")
    ).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    fits_the_phone(page)
    # Half logged in: another page sends her back to the log-in.
    page.goto(f"{base}/moi")
    expect(heading(page)).to_have_text("Connexion")
    page.goto(f"{base}/connexion/second-facteur")
    app = App(page.locator("#cle-application").inner_text().replace(" ", ""))
    page.get_by_label("Tapez le code à 6 chiffres que l'application affiche").fill(app.code())
    page.get_by_role("button", name="Enregistrer cette application").click()
    expect(heading(page)).to_have_text("Vos codes de secours")
    codes = page.locator("#codes-de-secours code").all_inner_texts()
    assert len(codes) == 10
    fits_the_phone(page)
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    # First use: the notice, before anything else.
    expect(heading(page)).to_have_text("Ce que Virage enregistre sur vous")
    expect(page.get_by_text("SSIAD du Plateau n'a pas déclaré dans Virage")).to_be_visible()
    fits_the_phone(page)
    page.get_by_role("button", name="J'ai lu cette note").click()
    expect(heading(page)).to_have_text("Mes structures")
    log_out(page)

    # With a code from the app.
    password(page, base, "nina.mobile")
    expect(heading(page)).to_have_text("Second facteur")
    fits_the_phone(page)
    page.get_by_label("Code à 6 chiffres de votre application").fill(app.code())
    page.get_by_role("button", name="Valider").click()
    expect(heading(page)).to_have_text("Mes structures")
    log_out(page)

    # The phone is lost: a recovery code.
    password(page, base, "nina.mobile")
    page.get_by_text("Vous n'avez pas votre téléphone ni votre clé ?").click()
    page.get_by_label("Code de secours", exact=True).fill(codes[0])
    page.get_by_role("button", name="Utiliser ce code de secours").click()
    expect(heading(page)).to_have_text("Code de secours accepté")
    expect(page.get_by_text("Il vous reste 9 codes de secours.")).to_be_visible()
    fits_the_phone(page)
    page.get_by_role("link", name="Continuer").click()
    expect(heading(page)).to_have_text("Mes structures")
    log_out(page)

    # That code does not work twice.
    password(page, base, "nina.mobile")
    page.get_by_text("Vous n'avez pas votre téléphone ni votre clé ?").click()
    page.get_by_label("Code de secours", exact=True).fill(codes[0])
    page.get_by_role("button", name="Utiliser ce code de secours").click()
    expect(heading(page)).to_have_text("Second facteur")
    expect(page.get_by_role("alert")).to_contain_text("Ce code de secours n'est pas valable")
    page.goto(f"{base}/moi")
    expect(heading(page)).to_have_text("Connexion")


def test_a_security_key_where_the_phone_offers_one(strict_server, phone):
    page = phone.new_page()
    devtools = phone.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    # WebAuthn needs a host name: the same server, reached as localhost.
    base = strict_server.url.replace("127.0.0.1", "localhost")
    password(page, base, "karim.cle")
    expect(heading(page)).to_have_text("Protégez votre compte par un second facteur")
    key = page.get_by_role(
        "heading", name="Avec une clé de sécurité ou le verrouillage de cet appareil"
    )
    expect(key).to_be_visible()
    page.get_by_label("Nom de la clé, pour la reconnaître").fill("Téléphone du service")
    page.get_by_role("button", name="Enregistrer une clé de sécurité").click()
    expect(heading(page)).to_have_text("Vos codes de secours")
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    page.get_by_role("button", name="J'ai lu cette note").click()
    expect(heading(page)).to_have_text("Mes structures")
    log_out(page)

    password(page, base, "karim.cle")
    expect(heading(page)).to_have_text("Second facteur")
    page.get_by_role("button", name="Utiliser ma clé de sécurité").click()
    expect(heading(page)).to_have_text("Mes structures")
    page.goto(f"{base}/moi/second-facteur")
    expect(page.get_by_text("Téléphone du service")).to_be_visible()
    page.goto(f"{base}/moi/enregistrements")
    expect(page.get_by_text("Second facteur donné à la connexion").first).to_be_visible()

"""An account's whole life, from the browser (issue 17).

The network administrator (at a desk) invites a nurse; she opens the link on her phone, chooses
her password and lands on « Ma journée »; the coordinator adds her to a care team and she writes a
transmission; she leaves: the administrator deactivates her account, her open session is refused at
her next click, her API token answers 401, and her transmission stays, still signed with her name.
"""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT
from tests.e2e.helpers import query, sign_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Cerisier-du-jardin-42"
USERNAME = "zoe.infirmiere"
NAME = "Zoé Lambert"
CLI = (sys.executable, "-m", "virage.cli")
SSIAD = "SSIAD du Val-de-Loue"
NOTE = "Pansement de la jambe gauche refait, plaie propre, pas de douleur."


def _desk(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    return context, context.new_page()


def _phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="fr-FR",
        timezone_id="Europe/Paris",
        is_mobile=True,
        has_touch=True,
    )
    return context, context.new_page()


def _person(server_env) -> tuple[int, str]:
    return query(
        server_env,
        "SELECT p.id, p.given_names || ' ' || upper(p.family_name) FROM persons p"
        " JOIN structures s ON s.id = p.structure_id WHERE s.name = 'SSIAD du Val-de-Loue'"
        " AND p.status = 'active' ORDER BY p.id LIMIT 1",
    )[0]


def _api_status(base: str, token: str) -> int:
    request = urllib.request.Request(
        f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _token_for(server_env, username: str) -> str:
    out = subprocess.run(
        [*CLI, "tokens", "create", "--user", username, "--structure", SSIAD, "--name", "tablette"],
        env=server_env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1].strip()


def test_invite_work_and_leave(live_server, server_env, browser, capture):
    person_id, person = _person(server_env)

    # 1. The administrator invites the nurse: she never chooses the password.
    admin_ctx, admin = _desk(browser)
    sign_in(admin, live_server, "admin.reseau")
    admin.goto(f"{live_server}/administration/comptes/inviter")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Inviter une personne")
    admin.get_by_label("Prénom et nom").fill(NAME)
    admin.get_by_label("Identifiant de connexion").fill(USERNAME)
    admin.get_by_label("Structure").select_option(label="SSIAD du Val-de-Loue")
    admin.get_by_label("Rôle").select_option(label="Infirmier·e")
    capture(admin, "administration-inviter", full_page=True)
    admin.get_by_role("button", name="Créer le compte et le lien").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"Invitation de {NAME}")
    link = admin.locator("#link-url").inner_text().strip()
    assert re.search(r"/invitation/[A-Za-z0-9_-]{20,}$", link), link
    capture(admin, "administration-lien-invitation")

    # 2. On her phone, she opens the link, chooses her password and logs in: « Ma journée ».
    phone_ctx, phone = _phone(browser)
    phone.goto(live_server + link[link.index("/invitation/") :])
    expect(phone.get_by_role("heading", level=1)).to_have_text("Bienvenue sur Virage")
    phone.get_by_label("Mot de passe (").fill(NEW_PASSWORD)
    phone.get_by_label("Le même, une seconde fois").fill(NEW_PASSWORD)
    capture(phone, "invitation-telephone")
    phone.get_by_role("button", name="Enregistrer mon mot de passe").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Votre mot de passe est enregistré")
    phone.locator("#contenu").get_by_role("link", name="Se connecter").click()
    phone.get_by_label("Identifiant").fill(USERNAME)
    phone.get_by_label("Mot de passe").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Se connecter").click()
    expect(phone).to_have_url(re.compile(r"/agenda/ma-journee"))
    capture(phone, "premiere-connexion-ma-journee")
    # The link served once.
    other_ctx, other = _phone(browser)
    other.goto(live_server + link[link.index("/invitation/") :])
    expect(other.get_by_role("heading", level=1)).to_have_text("Lien non valable")
    other_ctx.close()

    # 3. The coordinator adds her to a person's care team; she writes a transmission.
    coord_ctx, coord = _desk(browser)
    sign_in(coord, live_server, "ines.coordination")
    coord.goto(f"{live_server}/personnes/{person_id}")
    expect(coord.get_by_role("heading", level=1)).to_have_text(person)
    coord.get_by_label("Ajouter un professionnel à l'équipe").select_option(
        label=f"{NAME} — Infirmier·e"
    )
    coord.get_by_role("button", name="Ajouter", exact=True).click()
    expect(coord.locator("#equipe").get_by_text(NAME)).to_be_visible()
    coord_ctx.close()

    phone.goto(f"{live_server}/personnes/{person_id}/transmissions/nouvelle")
    phone.locator("label[for=cible-alimentation]").click()
    phone.get_by_label("Données").fill(NOTE)
    phone.get_by_role("button", name="Enregistrer la transmission").click()
    expect(phone.get_by_text("Transmission enregistrée.")).to_be_visible(timeout=15000)
    token = _token_for(server_env, USERNAME)
    assert _api_status(live_server, token) == 200

    # 4. She leaves: the administrator deactivates the account.
    user_id = query(server_env, "SELECT id FROM users WHERE username = ?", (USERNAME,))[0][0]
    admin.goto(f"{live_server}/administration/comptes/{user_id}")
    expect(admin.get_by_role("heading", level=1)).to_have_text(NAME)
    admin.get_by_role("button", name="Désactiver le compte").click()
    # A confirmation page says what will happen before anything does.
    expect(admin.get_by_text("Rien n'est effacé")).to_be_visible()
    admin.get_by_role("button", name="Confirmer la désactivation").click()
    expect(admin.get_by_role("button", name="Réactiver le compte")).to_be_visible()
    capture(admin, "administration-compte-desactive", full_page=True)
    admin_ctx.close()

    # Her open session is refused at the next click, her token at the next call.
    phone.goto(f"{live_server}/agenda/ma-journee")
    expect(phone).to_have_url(re.compile(r"/connexion"))
    assert _api_status(live_server, token) == 401
    # Her password no longer opens anything; the sentence says why (only after the right password).
    phone.get_by_label("Identifiant").fill(USERNAME)
    phone.get_by_label("Mot de passe").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Se connecter").click()
    expect(phone.get_by_text("désactivé")).to_be_visible()
    capture(phone, "connexion-compte-desactive")
    phone_ctx.close()

    # 5. Her transmission remains, signed with her name, for the team that keeps caring.
    team_ctx, team = _phone(browser)
    sign_in(team, live_server, "ines.coordination")
    team.goto(f"{live_server}/personnes/{person_id}/transmissions")
    entry = team.locator("article.tr").filter(has_text="Pansement de la jambe gauche")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(NAME)
    team_ctx.close()


def test_administration_pages_fit_a_phone(live_server, browser):
    """The administration checks an account from a phone: long structure names in the filters must not
    widen the page."""
    ctx, page = _phone(browser)
    sign_in(page, live_server, "admin.reseau")
    for path in ("/administration", "/administration/comptes", "/administration/structures"):
        page.goto(f"{live_server}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path}: {width} px wide on a 390 px phone"
    ctx.close()

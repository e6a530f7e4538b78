"""Transmissions in the SSIAD du Val-de-Loue (demo territory), beyond the guided tour.

The urgent fall of the night, read and acknowledged by the morning team, with the secretariat
seeing no transmission, is scene 2 of the guided tour (tests/e2e/test_tour.py). Here:
1. printing for a transfer to the hospital is traced;
2. Nadia writes while the network drops: the entry survives a reload, waits on the phone while
   offline, leaves when the network is back, and arrives exactly once — even when the server's
   answer is lost and the phone sends it again.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import query, sign_in

pytestmark = pytest.mark.browser


def _shared_persons(server_env) -> list[tuple[int, str]]:
    """SSIAD persons whose care team has both the night nurse and the morning care assistant."""
    return query(
        server_env,
        "SELECT p.id, p.given_names || ' ' || upper(p.family_name) FROM persons p"
        " JOIN structures s ON s.id = p.structure_id WHERE s.name = 'SSIAD du Val-de-Loue'"
        " AND p.status = 'active'"
        " AND p.id IN (SELECT person_id FROM care_team c JOIN users u ON u.id = c.user_id"
        "              WHERE u.username = 'nadia.nuit')"
        " AND p.id IN (SELECT person_id FROM care_team c JOIN users u ON u.id = c.user_id"
        "              WHERE u.username = 'sophie.matin')"
        " ORDER BY p.id",
    )


def _count(server_env, text: str) -> int:
    return query(
        server_env, "SELECT count(*) FROM transmissions WHERE data LIKE ?", (f"%{text}%",)
    )[0][0]


def _phone(browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        locale="fr-FR",
        timezone_id="Europe/Paris",
        is_mobile=True,
        has_touch=True,
    )
    return context, context.new_page()


def test_printing_for_a_transfer_is_traced(live_server, server_env, browser, capture):
    """For a transfer to the hospital, the nurse prints the last days of handovers."""
    person_id, name = _shared_persons(server_env)[2]
    ctx, page = _phone(browser)
    sign_in(page, live_server, "nadia.nuit")
    page.goto(f"{live_server}/personnes/{person_id}/transmissions")
    page.get_by_text("Imprimer pour un transfert").click()
    page.get_by_role("button", name="Préparer le document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Transmissions de {name}")
    expect(page.get_by_text("secret professionnel")).to_be_visible()
    capture(page, "transmissions-impression-transfert", full_page=True)
    ctx.close()
    exported = query(
        server_env,
        "SELECT count(*) FROM audit_log WHERE action = 'transmissions.export' AND person_id = ?",
        (person_id,),
    )[0][0]
    assert exported == 1


def test_the_network_drops_while_writing(live_server, server_env, browser, capture):
    person_id, _name = _shared_persons(server_env)[1]
    form_url = f"{live_server}/personnes/{person_id}/transmissions/nouvelle"
    text = "A bu seulement un demi-verre d'eau depuis 22 h, lèvres sèches."
    ctx, page = _phone(browser)
    sign_in(page, live_server, "nadia.nuit")
    page.goto(form_url)
    page.locator("label[for=cible-alimentation]").click()
    page.get_by_label("Données").fill(text)
    # The draft is on the device (encrypted, written asynchronously) before the page goes.
    expect(page.locator("form[data-draft]")).to_have_attribute("data-draft", "saved")

    # The page is reloaded (or the tab closed by mistake): the draft is still there.
    page.reload()
    expect(page.get_by_label("Données")).to_have_value(text)
    expect(page.locator("#cible-alimentation")).to_be_checked()
    expect(page.get_by_text("Brouillon retrouvé sur cet appareil")).to_be_visible()
    capture(page, "transmissions-brouillon-retrouve")

    # The network drops just before sending: the entry waits on the phone.
    ctx.set_offline(True)
    page.get_by_label("Actions").fill("Verre d'eau gélifiée proposé, pris en entier.")
    page.get_by_role("button", name="Enregistrer la transmission").click()
    expect(page.get_by_text("Pas de réseau pour l'instant")).to_be_visible()
    capture(page, "transmissions-hors-ligne")
    assert _count(server_env, "demi-verre d'eau depuis 22 h") == 0

    # The network is back: it leaves by itself, once.
    ctx.set_offline(False)
    expect(page.get_by_text("Transmission enregistrée.")).to_be_visible(timeout=15000)
    expect(page.locator("article.tr").first).to_contain_text("demi-verre")
    assert _count(server_env, "demi-verre d'eau depuis 22 h") == 1
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('virage:transmissions'))")
        == []
    )

    # Worse: the server records it but its answer is lost; the phone sends it again.
    second = "Toux sèche la nuit, pas de fièvre (37,2)."
    page.goto(form_url)
    page.locator("label[for=cible-comportement]").click()
    page.get_by_label("Données").fill(second)
    lost = {"done": False}

    def lose_the_answer(route):
        if lost["done"]:
            route.continue_()
            return
        lost["done"] = True
        route.fetch()  # the server receives and records the transmission…
        route.abort("connectionreset")  # …but the phone never gets the answer

    page.route("**/transmissions/envoyer", lose_the_answer)
    page.get_by_role("button", name="Enregistrer la transmission").click()
    expect(page.get_by_text("Pas de réseau pour l'instant")).to_be_visible()
    assert _count(server_env, "Toux sèche la nuit") == 1
    page.locator("#tr-status").get_by_role("button", name="Réessayer maintenant").click()
    expect(page.get_by_text("Transmission enregistrée.")).to_be_visible()
    assert _count(server_env, "Toux sèche la nuit") == 1  # sent twice, recorded once
    retried = query(
        server_env,
        "SELECT count(*) FROM audit_log WHERE action = 'transmissions.retry' AND person_id = ?",
        (person_id,),
    )[0][0]
    assert retried == 1
    ctx.close()

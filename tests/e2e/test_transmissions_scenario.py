"""Transmissions, a night and a morning in the SSIAD du Val-de-Loue (demo territory).

1. Nadia, night nurse, records an urgent fall on her phone. Inès, the coordinator, sees it among
   the urgent transmissions nobody has read. Sophie, care assistant, arrives in the morning: it is
   first in « Depuis ma dernière prise de poste »; she acknowledges it, and Inès's list empties.
   Léa, at the secretariat, opens the same person's record: no health content at all.
2. Nadia writes while the network drops: the entry survives a reload, waits on the phone while
   offline, leaves when the network is back, and arrives exactly once — even when the server's
   answer is lost and the phone sends it again.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import query, sign_in

pytestmark = pytest.mark.browser

FALL = (
    "Retrouvée au sol au pied du lit à 3 h 40, consciente, se souvient de la chute. "
    "Douleur hanche gauche 5/10, hématome au coude."
)
FALL_ACTIONS = "Relevée à deux avec l'astreinte. TA 14/8, pouls 88. Médecin de garde appelé."


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


def test_an_urgent_fall_from_night_to_morning(live_server, server_env, browser, capture):
    person_id, name = _shared_persons(server_env)[0]

    # 1. Nadia records the fall on her phone, from her list of persons.
    ctx, page = _phone(browser)
    sign_in(page, live_server, "nadia.nuit")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Transmissions"
    ).click()
    page.get_by_role("link", name="Écrire une transmission").click()
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle transmission")
    page.locator("label[for=cible-chute]").click()
    expect(page.get_by_role("link", name="Chute à domicile")).to_be_visible()
    expect(page.get_by_role("link", name="Douleur évaluée")).to_be_hidden()
    page.get_by_role("link", name="Chute à domicile").click()  # fills the empty parts in place
    assert "Retrouvé·e au sol" in page.get_by_label("Données").input_value()
    page.get_by_label("Données").fill(FALL)
    page.get_by_label("Actions").fill(FALL_ACTIONS)
    page.locator("label[for=priorite-urgent]").click()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 376, f"horizontal scroll on a phone: {width}px"
    page.get_by_role("button", name="Enregistrer la transmission").click()
    expect(page.get_by_text("Transmission enregistrée.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Transmissions · {name}")
    first = page.locator("article.tr").first
    expect(first).to_contain_text("Urgente")
    expect(first).to_contain_text("hématome au coude")
    ctx.close()
    assert _count(server_env, "pied du lit à 3 h 40") == 1

    # 2. Inès, the coordinator, sees it among the urgent transmissions nobody has read.
    ctx, page = _phone(browser)
    sign_in(page, live_server, "ines.coordination")
    page.goto(f"{live_server}/transmissions")
    page.get_by_role("link", name="1 transmission urgente non lue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Transmissions urgentes non lues")
    expect(page.locator("article.tr")).to_have_count(1)
    expect(page.locator("article.tr")).to_contain_text(name)
    ctx.close()

    # 3. Sophie arrives in the morning: the fall comes first, she acknowledges it.
    ctx, page = _phone(browser)
    sign_in(page, live_server, "sophie.matin")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Transmissions"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Depuis ma dernière prise de poste")
    expect(page.get_by_text("Depuis votre dernière prise de poste")).to_be_visible()
    first = page.locator("#nouvelles article.tr").first
    expect(first).to_contain_text("Urgente")
    expect(first).to_contain_text("Chute")
    expect(first).to_contain_text(name)
    expect(first).to_contain_text("hématome au coude")
    assert page.locator("#nouvelles article.tr").count() > 1  # the rest of the night follows
    first.get_by_role("button", name="J'ai pris connaissance").click()
    expect(
        page.locator("#nouvelles article.tr").first.get_by_text("✓ Pris connaissance")
    ).to_be_visible()
    ctx.close()

    # 4. Inès's list is empty now.
    ctx, page = _phone(browser)
    sign_in(page, live_server, "ines.coordination")
    page.goto(f"{live_server}/transmissions/urgentes")
    expect(page.get_by_text("Aucune transmission urgente en attente de lecture")).to_be_visible()
    expect(page.locator("article.tr")).to_have_count(0)
    page.goto(f"{live_server}/transmissions/urgentes")
    ctx.close()

    # 5. Léa, at the secretariat, opens the record: identity yes, transmissions no.
    ctx, page = _phone(browser)
    sign_in(page, live_server, "lea.secretariat")
    page.goto(f"{live_server}/personnes/{person_id}")
    expect(page.get_by_role("heading", name="Identité et coordonnées")).to_be_visible()
    expect(page.get_by_role("heading", name="Transmissions")).to_have_count(0)
    expect(page.get_by_role("heading", name="Informations de santé")).to_have_count(0)
    html = page.content()
    assert "hématome au coude" not in html and "Médecin de garde" not in html
    capture(page, "transmissions-dossier-vu-par-le-secretariat", full_page=True)
    page.goto(f"{live_server}/personnes/{person_id}/transmissions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    ctx.close()

    # 6. For a transfer to the hospital, the nurse prints the last days.
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

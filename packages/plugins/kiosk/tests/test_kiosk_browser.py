"""The kiosk in Chromium at its size (portrait 1080×1920) on the demo territory: the director
sets the reception up and enrols a kiosk and a screen; one person checks in by the QR code of
her convocation, another by its short code and her birth date, a third takes a ticket without
appointment; the desk calls them in order; the waiting-room screen shows numbers only; the
agenda shows the arrival; with the network down the kiosk says « Présentez-vous à l'accueil »."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from virage_kiosk import clock
from virage_kiosk.tokens import convocation_token

from tests.e2e.helpers import query, sign_in
from virage.sdk import day_bounds, iso

pytestmark = pytest.mark.browser

KIOSK = {"width": 1080, "height": 1920}
SSIAD = "SSIAD du Val-de-Loue"


def _todays_appointments(server_env) -> tuple[int, list[tuple]]:
    start, end = day_bounds(clock.today())
    rows = query(
        server_env,
        "SELECT a.id, p.family_name, p.birth_date, a.structure_id FROM agenda_appointments a"
        " JOIN persons p ON p.id = a.person_id JOIN structures s ON s.id = a.structure_id"
        " WHERE s.name = ? AND a.start_utc >= ? AND a.start_utc < ?"
        " AND a.status IN ('planned', 'confirmed') AND a.arrived_at IS NULL"
        " AND p.birth_date IS NOT NULL ORDER BY a.start_utc, a.id",
        [SSIAD, iso(start), iso(end)],
    )
    assert len(rows) >= 2, "the demo territory has appointments today"
    return rows[0][3], rows[:2]


def _director_sets_up(page, base: str, sid: int) -> tuple[str, str]:
    sign_in(page, base, "claire.direction")
    page.goto(f"{base}/accueil/structures/{sid}/reglages")
    page.get_by_label("Nom du lieu").fill("Salle d'attente")
    page.get_by_label("Étage").fill("Rez-de-chaussée")
    page.get_by_role("button", name="Ajouter le lieu").click()
    page.get_by_label("Nom du service (mots simples)").fill("Prise de sang")
    page.get_by_label("Nom en anglais").fill("Blood test")
    page.get_by_label("Lieu", exact=True).select_option(label="Salle d'attente")
    page.get_by_role("button", name="Ajouter le service").click()
    page.get_by_label("Ouverture").fill("00:00")
    page.get_by_label("Fermeture").fill("23:59")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Prise de sang (Blood test)")).to_be_visible()
    codes = []
    for name, kind in (("Hall", "Borne d'accueil"), ("Salle", "Écran de salle d'attente")):
        page.goto(f"{base}/accueil/structures/{sid}/bornes")
        page.get_by_label("Nom (où il se trouve)").fill(name)
        page.get_by_label("Type").select_option(label=kind)
        page.get_by_label("Lieu d'attente").select_option(label="Salle d'attente")
        page.get_by_role("button", name="Enregistrer et afficher le code").click()
        codes.append(page.locator("#code-activation").inner_text())
    return codes[0], codes[1]


#: Records every Content-Security-Policy violation of the kiosk's pages (inline style and script
#: carry the response's nonce).
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


#: The waiting-room screen reloads itself every few seconds: held still while the test reads it
#: (a reload in the middle of reading the page's content fails the read, not the product).
HOLD_STILL = "window.setInterval = function () { return 0; };"


def _activate(browser, base: str, code: str, still: bool = False):
    context = browser.new_context(viewport=KIOSK, locale="fr-FR", timezone_id="Europe/Paris")
    context.add_init_script(WATCH)
    if still:
        context.add_init_script(HOLD_STILL)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/borne/activer")
    page.get_by_label("Code d'activation").fill(code)
    page.get_by_role("button", name="Activer").click()
    return context, page, errors


def _ticket(page) -> str:
    number = page.locator("#numero")
    expect(number).to_be_visible()
    return number.inner_text()


def test_a_morning_at_the_reception(live_server, server_env, browser, capture):
    base = live_server
    sid, (first, second) = _todays_appointments(server_env)
    office = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    desk = office.new_page()
    kiosk_code, screen_code = _director_sets_up(desk, base, sid)

    # the secretariat prints the second person's convocation (short code)
    sign_in(desk, base, "lea.secretariat")
    desk.goto(f"{base}/accueil/convocation/{second[0]}")
    expect(desk.locator("svg.segno")).to_be_visible()
    short_code = desk.locator("#code-court").inner_text()

    kiosk_context, kiosk, kiosk_errors = _activate(browser, base, kiosk_code)
    expect(kiosk.get_by_role("heading", name="Avez-vous un rendez-vous ?")).to_be_visible()
    capture(kiosk, "borne-accueil")

    # 1. by the QR code, by keyboard alone: the scanner types the token of the convocation
    kiosk.keyboard.press("Tab")  # « English »
    kiosk.keyboard.press("Tab")
    expect(kiosk.get_by_role("link", name="Oui, j'ai une convocation")).to_be_focused()
    kiosk.keyboard.press("Enter")
    expect(
        kiosk.get_by_label("Montrez le code carré de votre convocation au lecteur.")
    ).to_be_focused()
    token = convocation_token("e2e-secret", sid, first[0], clock.today())
    kiosk.get_by_label("Montrez le code carré de votre convocation au lecteur.").fill(token)
    kiosk.get_by_role("button", name="Valider").click()
    assert _ticket(kiosk) == "001"
    expect(kiosk.get_by_text("Salle d'attente")).to_be_visible()
    capture(kiosk, "borne-numero")
    assert first[1].upper() not in kiosk.content().upper()
    kiosk.get_by_role("link", name="Retour au début").click()

    # 2. by the short code and the birth date, one question per screen
    kiosk.get_by_role("link", name="Oui, j'ai une convocation").click()
    kiosk.get_by_role("link", name="Je n'ai pas le papier : taper mon code").click()
    kiosk.get_by_label("Quel est le code écrit sur votre convocation ?").fill(short_code)
    kiosk.get_by_role("button", name="Valider").click()
    year, month, day = second[2][:10].split("-")
    kiosk.get_by_label("Jour").fill(day)
    kiosk.get_by_label("Mois").fill(month)
    kiosk.get_by_label("Année").fill(year)
    kiosk.get_by_role("button", name="Valider").click()
    assert _ticket(kiosk) == "002"
    assert second[1].upper() not in kiosk.content().upper()
    kiosk.get_by_role("link", name="Retour au début").click()

    # 3. without appointment, in English
    kiosk.get_by_role("link", name="English").click()
    kiosk.get_by_role("link", name="No, I have no appointment").click()
    kiosk.get_by_role("button", name="Blood test").click()
    assert _ticket(kiosk) == "003"
    expect(kiosk.get_by_role("heading", name="Your number")).to_be_visible()
    assert kiosk.evaluate("window.__cspViolations") == [] and kiosk_errors == []

    # the desk: in order, names for appointments, « identité non vérifiée » for the walk-in
    desk.goto(f"{base}/accueil/structures/{sid}/file")
    rows = desk.locator("#file tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(first[1].upper())
    expect(rows.nth(1)).to_contain_text(second[1].upper())
    expect(rows.nth(2)).to_contain_text("identité non vérifiée")
    capture(desk, "borne-file-accueil")
    desk.get_by_label("Guichet").fill("Guichet 2")
    desk.get_by_role("button", name="Appeler le suivant").click()
    expect(desk.get_by_role("status")).to_have_text("Numéro 001 appelé.")
    desk.get_by_role("button", name="Appeler le suivant").click()
    expect(desk.get_by_role("status")).to_have_text("Numéro 002 appelé.")

    # the waiting-room screen: numbers and desks only
    screen_context, screen, screen_errors = _activate(browser, base, screen_code, still=True)
    expect(screen.locator("body")).to_have_attribute("data-refresh", "5")
    calls = screen.locator("#appels li")
    expect(calls).to_have_count(2)
    expect(calls.nth(0)).to_have_text(re.compile(r"002\s*Guichet 2"))
    expect(calls.nth(1)).to_have_text(re.compile(r"001\s*Guichet 2"))
    capture(screen, "borne-ecran-salle")
    for name in (first[1], second[1]):
        assert name.upper() not in screen.content().upper()
    assert screen.evaluate("window.__cspViolations") == [] and screen_errors == []
    screen_context.close()

    # the agenda shows the arrival
    desk.goto(f"{base}/agenda/rendez-vous/{first[0]}")
    expect(desk.get_by_text(re.compile("signalée à l'accueil à"))).to_be_visible()
    office.close()

    # the network falls: the kiosk sends people to the desk instead of an error page
    kiosk.get_by_role("link", name="Back to start").click()
    expect(kiosk.get_by_role("heading", name="Do you have an appointment?")).to_be_visible()
    offline = kiosk.get_by_role("heading", name="Please go to the reception desk.")
    kiosk.route("**/borne/ping", lambda route: route.abort())  # the server does not answer
    kiosk.get_by_role("link", name="Yes, I have a letter").click()
    expect(offline).to_be_visible()
    expect(kiosk.get_by_role("link", name="Yes, I have a letter")).to_be_hidden()
    kiosk.unroute("**/borne/ping")
    kiosk.reload()
    expect(offline).to_be_hidden()
    kiosk_context.set_offline(True)  # the network falls while the page is shown
    expect(offline).to_be_visible()
    kiosk_context.close()

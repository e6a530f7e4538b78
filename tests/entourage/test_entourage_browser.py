"""The entourage in Chromium on the demo territory: a secretary records the trusted person of a
person at the desk; a nurse of her care team notes an allergy and reads it on a phone; the DLU at
phone size, and printed: one A4 page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import query, sign_in

pytestmark = pytest.mark.browser

DESK = {"width": 1280, "height": 900}


def _person_of_pauls_team(server_env) -> int:
    rows = query(
        server_env,
        "SELECT p.id FROM persons p JOIN care_team t ON t.person_id = p.id"
        " JOIN users u ON u.id = t.user_id JOIN memberships m ON m.structure_id = p.structure_id"
        " JOIN users s ON s.id = m.user_id"
        " WHERE u.username = 'paul.infirmier' AND s.username = 'lea.secretariat'"
        " AND p.status = 'active'"
        " AND p.id NOT IN (SELECT person_id FROM entourage_entries) ORDER BY p.id",
    )
    assert rows, "the demo territory has a person in Paul's care team"
    return rows[0][0]


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_trusted_person_allergy_and_the_dlu(live_server, server_env, browser, phone, capture):
    base, pid = live_server, _person_of_pauls_team(server_env)
    desk = browser.new_context(viewport=DESK, locale="fr-FR", timezone_id="Europe/Paris")
    page = desk.new_page()
    sign_in(page, base, "lea.secretariat")
    page.goto(f"{base}/personnes/{pid}/entourage", wait_until="load")
    page.locator("#trusted_person summary").click()
    page.get_by_label("Nom et prénom").first.fill("Sylvie Martin")
    page.get_by_label("Lien avec la personne").fill("nièce")
    page.get_by_label("Téléphone").first.fill("06 11 22 33 44")
    page.get_by_label("Date de la désignation écrite").fill("2026-11-20")
    page.get_by_role("button", name="Enregistrer la personne de confiance").click()
    expect(page.get_by_text("Désignée le 20 novembre 2026.")).to_be_visible()
    expect(page.get_by_text("Allergies déclarées")).to_have_count(0)
    capture(page, "entourage-personne-de-confiance")
    desk.close()

    nurse = phone.new_page()
    sign_in(nurse, base, "paul.infirmier")
    nurse.goto(f"{base}/personnes/{pid}/entourage", wait_until="load")
    allergies = nurse.locator("#allergy")
    allergies.locator("summary").click()
    allergies.get_by_label("Substance").fill("Pénicilline")
    allergies.get_by_label("Réaction").fill("urticaire")
    allergies.get_by_label("Déclaré par").select_option(label="La personne elle-même")
    allergies.get_by_label("Date de la déclaration").fill("2026-11-20")
    allergies.get_by_role("button", name="Ajouter").click()
    expect(nurse.get_by_text("Pénicilline · urticaire")).to_be_visible()
    nurse.locator("#allergy").scroll_into_view_if_needed()
    capture(nurse, "entourage-sante-declaree")

    nurse.goto(f"{base}/personnes/{pid}/dlu", wait_until="load")
    expect(nurse.get_by_role("heading", name="Allergies déclarées")).to_be_visible()
    expect(nurse.get_by_text("Personne de confiance : Sylvie Martin")).to_be_visible()
    width = nurse.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the DLU is wider than the phone: {width}px"
    capture(nurse, "dlu-telephone")
    nurse.emulate_media(media="print")
    assert _pages(nurse.pdf(format="A4", print_background=True)) == 1

"""Teleconsultation in the EHPAD: Amina, nurse, requests it for a resident, books the remote
doctor's free slot, records the consent on the day, the session takes place, Dr Vasseur writes her
report; it appears in the resident's transmissions for the care team, not for the front desk."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import query, sign_in

pytestmark = pytest.mark.browser

REPORT = "Plaie du talon propre, bourgeonnante : poursuivre le pansement"


def _resident(server_env) -> tuple[int, str]:
    """A resident followed by both Amina and the remote doctor (demo of the plugin)."""
    rows = query(
        server_env,
        "SELECT p.id, p.given_names || ' ' || p.family_name FROM persons p"
        " JOIN care_team a ON a.person_id = p.id JOIN users ua ON ua.id = a.user_id"
        " JOIN care_team d ON d.person_id = p.id JOIN users ud ON ud.id = d.user_id"
        " WHERE ua.username = 'amina.ide' AND ud.username = 'helene.teleconsult'"
        " ORDER BY p.id LIMIT 1",
    )
    assert rows, "demo: no resident followed by amina.ide and the remote doctor"
    return rows[0]


def _phone(browser):
    ctx = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    return ctx, ctx.new_page()


def test_a_teleconsultation_from_request_to_report(live_server, server_env, browser, capture):
    person_id, _name = _resident(server_env)

    # 1. Amina requests a teleconsultation from the resident's record.
    ctx, page = _phone(browser)
    sign_in(page, live_server, "amina.ide")
    page.goto(f"{live_server}/personnes/{person_id}")
    page.get_by_role("link", name="Demander une téléconsultation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demander une téléconsultation")
    page.get_by_label("Chercher un médecin dans l'annuaire").fill("Vasseur")
    page.get_by_role("button", name="Chercher").click()
    doctor = page.get_by_label("Médecin téléconsultant")
    expect(doctor.locator("option").first).to_contain_text("Vasseur")
    page.get_by_label("Motif").fill("Plaie du talon qui ne cicatrise pas : avis sur le pansement")
    page.get_by_label("Documents à préparer").fill("Photos de la plaie, traitement en cours")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator("#tc-status")).to_have_text("Demandée")

    # 2. She books the doctor's first free slot (the doctor's teleconsultation duty).
    expect(page.get_by_role("heading", name="Choisir un créneau du médecin")).to_be_visible()
    page.get_by_role("button", name="Réserver ce créneau").first.click()
    expect(page.locator("#tc-status")).to_have_text("Planifiée")
    expect(page.locator("#tc-video")).to_be_visible()  # she takes part: she sees the link

    # 3. On the day: identity, consent (who, how), equipment.
    page.get_by_label("Identité de la personne vérifiée").check()
    page.get_by_label("La personne consent à la téléconsultation").check()
    page.get_by_label("Recueilli comment").select_option("oral")
    for box in page.locator("input[name=equipment]").all():
        box.check()
    page.get_by_role("button", name="La séance est prête").click()
    expect(page.locator("#tc-status")).to_have_text("Prête")
    page.get_by_role("button", name="Commencer la séance").click()
    expect(page.locator("#tc-status")).to_have_text("En cours")
    page.get_by_role("button", name="La séance a eu lieu").click()
    expect(page.locator("#tc-status")).to_have_text("Réalisée")
    tc_url = page.url.split("?")[0]
    ctx.close()

    # 4. Dr Vasseur writes her report from her list of sessions.
    ctx, page = _phone(browser)
    sign_in(page, live_server, "helene.teleconsult")
    page.goto(f"{live_server}/teleconsultation/")
    expect(page.locator("#tc-mine")).to_contain_text("Réalisée")
    page.goto(tc_url)
    page.get_by_label("Compte rendu", exact=True).fill(REPORT)
    page.get_by_label("Prescriptions, conduite à tenir").fill(
        "Pansement hydrocolloïde, revoir à J7"
    )
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect(page.locator("#tc-status")).to_have_text("Compte rendu reçu")
    ctx.close()

    # 5. The care team reads it in the resident's transmissions.
    ctx, page = _phone(browser)
    sign_in(page, live_server, "amina.ide")
    page.goto(f"{live_server}/personnes/{person_id}/transmissions")
    expect(page.get_by_text(REPORT)).to_be_visible()
    ctx.close()

    # 6. The coordinator follows the sessions; this one is not left without a report (the demo
    # territory keeps one past session without its report, on purpose).
    ctx, page = _phone(browser)
    sign_in(page, live_server, "thomas.idec")
    page.goto(f"{live_server}/teleconsultation/")
    page.get_by_role("link", name=re.compile("Suivi des téléconsultations")).click()
    expect(page.locator("#tc-without-report")).to_be_visible()
    tc_path = tc_url.removeprefix(live_server)
    expect(page.locator(f'#tc-without-report a[href="{tc_path}"]')).to_have_count(0)
    ctx.close()

    # 7. The front desk does not read it.
    ctx, page = _phone(browser)
    sign_in(page, live_server, "sylvie.accueil")
    page.goto(f"{live_server}/personnes/{person_id}")
    expect(page.get_by_role("heading", name="Téléconsultations")).to_have_count(0)
    assert REPORT not in page.content()
    page.goto(f"{live_server}/personnes/{person_id}/transmissions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    page.goto(tc_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    ctx.close()

    audited = query(
        server_env,
        "SELECT count(*) FROM audit_log WHERE action LIKE 'teleconsultation.%' AND person_id = ?",
        (person_id,),
    )[0][0]
    assert audited >= 6

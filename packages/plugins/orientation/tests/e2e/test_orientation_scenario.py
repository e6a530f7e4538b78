"""A hospital discharge: request, medical part, proposals, two sendings, a refusal, an acceptance."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import query, sign_in

pytestmark = pytest.mark.browser


def _context(browser):
    return browser.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", timezone_id="Europe/Paris"
    )


def test_hospital_discharge_orientation(live_server, server_env, browser, capture):
    (person_id,) = query(
        server_env,
        "SELECT id FROM persons WHERE family_name = 'Garnier' AND given_names = 'Yvonne'",
    )[0]

    # 1. the hospital social worker creates the request from the person's record
    sarah = _context(browser).new_page()
    sign_in(sarah, live_server, "sarah.sortie")
    sarah.goto(f"{live_server}/personnes/{person_id}")
    sarah.get_by_role("link", name="Nouvelle demande d'orientation").click()
    sarah.get_by_label("Offre demandée").select_option("ehpad")
    sarah.get_by_label("Unité protégée (troubles cognitifs)").check()
    sarah.get_by_label("Degré de dépendance (GIR 1 à 6)").fill("3")
    sarah.get_by_label("Commune souhaitée (nom ou code postal)").fill("Loue-la-Vallée")
    sarah.get_by_label("Rayon (km)").fill("20")
    sarah.get_by_label("Urgence").select_option("urgente")
    sarah.get_by_label("La personne elle-même").check()
    sarah.get_by_label("Situation sociale, entourage (sans information médicale)").fill(
        "Vit seule à domicile, fille à Besançon ; retour à domicile impossible."
    )
    sarah.get_by_role("button", name="Créer la demande").click()
    expect(sarah.get_by_role("status")).to_contain_text("Demande créée")
    expect(sarah.locator("#volet-medical-etat")).to_contain_text("À compléter")
    request_url = sarah.url.split("?")[0]

    # 2. the doctor of the discharge team completes the medical part
    doctor = _context(browser).new_page()
    sign_in(doctor, live_server, "dr.morel")
    doctor.goto(request_url)
    doctor.get_by_label("Volet médical (pathologies, soins, autonomie)").fill(
        "Troubles cognitifs modérés (MMS 18), déambulation nocturne. Chute avec fracture du poignet."
    )
    doctor.get_by_role("button", name="Enregistrer le volet médical").click()
    expect(doctor.get_by_role("status")).to_contain_text("Volet médical enregistré")

    # 3. three EHPADs within 20 km are proposed, with the reasons of their rank
    sarah.goto(request_url)
    expect(sarah.locator("#volet-medical")).to_have_count(0)  # not for the social worker
    items = sarah.locator("#propositions li")
    expect(items.first).to_contain_text("EHPAD Les Tilleuls")
    assert items.count() >= 3
    expect(items.first).to_contain_text(re.compile(r"à \d+ km, unité protégée, 2 places déclarées"))
    sarah.get_by_label(re.compile("EHPAD Les Tilleuls")).check()
    sarah.get_by_label(re.compile("EHPAD Les Glycines")).check()
    sarah.get_by_role("button", name="Envoyer aux structures cochées").click()
    expect(sarah.get_by_role("status")).to_contain_text("Demande envoyée")

    # 4. Les Glycines refuses with a reason
    marc = _context(browser).new_page()
    sign_in(marc, live_server, "marc.glycines")
    marc.goto(f"{live_server}/orientation/")
    marc.get_by_role("link", name=re.compile("Garnier")).click()
    expect(marc.locator("#volet-medical")).to_contain_text("Troubles cognitifs")
    marc.get_by_label("Réponse").select_option("refusee")
    marc.get_by_label("Motif de refus (si refus)").select_option("pas_de_place")
    marc.get_by_label("Commentaire").fill("Unité protégée complète jusqu'en février.")
    marc.get_by_role("button", name="Enregistrer la réponse").click()
    expect(marc.locator("#etat")).to_have_text("Refusée")

    # 5. Les Tilleuls accepts and proposes a date; the director does not see the medical part
    odile = _context(browser).new_page()
    sign_in(odile, live_server, "odile.ehpad")
    odile.goto(f"{live_server}/orientation/")
    odile.get_by_role("link", name=re.compile("Garnier")).click()
    expect(odile.locator("#volet-medical-reserve")).to_be_visible()
    thomas = _context(browser).new_page()
    sign_in(thomas, live_server, "thomas.idec")
    thomas.goto(f"{live_server}/orientation/")
    thomas.get_by_role("link", name=re.compile("Garnier")).click()
    expect(thomas.locator("#volet-medical")).to_contain_text("Troubles cognitifs")
    thomas.get_by_label("Réponse").select_option("acceptee")
    thomas.get_by_label("Date d'admission proposée (si acceptation)").fill("2026-12-07")
    thomas.get_by_role("button", name="Enregistrer la réponse").click()
    expect(thomas.locator("#etat")).to_have_text("Admission proposée")

    # 6. the requester sees both answers, with their dates
    sarah.goto(request_url)
    table = sarah.locator("#envois")
    expect(table).to_contain_text("Pas de place disponible")
    expect(table).to_contain_text("Admission proposée le 07/12/2026")
    expect(sarah.locator(".or-history")).to_contain_text("EHPAD Les Glycines : Refusée")

"""A worker finds a wrong phone number on a directory entry and reports it in one click; the
network administrator reviews the report and confirms it; the entry then shows the confirmed
error (its registry value is kept: the next FINESS import would put it back)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import query, sign_in

pytestmark = pytest.mark.browser

ENTRY = "SSIAD du Val-de-Loue"


def test_a_worker_reports_an_entry_and_the_administrator_reviews_it(
    live_server, server_env, browser
):
    worker = browser.new_context(viewport={"width": 390, "height": 844})
    page = worker.new_page()
    sign_in(page, live_server, "lea.secretariat")
    page.goto(f"{live_server}/annuaire?q=ssiad+val+de+loue")
    page.locator("#resultats .dir-name", has_text=ENTRY).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ENTRY)
    phone_before = page.get_by_role("link", name=re.compile("Appeler le")).first.inner_text()
    page.get_by_text("Signaler une erreur sur cette fiche").click()
    page.get_by_label("Valeur correcte, si vous la connaissez (facultatif)").fill("03 53 00 00 00")
    page.get_by_label("Précision (facultatif)").fill("Le numéro n'est plus attribué")
    page.get_by_role("button", name="Téléphone", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("votre signalement est transmis")
    (sid,) = query(server_env, "SELECT id FROM directory_structures WHERE name = ?", (ENTRY,))[0]
    rows = query(
        server_env,
        "SELECT field, proposed, status FROM directory_corrections WHERE target_id = ?",
        (sid,),
    )
    assert ("phone", "03 53 00 00 00", "open") in rows
    # a worker does not review
    refused = page.goto(f"{live_server}/annuaire/signalements")
    assert refused.status == 403
    worker.close()

    admin = browser.new_context()
    page = admin.new_page()
    sign_in(page, live_server, "admin.reseau")
    page.goto(f"{live_server}/annuaire/signalements?etat=open")
    item = page.locator(".dir-corrections li", has_text="Le numéro n'est plus attribué")
    expect(item).to_contain_text(ENTRY)
    expect(item).to_contain_text("Signalé par")
    item.get_by_label("Note (obligatoire pour écarter)").fill("Vérifié auprès du SSIAD")
    item.get_by_role("button", name="Confirmer l'erreur").click()
    expect(page).to_have_url(re.compile(r"/annuaire/signalements\?examine=\d+"))
    page.goto(f"{live_server}/annuaire/signalements?etat=accepted")
    expect(page.locator(".dir-corrections li", has_text=ENTRY).first).to_contain_text(
        "Vérifié auprès du SSIAD"
    )
    page.goto(f"{live_server}/annuaire/structures/{sid}")
    expect(page.get_by_text("Erreur confirmée par le réseau")).to_be_visible()
    # the registry's value stays until the registry corrects it
    expect(page.get_by_role("link", name=re.compile("Appeler le")).first).to_have_text(phone_before)
    with page.expect_download() as download:
        page.goto(f"{live_server}/annuaire/signalements")
        page.get_by_role("link", name=re.compile("Exporter les signalements confirmés")).click()
    assert download.value.suggested_filename == "signalements-annuaire.fhir.json"
    admin.close()

"""The library on a phone: the secretariat sends a new version of the night procedure; a nurse
finds it by searching without accents, reads the version in force, and the older one is listed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in
from tests.library.conftest import NIGHT_V2

pytestmark = pytest.mark.browser


def test_a_new_version_is_found_and_read_on_a_phone(live_server, phone, capture, tmp_path):
    page = phone.new_page()
    sign_in(page, live_server, "lea.secretariat")
    page.goto(f"{live_server}/bibliotheque")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bibliothèque")
    page.get_by_role("link", name="SSIAD du Val-de-Loue").click()  # Léa works in two structures
    page.get_by_role("link", name="Procédures").click()
    page.get_by_role("link", name="Procédure de nuit").click()
    page.get_by_text("Envoyer une nouvelle version").click()
    upload = tmp_path / "procedure-de-nuit-v2.pdf"
    upload.write_bytes(NIGHT_V2)
    page.get_by_label("Fichier de la nouvelle version").set_input_files(str(upload))
    page.get_by_label("Ce qui change (facultatif)").fill("Nouveau numéro d'astreinte")
    page.get_by_role("button", name="Enregistrer la nouvelle version").click()
    expect(page.get_by_role("status")).to_contain_text("Nouvelle version enregistrée")
    page.context.clear_cookies()

    sign_in(page, live_server, "paul.infirmier")
    page.goto(f"{live_server}/bibliotheque")
    page.get_by_label("Chercher dans la bibliothèque").fill("procedure mise a jour")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("1 document trouvé")
    page.get_by_role("link", name="Procédure de nuit").click()
    expect(page.get_by_role("heading", name="Version en vigueur : version 2")).to_be_visible()
    expect(page.get_by_text("Versions précédentes")).to_be_visible()
    expect(page.get_by_text("Envoyer une nouvelle version")).to_have_count(0)  # a nurse reads
    for target in page.locator("main .list a, main a.button, main button, main summary").all():
        if target.is_visible():
            assert target.bounding_box()["height"] >= 44, target.inner_text()
    capture(page, "bibliotheque-document-versions", full_page=True)

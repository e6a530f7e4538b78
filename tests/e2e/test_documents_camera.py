"""Documents on a tablet (demo territory, Chromium's fake camera): Lucas, care assistant of the
SSIAD, photographs a signed contract at a person's home with Virage's camera (never the
gallery) and sends it to head office; Léa, of the secretariat, files it; Paul, nurse of the care
team, adds a wound photo; Léa is refused that photo, on the page and through the API."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.helpers import query, sign_in
from virage.accounts import service
from virage.db import connect

pytestmark = pytest.mark.browser

FAKE_CAMERA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
TABLET = {"width": 800, "height": 1280}


@pytest.fixture
def camera_browser(playwright):
    from pathlib import Path

    options = {"args": CHROMIUM_ARGS + FAKE_CAMERA}
    if Path(CHROMIUM).exists():
        options["executable_path"] = CHROMIUM
    browser = playwright.chromium.launch(**options)
    yield browser
    browser.close()


def _tablet(browser):
    return browser.new_context(viewport=TABLET, locale="fr-FR", timezone_id="Europe/Paris")


def _person(server_env) -> int:
    rows = query(
        server_env,
        "SELECT c.person_id FROM care_team c JOIN users u ON u.id = c.user_id"
        " WHERE u.username IN ('lucas.as', 'paul.infirmier')"
        " GROUP BY c.person_id HAVING count(*) = 2 ORDER BY c.person_id",
    )
    return rows[0][0]


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 110)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_contract_photographed_sent_filed_and_wound_photo_kept_secret(
    live_server, server_env, camera_browser, capture
):
    pid = _person(server_env)
    documents = f"{live_server}/personnes/{pid}/documents"

    # Lucas photographs the contract with Virage's camera and sends it to head office
    lucas = _tablet(camera_browser)
    page = lucas.new_page()
    sign_in(page, live_server, "lucas.as")
    page.goto(f"{documents}/photo?nature=contract")
    page.wait_for_load_state("load")
    expect(page.locator("#camera[data-state=ready]")).to_be_visible()
    assert page.locator("a[download]").count() == 0
    page.get_by_label("Titre (facultatif)").fill("Contrat signé au domicile")
    shoot = page.get_by_role("button", name="Prendre la photo")
    assert shoot.bounding_box()["height"] >= 44
    capture(page, "documents-appareil-photo")
    shoot.click()
    page.wait_for_url("**/documents?ok=ajoute*")
    expect(page.get_by_text("Document enregistré.")).to_be_visible()
    item = page.locator("li", has_text="Contrat signé au domicile")
    expect(item.get_by_text("photo prise dans Virage")).to_be_visible()
    item.get_by_role("button", name="Envoyer au siège").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("Document envoyé au siège")).to_be_visible()
    capture(page, "documents-liste", full_page=True)
    lucas.close()
    (stored,) = query(
        server_env,
        "SELECT media_type, source FROM person_documents WHERE title = 'Contrat signé au domicile'",
    )
    assert stored == ("image/jpeg", "camera")

    # Léa files it
    lea = _tablet(camera_browser)
    page = lea.new_page()
    sign_in(page, live_server, "lea.secretariat")
    page.goto(f"{live_server}/documents/a-classer")
    page.wait_for_load_state("load")
    card = page.locator("li", has_text="Contrat signé au domicile")
    expect(card).to_be_visible()
    card.get_by_label("Type").select_option("contract")
    capture(page, "documents-a-classer")
    card.get_by_role("button", name="Classer").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("Document classé.")).to_be_visible()

    # Paul adds a wound photo (the file input, as without JavaScript)
    paul = _tablet(camera_browser)
    nurse = paul.new_page()
    sign_in(nurse, live_server, "paul.infirmier")
    nurse.goto(documents)
    nurse.wait_for_load_state("load")
    nurse.get_by_label("Type de document").select_option("wound_photo")
    nurse.get_by_label("Suivi en photos (facultatif, par exemple « Plaie talon droit »)").fill(
        "Plaie talon droit"
    )
    nurse.locator("#d-file").set_input_files(
        {"name": "plaie.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}
    )
    nurse.get_by_role("button", name="Enregistrer").click()
    nurse.wait_for_load_state("load")
    expect(nurse.get_by_role("heading", name="Plaie talon droit")).to_be_visible()
    paul.close()
    ((photo_id,),) = query(
        server_env, "SELECT id FROM person_documents WHERE series = 'Plaie talon droit'"
    )

    # Léa does not see it, and is refused it on the page and through the API
    page.goto(documents)
    page.wait_for_load_state("load")
    expect(page.get_by_text("Plaie talon droit")).to_have_count(0)
    refused = page.goto(f"{documents}/{photo_id}")
    assert refused.status == 403
    ((uid, sid),) = query(
        server_env,
        "SELECT u.id, m.structure_id FROM users u JOIN memberships m ON m.user_id = u.id"
        " JOIN structures s ON s.id = m.structure_id"
        " WHERE u.username = 'lea.secretariat' AND s.kind = 'SSIAD'",
    )
    db = connect(server_env["VIRAGE_DB"])
    try:
        _, secret = service.create_token(db, uid, sid, "test documents")
    finally:
        db.close()
    api = page.request.get(
        f"{live_server}/api/personnes/{pid}/documents/{photo_id}/fichier",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert api.status == 403
    lea.close()

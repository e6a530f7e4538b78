"""A coordinator runs a person's admission to review, on the phone and at the desk, on the demo
territory: she writes the support plan with two objectives (one of care), fills the AGGIR grid
(the GIR is shown) and the fall-risk assessment, links a transmission of the team to an objective,
and finds the review date in « Révisions à prévoir ». Pictures for the guide."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import live_server, server_env  # noqa: F401
from tests.e2e.helpers import query, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
GRID = {
    "coherence": "B",
    "orientation": "B",
    "toilette": "C",
    "habillage": "C",
    "alimentation": "B",
    "elimination": "B",
    "transferts": "B",
    "deplacement_interieur": "B",
    "deplacement_exterieur": "C",
    "communication": "B",
}


def _person(env) -> tuple[int, str]:
    """A person of the SSIAD with transmissions written about her, and no plan yet."""
    rows = query(
        env,
        "SELECT p.id, p.family_name FROM persons p JOIN structures s ON s.id = p.structure_id"
        " WHERE s.name = 'SSIAD du Val-de-Loue' AND p.status = 'active'"
        " AND EXISTS (SELECT 1 FROM transmissions t WHERE t.person_id = p.id)"
        " AND NOT EXISTS (SELECT 1 FROM dossier_plans d WHERE d.person_id = p.id)"
        " ORDER BY p.id LIMIT 1",
    )
    assert rows, "the demo SSIAD has a person with transmissions"
    return rows[0]


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a phone"


def test_a_coordinator_reviews_an_admission(live_server, server_env, browser, capture):  # noqa: F811
    base = live_server
    person_id, family_name = _person(server_env)
    review = date.today() + timedelta(days=20)

    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, base, "ines.coordination")
    page.goto(f"{base}/personnes/{person_id}")
    page.get_by_role("link", name="Ouvrir le dossier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dossier de")
    page.get_by_role("link", name="Écrire le projet").click()
    page.locator("#o0_words").fill("Continuer à jardiner au printemps")
    page.locator("#o0_actions").fill("Aide au lever avant 9 h, les jours de beau temps")
    page.locator("#o0_who").fill("aide-soignante du matin")
    page.locator("#o1_words").fill("Que ma plaie au talon guérisse")
    page.locator("#o1_actions").fill("Pansement tous les deux jours, surveillance de la peau")
    page.locator("#o1_who").fill("infirmière référente")
    page.locator('input[name="o1_care"]').check()
    page.get_by_label("Date de révision").fill(review.isoformat())
    page.get_by_label("Comment la personne a participé").select_option("entretien")
    page.get_by_label("Qui a donné son accord").fill("la personne elle-même")
    page.get_by_role("button", name="Enregistrer la nouvelle version").click()
    expect(page.locator("#projet")).to_contain_text("Continuer à jardiner au printemps")
    expect(page.locator("#projet")).to_contain_text("Version 1")
    _no_sideways_scroll(page)

    # a transmission of the team refers to the first objective
    first = page.locator("article[id^=objectif-]").first
    first.get_by_role("button", name="Rattacher").click()
    expect(page.locator("article[id^=objectif-]").first).to_contain_text("1 transmission rattachée")
    page.locator("#projet").scroll_into_view_if_needed()
    capture(page, "dossier-projet")

    # the AGGIR grid: the GIR is computed by the national algorithm
    page.get_by_role("link", name="Grille AGGIR").click()
    for variable, code in GRID.items():
        page.locator(f'input[name="q_{variable}"][value="{code}"]').check()
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    expect(page.locator("#evaluations")).to_contain_text("GIR 3")

    # the fall-risk assessment, at admission
    page.get_by_role("link", name="Risque de chute").click()
    page.get_by_label("Nombre de chutes dans les douze derniers mois").fill("1")
    page.locator('input[name="q_chute_grave"][value="non"]').check()
    page.get_by_label("Timed Up and Go (secondes)").fill("23")
    page.get_by_label("Nombre de médicaments pris chaque jour").fill("6")
    for item, answer in (
        ("psychotropes", "oui"),
        ("peur_de_tomber", "oui"),
        ("troubles_vue", "non"),
        ("logement", "oui"),
    ):
        page.locator(f'input[name="q_{item}"][value="{answer}"]').check()
    page.locator('input[name="respondent"][value="proche"]').check()
    page.get_by_label("Son nom, s'il s'agit d'un proche").fill("sa fille")
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    evaluations = page.locator("#evaluations")
    expect(evaluations).to_contain_text("6 facteurs de risque repérés")
    expect(evaluations).to_contain_text("GIR 3")
    _no_sideways_scroll(page)
    evaluations.scroll_into_view_if_needed()
    capture(page, "dossier-evaluations")
    context.close()

    # at the desk: the reviews to plan, the file at full width
    desk_context = browser.new_context(viewport=DESK, locale="fr-FR", timezone_id="Europe/Paris")
    desk = desk_context.new_page()
    sign_in(desk, base, "ines.coordination")
    desk.goto(f"{base}/dossier/revisions")
    row = desk.get_by_role("listitem").filter(has_text=family_name.upper())
    expect(row).to_contain_text(f"{review.day}")
    capture(desk, "dossier-revisions")
    row.get_by_role("link").click()
    expect(desk.locator("#projet")).to_contain_text("Que ma plaie au talon guérisse")
    desk_context.close()
